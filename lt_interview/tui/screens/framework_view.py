"""The case framework in a window of its own, for a screen too short to show it beside the notes.

Read-only: the pseudonyms, agencies and period exactly as the file holds them, shown as plain
text (never markup). Esc, or the key that opened it (F12), closes it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from lt_interview.tui.screens.dialogs import DIALOG_CSS, Dialog, plain
from lt_interview.tui.styles import tcss


class FrameworkScreen(Dialog):
    HELP = "The case framework: the pseudonyms, agencies and review period. Read-only; Esc or F12 closes."
    CSS_PATH = [DIALOG_CSS, tcss("framework_view")]
    # The same id as the key that opens it, so a remapped key closes it too.
    BINDINGS = Dialog.BINDINGS + [Binding("f12", "cancel", "Close", show=False, id="conversation.framework")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain("Case framework", classes="title")
            with VerticalScroll():
                yield Static(Text("\n".join(self.lines) or "No case framework in this file"),
                             markup=False, id="framework-text")
            yield plain("Esc or F12 closes", classes="hint")
