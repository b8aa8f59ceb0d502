"""Saved / saving / not saved: always visible, readable without colour."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

LABELS = {
    "saved": ("Saved", ""),
    "saving": ("Saving…", ""),
    "failed": ("NOT SAVED - retrying", "bold reverse"),
    "paused": ("Saved", ""),
}


class SaveStatus(Widget):
    DEFAULT_CSS = "SaveStatus { width: auto; height: 1; padding: 0 1; }"
    state: reactive[str] = reactive("saved", layout=True)

    def render(self) -> Text:
        label, style = LABELS.get(self.state, (self.state, ""))
        return Text(label, style=style)

    def watch_state(self, state: str) -> None:
        self.set_class(state == "failed", "-failed")
