"""The type-up screen: raw notes on the left (read only, by stage and author), the structured
account on the right, stage by stage; link raw-note excerpts to the part they support; find,
word count, gentle no-blame and real-name reminders; the accuracy-check lifecycle and the
differences between the version sent and the agreed one. Beside editing and autosave, each
concern is a module of its own (typeup_parts, _status, _find, _lifecycle, _episodes, _dialogs);
the look is in tui/styles/typeup.tcss.

Autosave as in conversation mode: a change marks the account dirty, a 50 ms timer writes the
draft when 200 ms have passed since the last write; moving to another part, opening a dialog,
losing focus and quitting flush at once, and moving part or quitting seal the draft.
"""

from __future__ import annotations


from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static, TextArea

from lt_interview.analysis.fuzzydate import period_year
from lt_interview.conversation.autosave import ACCOUNT_AUTOSAVE, Autosaver
from lt_interview.domain.account import Account, Link
from lt_interview.domain.models import CaseFramework
from lt_interview.domain.text import clean_text
from lt_interview.storage.lookups import structure_of
from lt_interview.storage.store import Store
from lt_interview.tui.actions import bindings_for
from lt_interview.tui.screens.dialogs import RecoveryScreen
from lt_interview.tui.screens.typeup_episodes import EpisodeActions
from lt_interview.tui.widgets.save_status import SaveStatus, announce_save_failure, announce_saving_works
from lt_interview.tui.screens.typeup_find import FindAndReplace
from lt_interview.tui.screens.typeup_lifecycle import AccountEditor, LifecycleActions
from lt_interview.tui.screens.typeup_parts import PartsList
from lt_interview.tui.screens.typeup_status import StatusAndReminders
from lt_interview.tui.styles import tcss
from lt_interview.typeup import service
from lt_interview.typeup.build import raw_blocks, raw_layout
from lt_interview.domain.account_parts import add_item, set_text
from lt_interview.typeup.render import diff_accounts

NARROW = 100  # below this many columns the pane titles are shortened
RAW_TITLE, RAW_TITLE_SHORT = "Raw notes (read only), by stage and author", "Raw notes (read only)"
ACCOUNT_TITLE, ACCOUNT_TITLE_SHORT = "The practitioner's account, stage by stage", "The practitioner's account"


class TypeUpScreen(EpisodeActions, PartsList, StatusAndReminders, FindAndReplace, LifecycleActions, Screen):
    ACTION_SCOPES = ("typeup",)
    BINDINGS = bindings_for("typeup")
    HELP = ("Type-up: raw notes on the left (read only), the practitioner's account on the right. "
            "Choose a part in the list, write in the box below it; select raw text and press F3 to link it.")
    CSS_PATH = tcss("typeup")

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

    # --- messages for the mixins: Textual collects @on handlers only from its own classes -----

    @on(OptionList.OptionSelected, "#parts")
    def _on_part_chosen(self, event: OptionList.OptionSelected) -> None:
        self._part_chosen(event)

    @on(OptionList.OptionHighlighted, "#parts")
    def _on_part_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._part_highlighted(event)

    @on(AccountEditor.EditRefused)
    def _on_edit_refused(self) -> None:
        self._edit_refused()

    @on(Input.Submitted, "#find")
    def _on_find_submitted(self, event: Input.Submitted) -> None:
        self._find_next(event)

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
