"""The type-up screen: raw notes on the left (read only, by stage and author), the structured
account on the right, stage by stage; link raw-note excerpts to the part they support; find,
word count, gentle no-blame and real-name reminders; the accuracy-check lifecycle and the
differences between the version sent and the agreed one.

Autosave as in conversation mode: a change marks the account dirty, a 50 ms timer writes the
draft when 200 ms have passed since the last write; moving to another part, opening a dialog,
losing focus and quitting flush at once, and moving part or quitting seal the draft.
"""

from __future__ import annotations

import time
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from lt_interview.domain.lifecycle import Status
from lt_interview.domain.text import clean_text
from lt_interview.errors import LtError
from lt_interview.operations.review import structure_of
from lt_interview.storage.store import CONVERSATION, Store
from lt_interview.tui.actions import ActionSpec, bindings_for, register_action
from lt_interview.tui.app import register_mode
from lt_interview.tui.screens.dialogs import RecoveryScreen, TextPrompt
from lt_interview.tui.widgets.save_status import SaveStatus, announce_save_failure, announce_saving_works
from lt_interview.tui.widgets.typeup_diff import DiffView
from lt_interview.typeup import checks, service
from lt_interview.typeup.build import raw_blocks, raw_layout
from lt_interview.typeup.model import Account, Link
from lt_interview.typeup.parts import PartRef, account_words, add_item, iter_parts, set_text, word_count
from lt_interview.typeup.render import diff_accounts

TICK_S = 0.05
THROTTLE_S = 0.2
RETRY_S = 1.0

for _spec in (
    ActionSpec("typeup.add_item", "add_item", "Add item",
               "Add an item to the focused section (episode, what went well, query, change...).", "f2", "typeup"),
    ActionSpec("typeup.link", "link_excerpt", "Link excerpt",
               "Link the text selected in the raw notes to the account part being edited.", "f3", "typeup"),
    ActionSpec("typeup.differences", "differences", "Differences",
               "Show the differences between the version sent for checking and the agreed one.", "f4", "typeup"),
    ActionSpec("typeup.find", "find", "Find", "Find text in the account and the raw notes.", "ctrl+f", "typeup"),
    ActionSpec("typeup.typed_up", "lifecycle('typed_up')", "Typed up",
               "Mark the account as typed up (ready to send).", "ctrl+t", "typeup", show=False),
    ActionSpec("typeup.send", "lifecycle('sent_for_checking')", "Send",
               "Record that this version was sent to the practitioner for checking, with the date.", "f8", "typeup"),
    ActionSpec("typeup.comments", "lifecycle('comments_received')", "Comments",
               "Record that the practitioner's comments came back, with the date.", "f9", "typeup"),
    ActionSpec("typeup.agree", "lifecycle('agreed')", "Agree",
               "Record the current version as agreed with the practitioner (it is then frozen).", "f10", "typeup"),
):
    register_action(_spec)

LIFECYCLE_TITLES = {
    "typed_up": "Date typed up (YYYY-MM-DD)",
    "sent_for_checking": "Date sent to the practitioner for checking (YYYY-MM-DD)",
    "comments_received": "Date the practitioner's comments came back (YYYY-MM-DD)",
    "agreed": "Date the account was agreed with the practitioner (YYYY-MM-DD)",
}


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


class TypeUpScreen(Screen):
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
    TypeUpScreen #parts { height: 2fr; }
    TypeUpScreen #part-editor { height: 2fr; }
    TypeUpScreen #links { height: auto; max-height: 4; color: $text-muted; padding: 0 1; }
    TypeUpScreen #notices { height: auto; max-height: 5; padding: 0 1; color: $warning; }
    TypeUpScreen #find { display: none; }
    TypeUpScreen #find.-shown { display: block; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.structure = structure_of(store)
        state = service.load(store)
        self.conversation_id = state.conversation_id
        self.account_id = state.account_id
        self.account: Account = state.account
        self.competing = state.competing
        blocks = raw_blocks(store, self.conversation_id, self._stage_title)
        self.layout_raw = raw_layout(blocks)
        self.current_key = "overview"
        self.keys: list[str] = []
        self.dirty = False
        self.failed = False
        self.last_flush = 0.0
        self.next_retry = 0.0
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
                yield Static(Text("Raw notes (read only), by stage and author"), classes="pane-title", markup=False)
                yield TextArea(self.layout_raw.text, read_only=True, soft_wrap=True, id="raw-notes",
                               show_cursor=True)
            with Vertical(id="account-pane"):
                yield Static(Text("The practitioner's account, stage by stage"), classes="pane-title", markup=False)
                yield OptionList(id="parts")
                yield Static(id="part-label", classes="pane-title", markup=False)
                yield TextArea("", soft_wrap=True, tab_behavior="focus", id="part-editor")
                yield Static(id="links", markup=False)
                yield Static(id="notices", markup=False)
        yield Input(placeholder="Find (Enter: next match · Esc: close)", id="find")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(TICK_S, self._tick)
        draft = self.store.draft(self.account_id)
        if draft is not None and draft[0].model_dump() != self.account.model_dump():
            self.app.push_screen(RecoveryScreen(draft[1][:16].replace("T", " "), 1), self._recovered)
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
            words = word_count(part.text)
            label = Text("  " + part.label)
            label.append(f"  ({words} words)" if words else "  (empty)", style="dim")
            options.append(Option(label, id=part.key))
            self.keys.append(part.key)
        highlighted = option_list.highlighted_option.id if option_list.highlighted_option else self.current_key
        option_list.clear_options()
        option_list.add_options(options)
        target = highlighted if highlighted in self.keys else self.current_key
        if target in self.keys:
            option_list.highlighted = option_list.get_option_index(target)

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
        if not self.dirty:
            self.dirty = True
            if not self.failed:
                self.query_one(SaveStatus).state = "saving"

    def _tick(self) -> None:
        if not self.dirty:
            return
        now = time.monotonic()
        if self.failed and now < self.next_retry:
            return
        if now - self.last_flush >= THROTTLE_S:
            self.flush()
            self._show_notices()
            self._show_status()

    def flush(self, *, seal: bool = False) -> bool:
        try:
            if self.dirty:
                self.dirty = False
                self.store.save_draft(self.account_id, self.account)
            if seal:
                service.seal(self.store)
                self._reload()
        except Exception as exc:  # noqa: BLE001 - any failed write is shown and retried
            self.dirty = True
            self.next_retry = time.monotonic() + RETRY_S
            if not self.failed:
                self.failed = True
                announce_save_failure(self.app, self.query_one(SaveStatus), exc, "The account")
            return False
        finally:
            self.last_flush = time.monotonic()
        if self.failed:
            self.failed = False
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
            text.append(f" ({when.strftime('%-d %b %Y')})")
        if self.competing > 1:
            text.append(f" · {self.competing} typed-up versions shown combined, not yet saved")
        text.append(f" · account {account_words(self.account)} words")
        if part:
            text.append(f" · this part {word_count(part.text)} words")
        self.query_one("#status", Static).update(text)

    def _show_links(self) -> None:
        links = [link for link in self.account.links if link.part == self.current_key]
        widget = self.query_one("#links", Static)
        if not links:
            widget.update(Text("No raw-note excerpts linked to this part (select raw text, then F3)."))
            return
        text = Text(f"Supported by {len(links)} excerpt{'s' if len(links) != 1 else ''}: ")
        text.append("; ".join(f"“{' '.join(link.excerpt.split())[:60]}”" for link in links))
        widget.update(text)

    def _show_notices(self) -> None:
        notices = checks.all_notices(self.store, self.account, self.heading_title)
        here = [n for n in notices if n.part_key == self.current_key]
        widget = self.query_one("#notices", Static)
        if not notices:
            widget.update(Text(""))
            return
        text = Text()
        for notice in here[:3]:
            text.append("Reminder: " + notice.message + "\n")
        elsewhere = len(notices) - len(here)
        if elsewhere:
            text.append(f"{elsewhere} gentle reminder{'s' if elsewhere != 1 else ''} in other parts of the account.")
        widget.update(text)

    # --- actions -----------------------------------------------------------------------

    def action_add_item(self) -> None:
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
        block, note_start, note_end = located
        excerpt = block.text[note_start:note_end]
        link = Link(note_id=block.note_id, start=note_start, end=note_end, excerpt=excerpt, part=self.current_key)
        self.account = self.account.model_copy(update={"links": [*self.account.links, link]})
        self.account = Account.model_validate(self.account.model_dump())
        self.dirty = True
        self.flush(seal=True)
        self._show_links()
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

    def key_escape(self) -> None:
        find = self.query_one("#find", Input)
        if find.has_class("-shown"):
            find.set_class(False, "-shown")
            self.query_one("#part-editor", TextArea).focus()

    def action_lifecycle(self, step: str) -> None:
        self.flush(seal=True)
        self._show_status()  # sealing may have settled combined versions
        today = self.store.clock().date().isoformat()
        self.app.push_screen(TextPrompt(LIFECYCLE_TITLES[step], today),
                             lambda value: self._lifecycle_date(step, value))

    def _lifecycle_date(self, step: str, value: str | None) -> None:
        if value is None:
            return
        try:
            on = date.fromisoformat(value.strip().splitlines()[0].strip())
        except (ValueError, IndexError):
            self.app.notify("That is not a date; use YYYY-MM-DD.", severity="warning", markup=False)
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
        self._show_status()
        label = Status(step).label.lower()
        self.app.notify(f"Recorded: {label} on {on.strftime('%-d %B %Y')}.", markup=False)

    def action_differences(self) -> None:
        self.flush(seal=True)
        sent, agreed, sent_v, agreed_v = service.sent_and_agreed(self.store)
        if sent is None or sent_v is None:
            self.app.notify("Nothing has been sent for checking yet, so there is nothing to compare.",
                            markup=False)
            return
        if agreed is None or agreed_v is None:
            later, title = self.account, (f"Differences between the version sent for checking "
                                          f"({sent_v.on.strftime('%-d %b %Y')}) and the account now (not yet agreed)")
        else:
            later, title = agreed, (f"Differences between the version sent for checking "
                                    f"({sent_v.on.strftime('%-d %b %Y')}) and the agreed version "
                                    f"({agreed_v.on.strftime('%-d %b %Y')})")
        self.app.push_screen(DifferencesScreen(title, diff_accounts(sent, later, self.heading_title)))


def _typeup_screen(app) -> Screen:
    assert app.store is not None
    return TypeUpScreen(app.store)


register_mode("typeup", _typeup_screen, expect_kind=CONVERSATION)
