"""The type-up screen's dialogs: confirm the first edit of an agreed account, the date of a
lifecycle step, the list of reminders, and the differences between two versions of the account.

Their look is in tui/styles/typeup.tcss, with the screen's (lt_interview/tui/styles/README.md).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from lt_interview.domain.lifecycle import parse_step_date, show_date
from lt_interview.errors import LtError
from lt_interview.tui.styles import tcss
from lt_interview.tui.widgets.typeup_diff import DiffView

TYPEUP_CSS = tcss("typeup")  # the type-up screen's sheet: these dialogs open only from it


class ConfirmEditScreen(ModalScreen[bool]):
    """Ask before the first edit of an agreed account: editing starts a new version."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm_edit.cancel")]
    CSS_PATH = TYPEUP_CSS
    HELP = "The account was agreed. Edit starts a new version that will need checking again; Cancel or Esc keeps it as agreed."

    def __init__(self, agreed_on: date | None) -> None:
        super().__init__()
        self.agreed_on = agreed_on

    def compose(self) -> ComposeResult:
        when = f" on {show_date(self.agreed_on)}" if self.agreed_on else ""
        with Vertical():
            yield Static(Text("Edit the agreed account?"), markup=False, classes="title")
            yield Static(Text(f"This account was agreed with the practitioner{when}. Editing it starts a "
                              "new version that will need checking again."), markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button("Edit", id="edit", variant="warning")
            yield Static(Text("Tab moves between the buttons · Esc cancels"), markup=False)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()  # a stray Enter keeps the agreed version

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "edit")

    def action_cancel(self) -> None:
        self.dismiss(False)


class DatePrompt(ModalScreen["date | None"]):
    """Ask for the date of a lifecycle step. A date that cannot be used keeps the dialog open,
    with the reason on its last line; Enter or Ctrl+S records, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date_prompt.cancel"),
                Binding("ctrl+s", "save", "Save", id="date_prompt.save")]
    CSS_PATH = TYPEUP_CSS
    HELP = "Write the date as DD/MM/YYYY (or YYYY-MM-DD); Enter records it, Esc cancels."

    def __init__(self, title: str, today: date, check) -> None:
        super().__init__()
        self.title_text = title
        self.today = today
        self.check = check  # date -> None, or raises LtError with a one-line reason

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), markup=False, classes="title")
            yield Input(self.today.strftime("%d/%m/%Y"), id="date-text")
            yield Static(Text(""), markup=False, id="date-error")
            yield Static(Text("DD/MM/YYYY · Enter records · Esc cancels"), markup=False, id="date-hint")

    def on_mount(self) -> None:
        self.query_one("#date-text", Input).focus()

    @on(Input.Submitted, "#date-text")
    def _submitted(self) -> None:
        self.action_save()

    @on(Input.Changed, "#date-text")
    def _changed(self) -> None:
        self.query_one("#date-error", Static).update(Text(""))

    def action_save(self) -> None:
        try:
            on = parse_step_date(self.query_one("#date-text", Input).value)
            self.check(on)
        except LtError as exc:
            self.query_one("#date-error", Static).update(Text(exc.message))
            return
        self.dismiss(on)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RemindersScreen(ModalScreen):
    """Every gentle reminder in the account, one line each; Enter goes to the one chosen."""

    BINDINGS = [Binding("escape", "close", "Close", id="reminders.close")]
    CSS_PATH = TYPEUP_CSS
    HELP = "Every gentle reminder in the account. Enter goes to the part it is about; Esc closes."

    def __init__(self, notices) -> None:
        super().__init__()
        self.notices = notices

    def compose(self) -> ComposeResult:
        count = len(self.notices)
        with Vertical():
            yield Static(Text(f"{count} gentle reminder{'s' if count != 1 else ''} in the account"),
                         markup=False, classes="title")
            yield OptionList(*[Option(Text(f"{n.section_title} · {n.message}"), id=str(i))
                               for i, n in enumerate(self.notices)], id="reminder-list")
            yield Static(Text("Enter goes to the reminder · Esc closes"), markup=False)

    def on_mount(self) -> None:
        self.query_one("#reminder-list", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.notices[int(event.option_id or 0)])

    def action_close(self) -> None:
        self.dismiss(None)


class DifferencesScreen(ModalScreen):
    BINDINGS = [Binding("escape", "close", "Close", id="differences.close")]
    CSS_PATH = TYPEUP_CSS
    HELP = "What changed between the version sent for checking and the agreed one. Esc closes."

    def __init__(self, title: str, diffs) -> None:
        super().__init__()
        self.title_text = title
        self.diffs = diffs

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), markup=False, classes="title")
            yield DiffView(self.diffs, id="diff-view")
            yield Static(Text("Esc closes"), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
