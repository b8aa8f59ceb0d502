"""The find-and-replace dialog of the type-up screen: a word or name, and what to put in its
place everywhere in the account (a real name and its pseudonym, say)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from lt_interview.domain.text import clean_line
from lt_interview.tui.screens.dialogs import Dialog, plain


class ReplacePrompt(Dialog):
    """Dismisses with (find, replacement), or None when cancelled."""

    HELP = ("Write the word or name to find and what to put in its place, then Enter (or Replace). "
            "Every part of the account is changed at once; the raw notes stay as they were. Esc cancels.")
    BINDINGS = Dialog.BINDINGS + [Binding("ctrl+s", "save", "Replace", id="dialog.save")]

    def __init__(self, find: str = "", pseudonyms: list[str] | None = None) -> None:
        super().__init__()
        self.initial = clean_line(find)
        self.pseudonyms = pseudonyms or []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain("Find and replace everywhere in the account", classes="title")
            yield plain("Find (a word or name, in any case; whole words only)")
            yield Input(self.initial, id="replace-find")
            yield plain("Replace with (the pseudonym, or the practitioner's role)")
            yield Input("", id="replace-with")
            with Horizontal():
                yield Button("Replace", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
            hint = "Enter or Ctrl+S replaces · Esc cancels"
            if self.pseudonyms:
                hint = f"Pseudonyms in this review: {'; '.join(self.pseudonyms)}\n" + hint
            yield plain(hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one("#replace-with" if self.initial else "#replace-find", Input).focus()

    def holds_unkept_text(self) -> bool:
        return bool(self.query_one("#replace-with", Input).value.strip())

    def action_save(self) -> None:
        find = clean_line(self.query_one("#replace-find", Input).value).strip()
        replacement = clean_line(self.query_one("#replace-with", Input).value).strip()
        if not find:
            self.query_one("#replace-find", Input).focus()
            return
        if not replacement:
            self.query_one("#replace-with", Input).focus()
            return
        self.dismiss((find, replacement))

    @on(Input.Submitted, "#replace-find")
    def _next(self) -> None:
        self.query_one("#replace-with", Input).focus()

    @on(Input.Submitted, "#replace-with")
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
