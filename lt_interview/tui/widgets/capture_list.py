"""The side list of items captured during the conversation: edit or remove them here."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from lt_interview.tui.actions import bindings_for
from lt_interview.conversation.session import Captured

SHOWN_CHARS = 160


def capture_prompt(item: Captured) -> Text:
    text = Text()
    text.append(item.label, style="bold underline")
    body = " ".join(item.text.split())
    if len(body) > SHOWN_CHARS:
        body = body[:SHOWN_CHARS] + "…"
    text.append("\n" + body)
    return text


class CaptureList(OptionList):
    HELP = "Items captured in this conversation. Highlight one to edit it, remove it, or mark a question returned to."
    ACTION_SCOPE = "captures"
    BINDINGS = bindings_for("captures")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list[Captured] = []

    def show(self, items: list[Captured]) -> None:
        previous = self.highlighted
        self.items = items
        self.clear_options()
        self.add_options([Option(capture_prompt(item), id=item.record_id) for item in items])
        if items:
            self.highlighted = min(previous or 0, len(items) - 1)

    def current_item(self) -> Captured | None:
        if self.highlighted is None or not self.items:
            return None
        return self.items[self.highlighted]

    def action_edit_item(self) -> None:
        if (item := self.current_item()) is not None:
            self.screen.edit_captured(item)  # type: ignore[attr-defined]

    def action_remove_item(self) -> None:
        if (item := self.current_item()) is not None:
            self.screen.remove_captured(item)  # type: ignore[attr-defined]

    def action_returned_item(self) -> None:
        if (item := self.current_item()) is not None:
            self.screen.returned_captured(item)  # type: ignore[attr-defined]
