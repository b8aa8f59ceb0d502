"""The fictional demo review (`lt-interview demo`, the home screen's demo): built on top of the use
cases (review/), type-up and merge. Only the user interfaces (commands/, tui/) import it."""
