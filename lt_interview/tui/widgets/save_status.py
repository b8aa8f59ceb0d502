"""Saved / saving / not saved: always visible, readable without colour."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

LABELS = {
    "saved": ("Saved", ""),
    "saving": ("Saving…", ""),
    "failed": ("NOT SAVED - retrying", "bold reverse"),
    "paused": ("Saved", ""),
}


def _width(state: str) -> int:
    """Cells the widget takes. "Saved" (with a space each side) and "Saving…" share one width,
    so the flip between them, twice per autosave while typing, only repaints this widget: a
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
