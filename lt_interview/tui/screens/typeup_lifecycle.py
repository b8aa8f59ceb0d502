"""The accuracy-check lifecycle on the type-up screen: typed up, sent for checking, comments
received, agreed (each with its date), the differences between the version sent and the agreed
one, and the rule that an agreed account is frozen: its editor refuses edits until the reviewer
confirms that a new version should start.

AccountEditor is the part editor; LifecycleActions is a mixin of TypeUpScreen (which provides
store, account, conversation_id, flush, _reload, heading_title and the status line). The screen
routes EditRefused here: Textual collects @on handlers only from its own classes.
"""

from __future__ import annotations

from datetime import date

from textual.message import Message
from textual.widgets import TextArea

from lt_interview.domain.account import Account
from lt_interview.domain.lifecycle import Status, show_date
from lt_interview.errors import LtError
from lt_interview.tui.screens.dialogs import TextPrompt
from lt_interview.tui.screens.typeup_dialogs import ConfirmEditScreen, DatePrompt, DifferencesScreen
from lt_interview.tui.widgets.text_limit import CleanLimitedEntry
from lt_interview.typeup import service
from lt_interview.typeup.render import diff_accounts

LIFECYCLE_TITLES = {
    "typed_up": "Date the account was typed up",
    "sent_for_checking": "Date sent to the practitioner for checking",
    "comments_received": "Date the practitioner's comments came back",
    "agreed": "Date the account was agreed with the practitioner",
}


class AccountEditor(CleanLimitedEntry, TextArea):
    """The account part's editor. While `frozen` (the account is agreed) every edit from the
    keyboard, paste or cut is refused before it touches the text, and EditRefused asks the
    screen to confirm that a new version should start. What is typed or pasted is cleaned and
    held to one field's limit (CleanLimitedEntry)."""

    class EditRefused(Message):
        pass

    frozen = False

    def _refuse(self) -> bool:
        if self.frozen:
            self.post_message(self.EditRefused())
            return True
        return False

    def _replace_via_keyboard(self, insert, start, end):
        return None if self._refuse() else super()._replace_via_keyboard(insert, start, end)

    def _delete_via_keyboard(self, start, end):
        return None if self._refuse() else super()._delete_via_keyboard(start, end)

    def action_undo(self) -> None:
        if not self._refuse():
            super().action_undo()

    def action_redo(self) -> None:
        if not self._refuse():
            super().action_redo()


class LifecycleActions:
    account: Account
    agreed_now: bool

    # --- an agreed account is frozen until an edit is confirmed ------------------------

    def _freeze_if_agreed(self) -> None:
        """Read the status again; the editor refuses edits while the account is agreed."""
        found = self.store.get(self.conversation_id)
        self.agreed_now = bool(found and found.record.status == Status.AGREED)
        self.query_one("#part-editor", AccountEditor).frozen = self.agreed_now

    def _after_change(self) -> None:
        """A sealed change may have started a new version: status, freeze and counts again."""
        self._freeze_if_agreed()
        self._show_status()
        self._refresh_part_prompt()

    def _edit_refused(self) -> None:
        self.confirm_edit(lambda: None)

    def confirm_edit(self, then) -> None:
        """Run `then` at once unless the account is agreed; if it is, ask first (Edit starts a
        new version, Cancel keeps the agreed one untouched)."""
        self._freeze_if_agreed()
        if not self.agreed_now:
            then()
            return
        if isinstance(self.app.screen, ConfirmEditScreen):
            return  # already asking: the keys typed meanwhile change nothing

        def answered(edit: bool | None) -> None:
            if edit:
                self.query_one("#part-editor", AccountEditor).frozen = False
                then()

        found = self.store.get(self.conversation_id)
        self.app.push_screen(ConfirmEditScreen(found.record.status_dates.get(Status.AGREED.value)
                                               if found else None), answered)

    # --- the lifecycle steps and the differences -----------------------------------------

    def action_lifecycle(self, step: str) -> None:
        self.flush(seal=True)
        self._after_change()  # sealing may have settled combined versions, or started a new one
        today = self.store.clock().date()
        self.app.push_screen(DatePrompt(LIFECYCLE_TITLES[step], today,
                                        lambda on: service.check_date(self.store, step, on)),
                             lambda on: self._lifecycle_date(step, on))

    def _lifecycle_date(self, step: str, on: date | None) -> None:
        if on is None:
            return
        if step == "comments_received":
            self.app.push_screen(TextPrompt("The practitioner's comments, in brief (optional; Esc to skip)"),
                                 lambda comments: self._do_lifecycle(step, on, comments or ""))
            return
        self._do_lifecycle(step, on, "")

    def _do_lifecycle(self, step: str, on: date, comments: str) -> None:
        try:
            if step == "typed_up":
                service.mark_typed_up(self.store, on)
            elif step == "sent_for_checking":
                service.send_for_checking(self.store, on)
            elif step == "comments_received":
                service.comments_received(self.store, on, comments)
            elif step == "agreed":
                service.agree(self.store, on)
        except LtError as exc:
            self.app.notify(exc.message, severity="warning", markup=False)
            return
        self._reload()
        self._after_change()
        label = Status(step).label.lower()
        self.app.notify(f"Recorded: {label} on {show_date(on)}.", markup=False)

    def action_differences(self) -> None:
        self.flush(seal=True)
        sent, agreed, sent_v, agreed_v = service.sent_and_agreed(self.store)
        if sent is None or sent_v is None:
            self.app.notify("Nothing has been sent for checking yet, so there is nothing to compare.",
                            markup=False)
            return
        if agreed is None or agreed_v is None:
            later, title = self.account, (f"Differences between the version sent for checking "
                                          f"({show_date(sent_v.on)}) and the account now (not yet agreed)")
        else:
            later, title = agreed, (f"Differences between the version sent for checking "
                                    f"({show_date(sent_v.on)}) and the agreed version "
                                    f"({show_date(agreed_v.on)})")
        self.app.push_screen(DifferencesScreen(title, diff_accounts(sent, later, self.heading_title)))
