"""The notes editor: a soft-wrapped TextArea that stamps the time and cleans what enters it."""

from __future__ import annotations

from datetime import datetime

from textual import events
from textual.widgets import TextArea

from lt_interview.domain.ids import Clock, system_clock
from lt_interview.domain.text import clean_text


def stamp_for(moment: datetime) -> str:
    """'14:05 ' in the laptop's local time."""
    return moment.astimezone().strftime("%H:%M ")


class NotesEditor(TextArea):
    """Notes for the current stage. Typing at the start of an empty line after a pause (or in an
    empty note) first inserts the time, so the notes show when each thing was said."""

    HELP = ("Notes for the current stage. Type freely: the time is added at the start of a line "
            "after a pause, and everything is saved as you type. Use the function keys to keep the "
            "current line (or a selection) as a quote, a question to return to, an episode or a factor.")
    ACTION_SCOPE = "conversation"

    def __init__(self, *, clock: Clock = system_clock, stamp_after_seconds: int = 60, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.clock = clock
        self.stamp_after_seconds = stamp_after_seconds
        self.last_edit: datetime | None = None
        self.ignore_changed = False

    def load_notes(self, text: str) -> None:
        self.ignore_changed = True  # load_text posts one Changed: not an edit
        self.load_text(clean_text(text))
        self.last_edit = None
        self.move_cursor(self.document.end)

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

    def _replace_via_keyboard(self, insert: str, start, end):  # type: ignore[override]
        # Every keyboard insert and paste passes the sanitiser: no escape sequence reaches the screen.
        return super()._replace_via_keyboard(clean_text(insert), start, end)
