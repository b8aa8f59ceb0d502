"""The notes editor: a soft-wrapped TextArea that stamps the time and cleans what enters it."""

from __future__ import annotations

from datetime import datetime

from textual import events
from textual.widgets import TextArea

from lt_interview.domain.ids import Clock, system_clock
from lt_interview.domain.text import clean_text
from lt_interview.tui.widgets.text_limit import CleanLimitedEntry


def stamp_for(moment: datetime) -> str:
    """'14:05 ' in the laptop's local time."""
    return moment.astimezone().strftime("%H:%M ")


class NotesEditor(CleanLimitedEntry, TextArea):
    """Notes for the current stage. Typing at the start of an empty line after a pause (or in an
    empty note) first inserts the time, so the notes show when each thing was said. Whatever is
    typed or pasted is cleaned and held to one note's limit (CleanLimitedEntry)."""

    HELP = ("Notes for the current stage. Type freely: the time is added at the start of a line "
            "after a pause, and everything is saved as you type. Use the function keys to keep the "
            "current line (or a selection) as a quote, a question to return to, an episode, a factor or a divergence. "
            "Shift+F9 marks a line as information the reviewers brought, not the practitioner's own.")
    ACTION_SCOPE = "conversation"

    def __init__(self, *, clock: Clock = system_clock, stamp_after_seconds: int = 60, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.clock = clock
        self.stamp_after_seconds = stamp_after_seconds
        self.last_edit: datetime | None = None
        self.ignore_changed = False

    def load_notes(self, text: str) -> None:
        text = clean_text(text)
        self._show_scrollbar_before_wrapping(text)
        self.ignore_changed = True  # load_text posts one Changed: not an edit
        self.load_text(text)
        self.last_edit = None
        self.move_cursor(self.document.end)

    def _show_scrollbar_before_wrapping(self, text: str) -> None:
        """Wrap a long note once, not twice. Loading wraps at the width without a vertical
        scrollbar; the scrollbar then appears and the note is wrapped again, two columns
        narrower (about 15 ms each for 20,000 words). When the note has more lines than the
        editor has rows, the scrollbar is certain to be needed (each line takes at least one
        row), so show it first and the one wrap is at the final width. (Set without its
        watcher, which would re-wrap the outgoing note and recompute the scrollbar from it.)"""
        height = self.container_size.height
        if (self.soft_wrap and height and self.styles.overflow_y == "auto"
                and not self.show_vertical_scrollbar and text.count("\n") + 1 > height):
            self.set_reactive(TextArea.show_vertical_scrollbar, True)

    def _rewrap_and_refresh_virtual_size(self) -> None:  # type: ignore[override]
        """TextArea re-wraps the whole note on every resize, even when its width has not
        changed (as when the scrollbar appears); edits keep the wrapping up to date, so wrapping
        again at the same width and tab width gives the same result. That holds at width 0 too
        (not yet laid out: a note loaded at mount is measured twice there, 4 ms each for 20,000
        words). Private to Textual 8.2.8: guarded, and it falls back to a full wrap whenever
        anything differs."""
        wrapped = getattr(self, "wrapped_document", None)
        if (wrapped is not None and wrapped.document is self.document
                and getattr(wrapped, "_width", None) == self.wrap_width
                and getattr(wrapped, "_tab_width", None) == self.indent_width
                and len(getattr(wrapped, "_wrap_offsets", ())) == self.document.line_count):
            self._line_cache.clear()
            self._refresh_size()
            return
        super()._rewrap_and_refresh_virtual_size()

    def _needs_stamp(self, now: datetime) -> bool:
        row, column = self.cursor_location
        if column != 0 or self.document.get_line(row) != "" or not self.selection.is_empty:
            return False
        if self.document.line_count == 1:
            return True  # an empty note
        if self.last_edit is None:
            return True  # first words since this section was opened
        return (now - self.last_edit).total_seconds() >= self.stamp_after_seconds

    async def _on_key(self, event: events.Key) -> None:
        if not self.read_only and (event.is_printable or event.key == "enter"):
            now = self.clock()
            if event.is_printable and self._needs_stamp(now):
                self.insert(stamp_for(now))
            self.last_edit = now
        await super()._on_key(event)
