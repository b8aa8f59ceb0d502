"""The other reviewer's notes for this section, read-only, between the prompts and the editor.

A read-only TextArea rather than text in the prompts' scroll: it draws only the rows on screen
(the other copy's note can run to thousands of words), keeps the prompts in view, and lets the
notetaker scroll, select and copy from it without touching their own note."""

from __future__ import annotations

from textual.widgets import TextArea


class OtherNotes(TextArea):
    HELP = ("The other reviewer's notes for this stage, when this copy holds them: read only here; "
            "what you type goes into your own notes below.")

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         highlight_cursor_line=False, **kwargs)

    def show(self, others: list[tuple[str, str]]) -> None:
        """(name, text) of each other author; hidden when there are none."""
        self.set_class(not others, "-empty")
        if not others:
            self.load_text("")
            return
        authors = list(dict.fromkeys(name for name, _ in others))
        if len(authors) == 1:  # one author (their note may be in more than one record)
            text = "\n\n".join(body.rstrip() for _, body in others)
        else:
            text = "\n\n".join(f"{name}:\n{body.rstrip()}" for name, body in others)
        self.border_title = f"Also noted by {' and '.join(authors)} (read only)"
        self.load_text(text)
        self.move_cursor((0, 0))
