"""The type-up screen: raw notes on the left (read only, by stage and author), the structured
account on the right, stage by stage; link raw-note excerpts to the part they support; find,
word count, gentle no-blame and real-name reminders; the accuracy-check lifecycle and the
differences between the version sent and the agreed one.

Autosave as in conversation mode: a change marks the account dirty, a 50 ms timer writes the
draft when 200 ms have passed since the last write; moving to another part, opening a dialog,
losing focus and quitting flush at once, and moving part or quitting seal the draft.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from lt_interview.analysis.fuzzydate import period_year, reading
from lt_interview.conversation.autosave import ACCOUNT_AUTOSAVE, Autosaver
from lt_interview.domain.account import Account, Link
from lt_interview.domain.lifecycle import Status, parse_step_date, show_date
from lt_interview.domain.models import CaseFramework
from lt_interview.domain.text import clean_text
from lt_interview.errors import LtError
from lt_interview.operations.review import structure_of
from lt_interview.storage.store import CONVERSATION, Store
from lt_interview.tui.actions import bindings_for
from lt_interview.tui.app import register_mode
from lt_interview.tui.screens.dialogs import RecoveryScreen, TextPrompt
from lt_interview.tui.screens.typeup_episodes import EpisodeActions
from lt_interview.tui.widgets.save_status import SaveStatus, announce_save_failure, announce_saving_works
from lt_interview.tui.widgets.typeup_diff import DiffView
from lt_interview.typeup import checks, service
from lt_interview.typeup.build import raw_blocks, raw_layout
from lt_interview.typeup.parts import PartRef, account_words, add_item, iter_parts, set_text, word_count
from lt_interview.typeup.render import diff_accounts
from lt_interview.tui.widgets.text_limit import CleanLimitedEntry

LIFECYCLE_TITLES = {
    "typed_up": "Date the account was typed up",
    "sent_for_checking": "Date sent to the practitioner for checking",
    "comments_received": "Date the practitioner's comments came back",
    "agreed": "Date the account was agreed with the practitioner",
}
NARROW = 100  # below this many columns the pane titles are shortened
RAW_TITLE, RAW_TITLE_SHORT = "Raw notes (read only), by stage and author", "Raw notes (read only)"
ACCOUNT_TITLE, ACCOUNT_TITLE_SHORT = "The practitioner's account, stage by stage", "The practitioner's account"


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


class ConfirmEditScreen(ModalScreen[bool]):
    """Ask before the first edit of an agreed account: editing starts a new version."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm_edit.cancel")]
    DEFAULT_CSS = """
    ConfirmEditScreen { align: center middle; }
    ConfirmEditScreen > Vertical { width: 70; max-width: 95%; height: auto; background: $surface;
                                   border: round $warning; padding: 0 1; }
    ConfirmEditScreen .title { text-style: bold; }
    ConfirmEditScreen Horizontal { height: auto; margin-top: 1; }
    ConfirmEditScreen Button { margin-right: 2; }
    """
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
    DEFAULT_CSS = """
    DatePrompt { align: center middle; }
    DatePrompt > Vertical { width: 70; max-width: 95%; height: auto; background: $surface;
                            border: round $accent; padding: 0 1; }
    DatePrompt .title { text-style: bold; }
    DatePrompt #date-error { color: $error; height: auto; }
    DatePrompt #date-hint { color: $text-muted; }
    """
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
    DEFAULT_CSS = """
    RemindersScreen { align: center middle; }
    RemindersScreen > Vertical { width: 95%; height: 90%; background: $surface; border: round $accent;
                                 padding: 0 1; }
    RemindersScreen .title { text-style: bold; }
    RemindersScreen OptionList { height: 1fr; }
    """
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
    DEFAULT_CSS = """
    DifferencesScreen { align: center middle; }
    DifferencesScreen > Vertical { width: 95%; height: 95%; background: $surface; border: round $accent; padding: 0 1; }
    DifferencesScreen .title { text-style: bold; height: auto; }
    """
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


class TypeUpScreen(EpisodeActions, Screen):
    ACTION_SCOPES = ("typeup",)
    BINDINGS = bindings_for("typeup")
    HELP = ("Type-up: raw notes on the left (read only), the practitioner's account on the right. "
            "Choose a part in the list, write in the box below it; select raw text and press F3 to link it.")
    DEFAULT_CSS = """
    TypeUpScreen #status-line { height: 1; padding: 0 1; background: $boost; }
    TypeUpScreen #status-line Static { width: 1fr; }
    TypeUpScreen #panes { height: 1fr; }
    TypeUpScreen #raw-pane { width: 1fr; }
    TypeUpScreen #account-pane { width: 1fr; }
    TypeUpScreen .pane-title { height: 1; text-style: bold; padding: 0 1; }
    TypeUpScreen #raw-notes { height: 1fr; }
    TypeUpScreen #parts { height: 1fr; min-height: 4; }
    TypeUpScreen #part-editor { height: 2fr; min-height: 6; }
    TypeUpScreen #links { height: auto; max-height: 3; color: $text-muted; padding: 0 1; }
    TypeUpScreen #notices { height: auto; max-height: 4; padding: 0 1; color: $warning; }
    TypeUpScreen #find { display: none; }
    TypeUpScreen #find.-shown { display: block; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.structure = structure_of(store)
        framework = store.one(CaseFramework)
        # A date given without a year ("July") is read in the review period's year.
        self.default_year = period_year(framework[1].period_start, framework[1].period_end) if framework else None
        state = service.load(store)
        self.conversation_id = state.conversation_id
        self.account_id = state.account_id
        self.account: Account = state.account
        self.competing = state.competing
        blocks = raw_blocks(store, self.conversation_id, self._stage_title,
                            [stage.id for stage in self.structure.stages])
        self.layout_raw = raw_layout(blocks)
        self.current_key = "overview"
        self.keys: list[str] = []
        self.autosave = Autosaver(ACCOUNT_AUTOSAVE)  # when to write the account (conversation/autosave.py)
        self.agreed_now = False
        self.notices: list = []
        self._find_from = 0

    # --- names from the method --------------------------------------------------------------

    def _stage_title(self, stage_id: str) -> str:
        try:
            return self.structure.stage(stage_id).title
        except KeyError:
            return stage_id

    def heading_title(self, heading_id: str) -> str:
        try:
            return self.structure.heading(heading_id).title
        except KeyError:
            return heading_id.replace("_", " ").capitalize()

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-line"):
            yield Static(id="status", markup=False)
            yield SaveStatus()
        with Horizontal(id="panes"):
            with Vertical(id="raw-pane"):
                yield Static(Text(RAW_TITLE), classes="pane-title", markup=False, id="raw-title")
                yield TextArea(self.layout_raw.text, read_only=True, soft_wrap=True, id="raw-notes",
                               show_cursor=True)
            with Vertical(id="account-pane"):
                yield Static(Text(ACCOUNT_TITLE), classes="pane-title", markup=False, id="account-title")
                yield OptionList(id="parts")
                yield Static(id="part-label", classes="pane-title", markup=False)
                yield AccountEditor("", soft_wrap=True, tab_behavior="focus", id="part-editor")
                yield Static(id="links", markup=False)
                yield Static(id="notices", markup=False)
        yield Input(placeholder="Find (Enter: next match · Esc: close)", id="find")
        yield Footer()

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW
        self.query_one("#raw-title", Static).update(Text(RAW_TITLE_SHORT if narrow else RAW_TITLE))
        self.query_one("#account-title", Static).update(Text(ACCOUNT_TITLE_SHORT if narrow else ACCOUNT_TITLE))

    def on_mount(self) -> None:
        self.set_interval(self.autosave.policy.tick_s, self._tick)
        draft = self.store.draft(self.account_id)
        if draft is not None and draft[0].model_dump() != self.account.model_dump():
            recovered = [(section.title, "\n".join(line for tag, line in section.lines if tag == "+"))
                         for section in diff_accounts(self.account, draft[0], self.heading_title)
                         if section.changed]
            self.app.push_screen(RecoveryScreen(draft[1][:16].replace("T", " "), len(recovered) or 1, recovered),
                                 self._recovered)
            return
        self._ready()

    def _recovered(self, keep: bool | None) -> None:
        if keep is False:
            self.store.discard_draft(self.account_id)
        else:
            service.seal(self.store)
        self._reload()
        self._ready()

    def _reload(self) -> None:
        state = service.load(self.store)
        self.account, self.competing = state.account, state.competing

    def _ready(self) -> None:
        self._fill_parts()
        self._load_part(self.current_key)
        self._freeze_if_agreed()
        self.query_one("#part-editor", TextArea).focus()
        if self.competing > 1:
            self.app.notify(
                "Both reviewers typed up this account: it is shown combined part by part, and parts "
                "where the versions differ hold both, marked ⟦ ⟧. Your next change saves the combined "
                "account; every version stays in the history.", severity="warning", timeout=10,
                markup=False)
        self._show_status()

    # --- the list of parts -------------------------------------------------------------

    def _parts(self) -> list[PartRef]:
        return iter_parts(self.account, self.heading_title)

    def _fill_parts(self) -> None:
        option_list = self.query_one("#parts", OptionList)
        options: list[Option | None] = []
        self.keys = []
        section = None
        for part in self._parts():
            if part.section != section:
                section = part.section
                options.append(Option(Text(part.section_title, style="bold"), id=f"section:{section}",
                                      disabled=True))
            options.append(Option(_part_prompt(part), id=part.key))
            self.keys.append(part.key)
        highlighted = option_list.highlighted_option.id if option_list.highlighted_option else self.current_key
        option_list.clear_options()
        option_list.add_options(options)
        target = highlighted if highlighted in self.keys else self.current_key
        if target in self.keys:
            option_list.highlighted = option_list.get_option_index(target)

    def _refresh_part_prompt(self) -> None:
        """The word count of the part being edited, in the list of parts."""
        part = self._part(self.current_key)
        if part is not None and part.key in self.keys:
            self.query_one("#parts", OptionList).replace_option_prompt(part.key, _part_prompt(part))

    def _part(self, key: str) -> PartRef | None:
        return next((p for p in self._parts() if p.key == key), None)

    def _load_part(self, key: str) -> None:
        part = self._part(key) or self._parts()[0]
        self.current_key = part.key
        editor = self.query_one("#part-editor", TextArea)
        editor.load_text(part.text)
        self.query_one("#part-label", Static).update(Text(f"{part.section_title} · {part.label}"))
        self._show_links()
        self._show_notices()

    @on(OptionList.OptionSelected, "#parts")
    def _part_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id in self.keys:
            self.go_to(event.option.id)
            self.query_one("#part-editor", TextArea).focus()

    @on(OptionList.OptionHighlighted, "#parts")
    def _part_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id in self.keys and event.option.id != self.current_key:
            self.go_to(event.option.id)

    def go_to(self, key: str) -> None:
        if key == self.current_key:
            return
        self.flush(seal=True)
        self._load_part(key)
        self._show_status()

    # --- editing and autosave ----------------------------------------------------------

    @on(TextArea.Changed, "#part-editor")
    def _edited(self, event: TextArea.Changed) -> None:
        text = clean_text(event.text_area.text)
        part = self._part(self.current_key)
        if part is None or part.text == text:
            return  # loading a part, or no real change
        self.account = set_text(self.account, self.current_key, text)
        if self.current_key.endswith(":when"):
            self._show_links()  # how the date now reads
        if not self.autosave.dirty and not self.autosave.failing:
            self.query_one(SaveStatus).state = "saving"
        self.autosave.edited()
        if self.agreed_now:
            # The first change after the edit was confirmed: seal it now, so the new version
            # starts (the status leaves "agreed") and the status line says so at once.
            self.flush(seal=True)
            self._after_change()

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

    @on(AccountEditor.EditRefused)
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

    @property
    def dirty(self) -> bool:
        """The account holds a change in no write yet."""
        return self.autosave.dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        """`self.dirty = True` records a change made in code (an item added, a link); only a
        write clears the flag."""
        if not value:
            raise ValueError("only a write of the account clears its dirty flag")
        self.autosave.edited()

    def _tick(self) -> None:
        if self.autosave.due():
            self.flush()
            self._show_notices()
            self._show_status()
            self._refresh_part_prompt()

    def flush(self, *, seal: bool = False) -> bool:
        try:
            with self.autosave.writing() as unwritten:
                if unwritten:
                    self.store.save_draft(self.account_id, self.account)
                if seal:
                    service.seal(self.store)
                    self._reload()
        except Exception as exc:  # noqa: BLE001 - any failed write is shown and retried
            if self.autosave.failed():  # said once, loudly; retried after the policy's retry_s
                announce_save_failure(self.app, self.query_one(SaveStatus), exc, "The account")
            return False
        if self.autosave.saved():
            announce_saving_works(self.app, "the account is")
        self.query_one(SaveStatus).state = "saved"
        return True

    def flush_now(self, *, seal: bool = False) -> bool:
        return self.flush(seal=seal)

    def on_screen_suspend(self) -> None:
        self.flush()

    def on_app_blur(self) -> None:
        self.flush()

    # --- status line, links, notices -----------------------------------------------------

    def _show_status(self) -> None:
        found = self.store.get(self.conversation_id)
        status = found.record.status if found else Status.PLANNED
        part = self._part(self.current_key)
        dates = found.record.status_dates if found else {}
        when = dates.get(status.value)
        text = Text(f"Type-up · {status.label}")
        if when:
            text.append(f" ({show_date(when)})")
        if found and getattr(found.record, "follow_up_of", None):
            text.append(" · follow-up conversation with the same practitioner")
        if self.competing > 1:
            text.append(f" · {self.competing} typed-up versions shown combined, not yet saved")
        text.append(f" · account {account_words(self.account)} words")
        if part:
            text.append(f" · this part {word_count(part.text)} words")
        self.query_one("#status", Static).update(text)

    def _show_links(self) -> None:
        links = [link for link in self.account.links if link.part == self.current_key]
        widget = self.query_one("#links", Static)
        if self.current_key.startswith("episode:") and self.current_key.endswith(":when"):
            # An episode's date or period: how the timeline reads it, as it is typed.
            part = self._part(self.current_key)
            widget.update(Text(reading(part.text if part else "", self.default_year)[1]))
            return
        if not links:
            widget.update(Text("No raw-note excerpts linked to this part (select raw text, then F3)."))
            return
        text = Text(f"Supported by {len(links)} excerpt{'s' if len(links) != 1 else ''}: ")
        text.append("; ".join(f"“{' '.join(link.excerpt.split())[:60]}”" for link in links))
        widget.update(text)

    def _show_notices(self) -> None:
        """One line per kind of reminder in this part (the words grouped), then how many there
        are in all; F5 lists every one. Lines never wrap, so the editor keeps its height."""
        notices = checks.all_notices(self.store, self.account, self.heading_title)
        self.notices = notices
        widget = self.query_one("#notices", Static)
        if not notices:
            widget.update(Text(""))
            return
        here = [n for n in notices if n.part_key == self.current_key]
        part = self._part(self.current_key)
        lines = []
        for kind, line_for in NOTICE_LINES:
            of_kind = [n for n in here if n.kind == kind]
            if of_kind and part is not None:
                lines.append(line_for(of_kind, part.text))
        elsewhere = len(notices) - len(here)
        total = f"{len(notices)} reminder{'s' if len(notices) != 1 else ''}"
        if elsewhere and here:
            lines.append(f"{total} in all, {elsewhere} in other parts · F5 lists them")
        elif elsewhere:
            lines.append(f"{total} in other parts of the account · F5 lists them")
        elif len(here) > len(lines):
            lines.append(f"{total} in this part · F5 lists each with a suggestion")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("\n".join(lines))
        widget.update(text)

    def action_reminders(self) -> None:
        self.flush()
        notices = checks.all_notices(self.store, self.account, self.heading_title)
        if not notices:
            self.app.notify("No reminders: nothing in the account reads as judging or looks like a real name.",
                            markup=False)
            return
        self.app.push_screen(RemindersScreen(notices), self._reminder_chosen)

    def _reminder_chosen(self, notice) -> None:
        if notice is None or notice.part_key not in self.keys:
            return
        self.go_to(notice.part_key)
        options = self.query_one("#parts", OptionList)
        options.highlighted = options.get_option_index(notice.part_key)
        editor = self.query_one("#part-editor", TextArea)
        doc = editor.document
        editor.selection = (doc.get_location_from_index(notice.start), doc.get_location_from_index(notice.end))
        editor.scroll_cursor_visible()
        editor.focus()

    # --- actions -----------------------------------------------------------------------

    def action_add_item(self) -> None:
        self.confirm_edit(self._add_item)

    def _add_item(self) -> None:
        part = self._part(self.current_key)
        section = part.section if part else "went_well"
        self.flush(seal=True)
        self.account, key = add_item(self.account, section)
        self.dirty = True
        self.flush(seal=True)
        self._fill_parts()
        self._load_part(key)
        self.query_one("#parts", OptionList).highlighted = self.query_one("#parts", OptionList).get_option_index(key)
        self.query_one("#part-editor", TextArea).focus()
        self._after_change()

    def action_link_excerpt(self) -> None:
        raw = self.query_one("#raw-notes", TextArea)
        selection = raw.selection
        start, end = sorted((raw.document.get_index_from_location(selection.start),
                             raw.document.get_index_from_location(selection.end)))
        located = self.layout_raw.locate(start, end)
        if located is None:
            self.app.notify("Select some text within one note in the raw notes first, then press F3.",
                            severity="warning", markup=False)
            return
        self.confirm_edit(lambda: self._link(located))

    def _link(self, located) -> None:
        block, note_start, note_end = located
        excerpt = block.text[note_start:note_end]
        link = Link(note_id=block.note_id, start=note_start, end=note_end, excerpt=excerpt, part=self.current_key)
        self.account = self.account.model_copy(update={"links": [*self.account.links, link]})
        self.account = Account.model_validate(self.account.model_dump())
        self.dirty = True
        self.flush(seal=True)
        self._show_links()
        self._after_change()
        part = self._part(self.current_key)
        self.app.notify(f"Linked the excerpt to {part.label if part else 'this part'}.", markup=False)

    def action_find(self) -> None:
        find = self.query_one("#find", Input)
        find.set_class(True, "-shown")
        find.focus()

    @on(Input.Submitted, "#find")
    def _find_next(self, event: Input.Submitted) -> None:
        needle = event.value.strip().casefold()
        if not needle:
            return
        parts = self._parts()
        keys = [p.key for p in parts]
        start = keys.index(self.current_key) if self.current_key in keys else 0
        in_account = sum(p.text.casefold().count(needle) for p in parts)
        raw_text = self.layout_raw.text.casefold()
        in_raw = raw_text.count(needle)
        order = parts[start + 1:] + parts[:start + 1]
        editor = self.query_one("#part-editor", TextArea)
        current_offset = editor.document.get_index_from_location(editor.selection.end)
        current = parts[start] if parts else None
        hit = None
        if current and current.text.casefold().find(needle, current_offset) >= 0:
            hit = (current, current.text.casefold().find(needle, current_offset))
        else:
            for part in order:
                index = part.text.casefold().find(needle)
                if index >= 0:
                    hit = (part, index)
                    break
        if hit:
            part, index = hit
            self.go_to(part.key)
            options = self.query_one("#parts", OptionList)
            options.highlighted = options.get_option_index(part.key)
            doc = editor.document
            editor.selection = (doc.get_location_from_index(index), doc.get_location_from_index(index + len(needle)))
        raw_index = raw_text.find(needle, self._find_from)
        if raw_index < 0:
            raw_index = raw_text.find(needle)
        if raw_index >= 0:
            raw = self.query_one("#raw-notes", TextArea)
            raw.selection = (raw.document.get_location_from_index(raw_index),
                             raw.document.get_location_from_index(raw_index + len(needle)))
            raw.scroll_cursor_visible()
            self._find_from = raw_index + len(needle)
        self.app.notify(f"{in_account} match{'es' if in_account != 1 else ''} in the account, "
                        f"{in_raw} in the raw notes.", timeout=3, markup=False)

    def action_replace(self, find: str = "") -> None:
        from lt_interview.domain.models import CaseFramework
        from lt_interview.tui.screens.replace_dialog import ReplacePrompt

        self.flush(seal=True)
        framework = self.store.one(CaseFramework)
        pseudonyms = [member.pseudonym for member in (framework[1].children + framework[1].household)] \
            if framework else []
        self.app.push_screen(ReplacePrompt(find, pseudonyms),
                             lambda answer: answer and self.confirm_edit(lambda: self._replace(*answer)))

    def _replace(self, find: str, replacement: str) -> None:
        try:
            count, changed = service.replace_everywhere(self.store, find, replacement)
        except LtError as exc:
            self.app.notify(exc.message, severity="warning", markup=False)
            return
        if not count:
            self.app.notify(f"“{find}” is not in the account (whole words, any case); nothing was changed.",
                            markup=False)
            return
        self._reload()
        self._fill_parts()
        self._load_part(self.current_key)
        self._after_change()
        self._show_notices()
        parts = "; ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        self.app.notify(f"Replaced {count} time{'s' if count != 1 else ''} with “{replacement}”: {parts}. "
                        "The raw notes are unchanged.", markup=False, timeout=6)

    def key_escape(self) -> None:
        find = self.query_one("#find", Input)
        if find.has_class("-shown"):
            find.set_class(False, "-shown")
            self.query_one("#part-editor", TextArea).focus()

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


def _typeup_screen(app) -> Screen:
    assert app.store is not None
    return TypeUpScreen(app.store)


register_mode("typeup", _typeup_screen, expect_kind=CONVERSATION)


def _part_prompt(part: PartRef) -> Text:
    words = word_count(part.text)
    label = Text("  " + part.label)
    if part.key.startswith("episode:") and part.key.endswith(":when"):
        # The date itself, so the episodes' dates are seen in the list.
        label.append(f"  {' '.join(part.text.split())}" if part.text.strip() else "  (no date yet)", style="dim")
        return label
    label.append(f"  ({words} word{'s' if words != 1 else ''})" if words else "  (empty)", style="dim")
    return label



def _lines_of(notices, text: str) -> str:
    lines = sorted({text.count("\n", 0, n.start) + 1 for n in notices})
    shown = ", ".join(str(line) for line in lines[:4]) + (", ..." if len(lines) > 4 else "")
    return f"line{'s' if len(lines) != 1 else ''} {shown}"


def _wording_line(notices, text: str) -> str:
    """The judging words in this part, grouped: “failed to”, “obvious” can read as judging."""
    if len(notices) == 1:
        return "Reminder: " + notices[0].message
    phrases: list[str] = []
    for notice in notices:
        phrase = " ".join(text[notice.start:notice.end].split())
        if phrase.casefold() not in (p.casefold() for p in phrases):
            phrases.append(phrase)
    return (f"Reminder: {', '.join(f'“{p}”' for p in phrases)} ({_lines_of(notices, text)}) can read as "
            "judging: could it say what happened and why it made sense at the time?")


def _name_line(notices, text: str) -> str:
    """Never the name itself: where it is."""
    if len(notices) == 1:
        return "Reminder: " + notices[0].message
    return (f"Reminder: {len(notices)} words here ({_lines_of(notices, text)}) look like real names from "
            "the pseudonym map; please use the pseudonyms.")


def _reviewers_line(notices, text: str) -> str:
    if len(notices) == 1:
        return "Reminder: " + notices[0].message
    return (f"Reminder: {len(notices)} passages here ({_lines_of(notices, text)}) are marked as "
            "information from the reviewers, not the practitioner's own account.")


NOTICE_LINES = (("wording", _wording_line), ("name", _name_line), ("reviewers", _reviewers_line))
