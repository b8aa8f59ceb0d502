"""Saved / saving / not saved: always visible, readable without colour."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from lt_interview.errors import LtError

LABELS = {
    "saved": ("Saved", ""),
    "saving": ("Saving…", ""),
    "failed": ("NOT SAVED - retrying", "bold reverse"),
    "paused": ("Saved", ""),
}


def _width(state: str) -> int:
    """Cells the widget takes. "Saved" (with a space each side) and "Saving…" share one width,
    so the flip between them (at most once per pause in typing) only repaints this widget: a
    layout pass re-renders the whole screen, the 20,000-word notes editor included, and delays
    the keystroke that lands on it (scripts/bench.py)."""
    label = LABELS.get(state, (state, ""))[0]
    return len(label) + 2 if state == "failed" or state not in LABELS else 7


class SaveStatus(Widget):
    DEFAULT_CSS = "SaveStatus { width: auto; height: 1; content-align: center top; }"
    state: reactive[str] = reactive("saved")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return _width(self.state)

    def render(self) -> Text:
        label, style = LABELS.get(self.state, (self.state, ""))
        return Text(label, style=style)

    def watch_state(self, old: str, state: str) -> None:
        self.set_class(state == "failed", "-failed")
        if _width(old) != _width(state):
            self.refresh(layout=True)


def announce_save_failure(app, status: SaveStatus, error: Exception, subject: str) -> None:
    """The loud half of autosave: shown, rung and said once; the caller retries."""
    status.state = "failed"
    app.bell()
    reason = error.message if isinstance(error, LtError) else type(error).__name__
    app.notify(f"{subject} could not be saved ({reason}). Retrying every second; "
               "do not close lt-interview.", severity="error", timeout=30, markup=False)


def announce_saving_works(app, subject: str) -> None:
    app.notify(f"Saving works again; {subject} saved.", markup=False)
