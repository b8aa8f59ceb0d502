"""The analysis workspace for review-team meetings (`lt-interview analyse REVIEW.ltr`).

Tabs: Story of the case, Contributory factors, KPE register, Patterns and findings, Meetings,
Search, Chronology. The screen only renders the headless view model (analysis/workspace.py) and calls
the analysis operations; every write is a revision in the review database. All user text is
rendered through rich Text, never as markup.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Button, DataTable, Footer, Input, Select, SelectionList, Static, TabbedContent, TabPane, TextArea,
)
from textual.widgets.selection_list import Selection

from lt_interview.analysis import findings as findings_ops
from lt_interview.analysis import kpe as kpe_ops
from lt_interview.analysis.blame import finding_places, kpe_places
from lt_interview.analysis.data import chronology_unlocker
from lt_interview.domain.analysis import APPRAISAL_LABELS, EVIDENCE_LABELS
from lt_interview.domain.episode_fields import RECALLED
from lt_interview.analysis.timeline import Divergence
from lt_interview.analysis.workspace import WorkspaceModel, open_workspace_model
from lt_interview.domain.text import clean_line, clean_text
from lt_interview.domain.wording import gentle_notice
from lt_interview.errors import LtError
from lt_interview.storage.store import REVIEW
from lt_interview.tui.actions import bindings_for
from lt_interview.tui.widgets.form_scroll import FormScroll
from lt_interview.tui.widgets.meetings_pane import MeetingsPane
from lt_interview.tui.widgets.method_guide import BiasGuide, TypologyGuide



def plain(text: str, **kwargs) -> Static:
    return Static(Text(text), markup=False, **kwargs)


def _saved(done: str, found) -> str:
    """What a save says, with a gentle reminder (never a refusal) about wording that can read as blame."""
    reminder = gentle_notice(found)
    return f"{done} {reminder}" if reminder else done


def _timeline_widths(width: int, lanes: int) -> tuple[int, int]:
    """The story of the case's column widths: every lane on screen where each can have 12
    cells (a column takes two more for padding; two are left for the scroll bar), which puts
    seven lanes on a 120-column screen; the When column 14 to 20 wide. Cells wrap onto more
    lines instead of being cut off; with more lanes than fit, the table scrolls sideways."""
    room = max(0, width - 2 - 2 * (lanes + 1))
    when = min(20, max(14, room // (lanes + 2)))
    return when, max(12, (room - when) // max(1, lanes))


def _wrapped(text: str, width: int, style: str = "", lines: int = 3) -> Text:
    """A cell's text on at most `lines` lines of `width` (the last ending "…" if more is left):
    wrapped here, where the width is known, so that no word is cut at the column's edge."""
    import textwrap

    wrapped = textwrap.wrap(" ".join((text or "").split()), width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: max(0, width - 1)] + "…"
    return Text("\n".join(wrapped), style=style)


def _cell(text: str, style: str = "") -> Text:
    return Text(" ".join((text or "").split()), style=style)


# Each tab's full name, and the short one used below NARROW columns, where the seven full names
# (108 columns) would scroll the tab bar and hide the last tabs.
TAB_LABELS = {
    "story": ("Story of the case", "Story"),
    "factors": ("Contributory factors", "Factors"),
    "kpes": ("KPE register", "KPEs"),
    "patterns": ("Patterns and findings", "Findings"),
    "meetings": ("Meetings", "Meetings"),
    "search": ("Search", "Search"),
    "chronology": ("Chronology", "Chronology"),
}
NARROW = 110


class AnalysisScreen(Screen):
    ACTION_SCOPES = ("analysis",)
    BINDINGS = bindings_for("analysis")
    HELP = ("The review team's workspace. Story of the case: every practitioner's episodes on one timeline; "
            "Enter marks an episode, then link marked episodes as the same event. Contributory factors: "
            "choose a cell to see the supporting text. KPE register, Patterns and findings, Meetings: fill in "
            "the form and save, or choose a row to redraft it; every change is kept as a new version, and a removed "
            "link or mapping stays in the history.")
    DEFAULT_CSS = """
    AnalysisScreen #status { height: 1; padding: 0 1; background: $panel; }
    /* The tabs fill the screen and each pane scrolls inside it; otherwise the screen scrolled as
       well, a second scrollbar, and the status line went off the top. */
    AnalysisScreen #tabs, AnalysisScreen #tabs > ContentSwitcher, AnalysisScreen TabPane { height: 1fr; }
    AnalysisScreen DataTable { height: auto; max-height: 16; }
    AnalysisScreen #timeline { max-height: 55%; min-height: 10; }
    AnalysisScreen #side-by-side { height: auto; }
    AnalysisScreen #side-by-side Static { width: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    AnalysisScreen Horizontal { height: auto; }
    AnalysisScreen Button { margin: 0 1 0 0; }
    AnalysisScreen TextArea { height: 4; }
    AnalysisScreen SelectionList { height: auto; max-height: 8; }
    AnalysisScreen .label { margin-top: 1; color: $text-muted; }
    AnalysisScreen .note { color: $text-muted; }
    /* Where the focus is, by shape as well as colour: a heavy frame round the field or table,
       a button in reverse, underlined. */
    AnalysisScreen Input:focus, AnalysisScreen TextArea:focus, AnalysisScreen SelectionList:focus,
    AnalysisScreen Select:focus > SelectCurrent, AnalysisScreen DataTable:focus { border: heavy $accent; }
    AnalysisScreen Button:focus { text-style: bold reverse underline; }
    /* A tick box shows its state by its mark, not only its colour: an empty box, or an X. */
    AnalysisScreen SelectionList > .selection-list--button,
    AnalysisScreen SelectionList > .selection-list--button-highlighted { color: $panel; background: $panel; }
    AnalysisScreen SelectionList > .selection-list--button-selected,
    AnalysisScreen SelectionList > .selection-list--button-selected-highlighted {
        color: $text; background: $panel; text-style: bold;
    }
    """

    def __init__(self, model: WorkspaceModel) -> None:
        super().__init__()
        self.model = model
        self.marked: list[str] = []
        self.divergence_index: int | None = None
        self.editing_kpe: str | None = None
        self.editing_finding: str | None = None
        self.evidence: list[dict] = []
        self.drill: Text = Text("")
        self._timeline_width = 0  # the screen width the story of the case was laid out for

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        data = self.model.data
        yield plain(f"Analysis: {data.review.name}", id="status")
        with TabbedContent(id="tabs"):
            with TabPane(TAB_LABELS["story"][0], id="story"):
                with VerticalScroll():
                    yield plain("Episodes by date as each practitioner gave it. Enter marks an episode for linking. "
                                "(draft) = account not yet agreed; ~ = placed by the practitioner's own order. "
                                "The highlighted episode's account shows below.", classes="note")
                    yield Static(Text(""), id="accounts-status", markup=False, classes="note")
                    yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
                    with Horizontal():
                        yield Button("Link marked as the same event", id="link-marked")
                        yield Button("Lanes by agency", id="toggle-lanes")
                    yield plain("Where accounts differ", classes="label")
                    yield DataTable(id="divergences", cursor_type="row")
                    with Horizontal():
                        yield Button("Link these as the same event", id="link-divergence")
                        yield Button("Unlink this group", id="unlink-divergence")
                        yield Button("Use as KPE evidence", id="divergence-evidence")
                    yield Horizontal(id="side-by-side")
            with TabPane(TAB_LABELS["factors"][0], id="factors"):
                with VerticalScroll():
                    yield plain("Counts of contributory factors by heading and practitioner. Choose a cell to see "
                                "what was said.", classes="note")
                    yield DataTable(id="matrix", cursor_type="cell")
                    yield Static(Text(""), id="drill", markup=False)
            with TabPane(TAB_LABELS["kpes"][0], id="kpes"):
                with FormScroll():
                    yield DataTable(id="kpe-table", cursor_type="row")
                    yield plain("Title", classes="label")
                    yield Input(id="kpe-title")
                    yield plain("Period", classes="label")
                    yield Input(id="kpe-period")
                    yield plain("Description", classes="label")
                    yield TextArea(id="kpe-description")
                    yield plain("Who was involved", classes="label")
                    yield SelectionList(*[Selection(Text(label), pid) for pid, label in data.labels.items()],
                                        id="kpe-people")
                    yield plain("Evidence", classes="label")
                    yield Static(Text("No evidence yet."), id="kpe-evidence", markup=False)
                    yield BiasGuide(data.structure, id="kpe-bias-guide")
                    yield plain("Appraisal (against what could reasonably be expected at the time)", classes="label")
                    yield Select([(Text(label), key) for key, label in APPRAISAL_LABELS.items()],
                                 id="kpe-appraisal", prompt="Not yet appraised")
                    yield plain("Rationale", classes="label")
                    yield TextArea(id="kpe-rationale")
                    yield plain("Standard referred to", classes="label")
                    yield Input(id="kpe-standard")
                    yield plain("Explanation: why it made sense, how usual it is", classes="label")
                    yield TextArea(id="kpe-explanation")
                    yield plain("Contributory factors", classes="label")
                    yield SelectionList(*[Selection(Text(label), fid) for fid, label in
                                          self.model.factor_labels().items()], id="kpe-factors")
                    yield plain("Reasoning-bias tags on the explanation (never on a person)", classes="label")
                    yield SelectionList(*[Selection(Text(label), bid) for bid, label in
                                          self.model.bias_tag_labels().items()], id="kpe-biases")
                    with Horizontal():
                        yield Button("Save as new KPE", id="kpe-new", variant="primary")
                        yield Button("Save changes", id="kpe-save")
                        yield Button("Clear form", id="kpe-clear")
            with TabPane(TAB_LABELS["patterns"][0], id="patterns"):
                with FormScroll():
                    yield plain("Map a KPE's explanation to an underlying pattern", classes="label")
                    yield TypologyGuide(data.structure, id="typology-guide")
                    with Horizontal():
                        yield Select([], id="map-kpe", prompt="Key practice episode")
                        yield Select([(Text(label), cid) for cid, label in self.model.category_labels().items()],
                                     id="map-category", prompt="Typology category")
                    yield Input(id="map-rationale", placeholder="Why this pattern")
                    yield Button("Map to category", id="map-save")
                    yield DataTable(id="mappings", cursor_type="row")
                    yield Button("Remove the selected mapping", id="map-remove")
                    yield plain("Draft a finding", classes="label")
                    yield Input(id="finding-title", placeholder="Statement: a general, system-level claim")
                    yield plain("Summary", classes="label")
                    yield TextArea(id="finding-summary")
                    yield plain("How it showed in this case", classes="label")
                    yield TextArea(id="finding-how")
                    yield SelectionList(id="finding-kpes")
                    yield plain("Why it is not a one-off", classes="label")
                    yield TextArea(id="finding-prevalence")
                    yield plain("Why it matters", classes="label")
                    yield TextArea(id="finding-matters")
                    yield plain(f"Questions for the {data.review.commissioner_term} (one per line)", classes="label")
                    yield TextArea(id="finding-questions")
                    yield plain("Underlying patterns it shows (the typology categories, described above)",
                                classes="label")
                    yield SelectionList(*[Selection(Text(label), cid) for cid, label in
                                          self.model.category_labels().items()], id="finding-categories")
                    yield Input(id="finding-priority", placeholder="Priority (1 is highest; blank for none)")
                    with Horizontal():
                        yield Button("Save as new finding", id="finding-save", variant="primary")
                        yield Button("Save changes", id="finding-update")
                        yield Button("Clear form", id="finding-clear")
                    yield plain("Choose a finding to redraft it; every change is kept as a new version.",
                                classes="note")
                    yield DataTable(id="finding-table", cursor_type="row")
            with TabPane(TAB_LABELS["meetings"][0], id="meetings"):
                yield MeetingsPane(lambda: self.model, self._change, id="meetings-pane")
            with TabPane(TAB_LABELS["search"][0], id="search"):
                with Vertical():
                    yield Input(id="search-input", placeholder="Words to find in every conversation; \"a phrase\"")
                    yield DataTable(id="search-results", cursor_type="row")
            with TabPane(TAB_LABELS["chronology"][0], id="chronology"):
                with VerticalScroll(id="chronology-body"):
                    yield DataTable(id="chronology-table", cursor_type="row")
                    yield Static(Text(""), id="chronology-note", markup=False)
                    yield Input(id="unlock-reason", placeholder="Reason for showing the chronology now")
                    yield Button("Unlock with this reason", id="unlock")
        yield Footer()

    def on_mount(self) -> None:
        self._label_tabs(self.app.size.width)
        self._render_all()

    def on_resize(self, event: events.Resize) -> None:
        self._label_tabs(event.size.width)
        if event.size.width != self._timeline_width:
            self._render_timeline()  # the lanes' widths follow the screen's

    def _label_tabs(self, width: int) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        for pane_id, (full, short) in TAB_LABELS.items():
            tab = tabs.get_tab(pane_id)
            label = short if width < NARROW else full
            if tab.label_text != label:
                tab.label = Content(label)  # never read as markup

    # --- rendering -----------------------------------------------------------------------

    def _render_all(self) -> None:
        self._render_timeline()
        self._render_divergences()
        self._render_matrix()
        self._render_kpes()
        self._render_patterns()
        self.query_one(MeetingsPane).render_meetings()
        self._render_chronology()

    def _render_timeline(self) -> None:
        timeline = self.model.timeline
        table = self.query_one("#timeline", DataTable)
        table.clear(columns=True)
        self._timeline_width = self.size.width or self.app.size.width
        when_width, lane_width = _timeline_widths(self._timeline_width, len(timeline.lanes))
        table.header_height = 2  # lane names on two lines when a lane is narrow
        table.add_column(_wrapped("When", when_width, "", 2), key="when", width=when_width)
        for lane in timeline.lanes:
            table.add_column(_wrapped(lane.label, lane_width, "bold", 2), key=lane.key, width=lane_width)
        kinds = {lane.key: lane.kind for lane in timeline.lanes}
        keys = [lane.key for lane in timeline.lanes]
        linked = {item_id for divergence in timeline.divergences if divergence.kind == "linked"
                  for item_id in divergence.item_ids}
        accounts = self.model.data.accounts
        self.query_one("#accounts-status", Static).update(Text("Accounts: " + "; ".join(
            f"{self.model.data.label_of_conversation(cid)}: {source.label}" for cid, source in accounts.items())))
        for item in timeline.items:
            cells: list[Text] = [Text("") for _ in keys]
            source = accounts.get(item.conversation_id or "")
            status = " (not typed up)" if source is not None and source.state in ("not_typed_up", "not_held") \
                else " (draft)" if item.draft else ""
            title = f"{item.who}: {item.title}" if kinds.get(item.lane) == "chronology" else item.title
            label = title + status + (" (linked)" if item.item_id in linked else "")
            marker = "* " if item.item_id in self.marked else ""
            style = "italic" if item.source == "chronology" else ""
            cells[keys.index(item.lane)] = _wrapped(marker + label, lane_width, style)
            when = item.when_text or "no date given"
            if item.placed_by == "their order":
                when = "~ " + when
            row = [_wrapped(when, when_width), *cells]
            table.add_row(*row, key=item.item_id, height=max(len(cell.plain.split("\n")) for cell in row))
        button = self.query_one("#toggle-lanes", Button)
        button.label = Text("Lanes by practitioner" if timeline.mode == "agency" else "Lanes by agency")

    def _render_divergences(self) -> None:
        table = self.query_one("#divergences", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("Kind"), Text("Where accounts differ"), Text("Episodes"))
        for index, divergence in enumerate(self.model.timeline.divergences):
            table.add_row(_cell(divergence.kind), _cell(divergence.title), Text(str(len(divergence.item_ids))),
                          key=str(index))

    def _render_side_by_side(self, item_ids: tuple[str, ...] | list[str], noted: Divergence | None = None) -> None:
        panel = self.query_one("#side-by-side", Horizontal)
        panel.remove_children()
        widgets = []
        if noted is not None:
            text = Text()
            text.append(noted.who[0] + (" (draft account)" if noted.draft else "") + "\n", style="bold")
            text.append("Divergence noted in the conversation\n", style="underline")
            if noted.differs_from:
                text.append("Differs from: ", style="bold")
                text.append(noted.differs_from + "\n")
            text.append(noted.note + "\n")
            widgets.append(Static(text, markup=False))
        for item in self.model.timeline.side_by_side(item_ids):
            text = Text()
            text.append(item.who + (" (draft account)" if item.draft else "") + "\n", style="bold")
            text.append(item.title + "\n", style="underline")
            text.append(f"When: {item.when_text or 'no date given'}\n")
            if item.source == "episode":
                text.append(f"Account: {self.model.data.account_label(item.conversation_id)}\n", style="italic")
            episode = item.episode
            if episode is not None:
                for field in RECALLED:
                    value = getattr(episode, field.name)
                    if value:
                        text.append(f"{field.short}: ", style="bold")
                        text.append(value + "\n")
            widgets.append(Static(text, markup=False))
        if widgets:
            panel.mount(*widgets)

    def _render_matrix(self) -> None:
        matrix = self.model.matrix
        table = self.query_one("#matrix", DataTable)
        table.clear(columns=True)
        table.add_column(Text("Heading"), key="heading")
        for pid, label in matrix.practitioners:
            table.add_column(_cell(label), key=pid)
        table.add_column(Text("Total"), key="total")
        for heading_id, title in matrix.headings:
            counts = [Text(str(matrix.count(heading_id, pid)) or "") for pid, _ in matrix.practitioners]
            table.add_row(_cell(title), *counts, Text(str(matrix.heading_total(heading_id))), key=heading_id)

    def _render_kpes(self) -> None:
        table = self.query_one("#kpe-table", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("No."), Text("Title"), Text("Period"), Text("Appraisal"), Text("Evidence"))
        for kpe_id, kpe in self.model.kpes():
            table.add_row(Text(str(kpe.number)), _cell(kpe.title), _cell(kpe.period),
                          Text(APPRAISAL_LABELS.get(kpe.appraisal or "", "")), Text(str(len(kpe.evidence))),
                          key=kpe_id)
        self._render_evidence()

    def _render_evidence(self) -> None:
        text = Text()
        if not self.evidence:
            text.append("No evidence yet. Choose a divergence in Story of the case and 'Use as KPE evidence'.")
        for item in self.evidence:
            text.append(f"{EVIDENCE_LABELS.get(item['kind'], item['kind'])}: ", style="bold")
            text.append((item.get("excerpt") or "")[:200] + "\n")
        self.query_one("#kpe-evidence", Static).update(text)

    def _render_patterns(self) -> None:
        kpes = self.model.kpes()
        self.query_one("#map-kpe", Select).set_options(
            [(Text(f"KPE {kpe.number}: {kpe.title}"), kpe_id) for kpe_id, kpe in kpes])
        finding_kpes = self.query_one("#finding-kpes", SelectionList)
        finding_kpes.clear_options()
        finding_kpes.add_options([Selection(Text(f"KPE {kpe.number}: {kpe.title}"), kpe_id) for kpe_id, kpe in kpes])
        numbers = {kpe_id: kpe.number for kpe_id, kpe in kpes}
        categories = self.model.category_labels()
        table = self.query_one("#mappings", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("KPE"), Text("Underlying pattern"), Text("Rationale"))
        for mapping_id, mapping in self.model.mappings():
            table.add_row(Text(str(numbers.get(mapping.kpe_id, "?"))),
                          _cell(categories.get(mapping.category_id, mapping.category_id)), _cell(mapping.rationale),
                          key=mapping_id)
        findings = self.query_one("#finding-table", DataTable)
        findings.clear(columns=True)
        findings.add_columns(Text("Priority"), Text("Finding"), Text("KPEs"), Text("Questions"))
        for finding_id, finding in self.model.findings():
            findings.add_row(Text(str(finding.priority or "")), _cell(finding.title),
                             Text(", ".join(str(numbers.get(k, "?")) for k in finding.kpe_ids)),
                             Text(str(len(finding.board_questions))), key=finding_id)

    def _render_chronology(self) -> None:
        table = self.query_one("#chronology-table", DataTable)
        note = self.query_one("#chronology-note", Static)
        reason = self.query_one("#unlock-reason", Input)
        unlock = self.query_one("#unlock", Button)
        table.clear(columns=True)
        if self.model.data.chronology_visible:
            table.display = True
            table.add_columns(Text("Date"), Text("Agency"), Text("Event"))
            for item in self.model.timeline.items:
                if item.source == "chronology":
                    table.add_row(Text(item.when_text), _cell(item.who), _cell(item.title), key=item.item_id)
            note.update(Text("The chronology is also merged into the story of the case, in its own lanes."))
            reason.display = unlock.display = False
            return
        table.display = False
        can_unlock = chronology_unlocker(self.model.store) is not None
        note.update(Text(
            "The agency chronology is hidden while the review is in blind mode, so that knowing what happened "
            "later does not colour the analysis of what practitioners saw at the time. It appears here once every "
            "conversation is agreed" + (", or when a reviewer unlocks it with a recorded reason (the unlock is "
                                       "audited)." if can_unlock else ".")))
        reason.display = unlock.display = can_unlock

    def _reload(self, *, full: bool = False) -> None:
        if full:
            self.model = open_workspace_model(self.model.store, self.model.timeline.mode)
            self._render_all()
        else:
            self.model.refresh()
            self._render_timeline()
            self._render_divergences()
            self._render_kpes()
            self._render_patterns()
            self.query_one(MeetingsPane).render_meetings()

    def _error(self, exc: LtError) -> None:
        self.notify(exc.message, severity="error", markup=False)

    def _change(self, change: Callable[[], object], done: str, *, full: bool = False) -> None:
        """One change to the review: on success reload what shows it and say so; otherwise
        show the refusal's one line and change nothing on screen."""
        try:
            change()
        except LtError as exc:
            self._error(exc)
            return
        self._reload(full=full)
        self.notify(done, markup=False)

    # --- story of the case ---------------------------------------------------------------

    @on(DataTable.RowSelected, "#timeline")
    def _toggle_mark(self, event: DataTable.RowSelected) -> None:
        item_id = str(event.row_key.value)
        item = self.model.timeline.item(item_id)
        if item is None or item.source != "episode":
            return
        if item_id in self.marked:
            self.marked.remove(item_id)
        else:
            self.marked.append(item_id)
        self._render_timeline()
        self._render_side_by_side(self.marked)
        self.query_one("#timeline", DataTable).move_cursor(row=event.cursor_row)

    @on(DataTable.RowHighlighted, "#timeline")
    def _show_episode(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted episode's account below the timeline (the marked ones while linking)."""
        if self.marked or event.row_key is None or event.row_key.value is None:
            return
        self._render_side_by_side([str(event.row_key.value)])

    def action_real_names(self) -> None:
        from lt_interview.export.guard import names_in_accounts
        from lt_interview.tui.screens.dialogs import ChoiceScreen

        found = names_in_accounts(self.model.store, self.model.data)
        if not found:
            self.notify("No real name from the pseudonym map is in any account.", markup=False)
            return
        choices = [(str(index), item.describe()) for index, (item, _) in enumerate(found)]
        hint = ("To replace one: open that conversation's file in type-up (lt-interview typeup ROLE.ltc), press "
                "Ctrl+R and replace the word with the pseudonym everywhere in the account; an agreed account then "
                "goes round the check again, and the next merge brings the new version here.")

        def chosen(index: str | None) -> None:
            if index is None:
                return
            item, role = found[int(index)]
            self.notify(f"In type-up for the conversation with {role}, Ctrl+R replaces “{item.word}” with the "
                        "pseudonym everywhere in the account.", markup=False, timeout=8)

        self.app.push_screen(ChoiceScreen(f"Real names in the accounts ({len(found)})", choices, hint), chosen)

    @on(DataTable.RowHighlighted, "#divergences")
    def _show_divergence(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        self.divergence_index = int(event.row_key.value)
        divergence = self.model.timeline.divergences[self.divergence_index]
        self._render_side_by_side(divergence.item_ids, divergence if divergence.kind == "noted" else None)

    def _selected_divergence(self):
        divergences = self.model.timeline.divergences
        if self.divergence_index is None or self.divergence_index >= len(divergences):
            return None
        return divergences[self.divergence_index]

    @on(Button.Pressed, "#link-marked")
    def _link_marked(self) -> None:
        self._link(self.marked)

    @on(Button.Pressed, "#link-divergence")
    def _link_divergence(self) -> None:
        divergence = self._selected_divergence()
        if divergence is None:
            self.notify("Choose a divergence first.", markup=False)
            return
        self._link(list(divergence.item_ids))

    @on(Button.Pressed, "#unlink-divergence")
    def _unlink_divergence(self) -> None:
        divergence = self._selected_divergence()
        if divergence is None or divergence.link_id is None:
            self.notify("Choose a linked group (kind 'linked') under 'Where accounts differ' first.", markup=False)
            return
        link_id = divergence.link_id

        def unlink() -> None:
            kpe_ops.remove(self.model.store, link_id)
            self.divergence_index = None
            self._render_side_by_side([])

        self._change(unlink, "Unlinked; the link stays in the history.")

    def _link(self, ids: list[str]) -> None:
        def link() -> None:
            kpe_ops.link_episodes(self.model.store, ids)
            self.marked.clear()

        self._change(link, "Linked as the same event seen by several people.")

    @on(Button.Pressed, "#divergence-evidence")
    def _divergence_evidence(self) -> None:
        divergence = self._selected_divergence()
        ids = list(divergence.item_ids) if divergence else list(self.marked)
        if not ids and (divergence is None or divergence.kind != "noted"):
            self.notify("Choose a divergence or mark episodes first.", markup=False)
            return
        if divergence is not None and divergence.kind == "noted":
            differs = f" (differs from {divergence.differs_from})" if divergence.differs_from else ""
            self.evidence.append({"kind": "excerpt", "ref_id": None, "excerpt": clean_text(
                f"{divergence.who[0]}, divergence noted{differs}: {divergence.note}")})
        for item in self.model.timeline.side_by_side(ids):
            episode = item.episode
            excerpt = ""
            if episode is not None:
                excerpt = episode.source_excerpt or episode.thought or episode.knew or episode.did or episode.title
            self.evidence.append({"kind": "episode", "ref_id": item.item_id,
                                  "excerpt": clean_text(f"{item.who}: {excerpt}")})
        people = self.query_one("#kpe-people", SelectionList)
        for item in self.model.timeline.side_by_side(ids):
            if item.practitioner_id:
                people.select(item.practitioner_id)
        if not self.query_one("#kpe-period", Input).value and divergence is not None:
            self.query_one("#kpe-period", Input).value = divergence.period
        self._render_evidence()
        noted = "The noted divergence and " if divergence is not None and divergence.kind == "noted" else ""
        self.notify(f"{noted}{len(ids)} episode(s) added as evidence to the KPE form.", markup=False)

    def action_toggle_lanes(self) -> None:
        self.model.relayout("practitioner" if self.model.timeline.mode == "agency" else "agency")
        self._render_timeline()
        self._render_divergences()

    @on(Button.Pressed, "#toggle-lanes")
    def _toggle_lanes_button(self) -> None:
        self.action_toggle_lanes()

    def action_refresh(self) -> None:
        self._reload(full=True)

    def action_focus_search(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "search"
        self.query_one("#search-input", Input).focus()

    # --- factors -------------------------------------------------------------------------

    @on(DataTable.CellSelected, "#matrix")
    def _drill(self, event: DataTable.CellSelected) -> None:
        heading_id = str(event.cell_key.row_key.value)
        column = str(event.cell_key.column_key.value)
        practitioner_id = None if column in ("heading", "total") else column
        found = self.model.matrix.drill_down(heading_id, practitioner_id)
        text = Text()
        if not found:
            text.append("Nothing recorded under this heading here.")
        for support in found:
            text.append(f"{support.who}{' (draft)' if support.draft else ''}", style="bold")
            if support.episode_title:
                text.append(f", '{support.episode_title}'")
            text.append(": ")
            if support.item:
                text.append(f"[{support.item}] ")
            text.append(support.text + "\n")
        self.query_one("#drill", Static).update(text)

    # --- KPE register --------------------------------------------------------------------

    def _kpe_fields(self) -> dict:
        appraisal = self.query_one("#kpe-appraisal", Select).value
        return {
            "title": clean_line(self.query_one("#kpe-title", Input).value),
            "period": self.query_one("#kpe-period", Input).value,
            "description": self.query_one("#kpe-description", TextArea).text,
            "practitioner_ids": list(self.query_one("#kpe-people", SelectionList).selected),
            "evidence": list(self.evidence),
            "appraisal": appraisal if isinstance(appraisal, str) else None,
            "appraisal_rationale": self.query_one("#kpe-rationale", TextArea).text,
            "standard": self.query_one("#kpe-standard", Input).value,
            "explanation": self.query_one("#kpe-explanation", TextArea).text,
            "factor_ids": list(self.query_one("#kpe-factors", SelectionList).selected),
            "bias_ids": list(self.query_one("#kpe-biases", SelectionList).selected),
        }

    @on(Button.Pressed, "#kpe-new")
    def _kpe_new(self) -> None:
        fields = self._kpe_fields()
        if not fields["title"]:
            self.notify("Give the key practice episode a title.", severity="warning", markup=False)
            return

        def add() -> None:
            self.editing_kpe = kpe_ops.add_kpe(self.model.store, **fields)

        self._change(add, _saved("Key practice episode registered.", kpe_places(fields)))

    @on(Button.Pressed, "#kpe-save")
    def _kpe_save(self) -> None:
        if self.editing_kpe is None:
            self._kpe_new()
            return
        kpe_id, fields = self.editing_kpe, self._kpe_fields()
        self._change(lambda: kpe_ops.update_kpe(self.model.store, kpe_id, **fields),
                     _saved("Changes saved as a new version.", kpe_places(fields)))

    @on(Button.Pressed, "#kpe-clear")
    def _kpe_clear(self) -> None:
        self.editing_kpe = None
        self.evidence = []
        for selector in ("#kpe-title", "#kpe-period", "#kpe-standard"):
            self.query_one(selector, Input).value = ""
        for selector in ("#kpe-description", "#kpe-rationale", "#kpe-explanation"):
            self.query_one(selector, TextArea).text = ""
        for selector in ("#kpe-people", "#kpe-factors", "#kpe-biases"):
            self.query_one(selector, SelectionList).deselect_all()
        self.query_one("#kpe-appraisal", Select).clear()
        self._render_evidence()

    @on(DataTable.RowSelected, "#kpe-table")
    def _kpe_load(self, event: DataTable.RowSelected) -> None:
        kpe_id = str(event.row_key.value)
        found = dict(self.model.kpes()).get(kpe_id)
        if found is None:
            return
        self._kpe_clear()
        self.editing_kpe = kpe_id
        self.evidence = [item.model_dump() for item in found.evidence]
        self.query_one("#kpe-title", Input).value = found.title
        self.query_one("#kpe-period", Input).value = found.period
        self.query_one("#kpe-standard", Input).value = found.standard
        self.query_one("#kpe-description", TextArea).text = found.description
        self.query_one("#kpe-rationale", TextArea).text = found.appraisal_rationale
        self.query_one("#kpe-explanation", TextArea).text = found.explanation
        for selector, values in (("#kpe-people", found.practitioner_ids), ("#kpe-factors", found.factor_ids),
                                 ("#kpe-biases", found.bias_ids)):
            widget = self.query_one(selector, SelectionList)
            for value in values:
                widget.select(value)
        if found.appraisal:
            self.query_one("#kpe-appraisal", Select).value = found.appraisal
        self._render_evidence()

    # --- patterns and findings -----------------------------------------------------------

    @on(Button.Pressed, "#map-save")
    def _map(self) -> None:
        kpe_id = self.query_one("#map-kpe", Select).value
        category_id = self.query_one("#map-category", Select).value
        if not isinstance(kpe_id, str) or not isinstance(category_id, str):
            self.notify("Choose a key practice episode and a typology category.", severity="warning", markup=False)
            return
        rationale = self.query_one("#map-rationale", Input).value
        self._change(lambda: kpe_ops.map_to_category(self.model.store, kpe_id, category_id, rationale),
                     "Mapped to the underlying pattern.")

    @on(Button.Pressed, "#map-remove")
    def _map_remove(self) -> None:
        table = self.query_one("#mappings", DataTable)
        if not table.row_count:
            self.notify("There is no mapping to remove.", markup=False)
            return
        mapping_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        self._change(lambda: kpe_ops.remove(self.model.store, mapping_id), "Mapping removed; it stays in the history.")

    def _finding_fields(self) -> dict | None:
        """The form as Finding fields, or None (with a warning shown) when it cannot be saved."""
        title = clean_line(self.query_one("#finding-title", Input).value)
        if not title:
            self.notify("Write the finding's statement first.", severity="warning", markup=False)
            return None
        priority_text = self.query_one("#finding-priority", Input).value.strip()
        if priority_text and not priority_text.isdigit():
            self.notify("Priority is a whole number (1 is highest) or blank.", severity="warning", markup=False)
            return None
        questions = [line.strip() for line in self.query_one("#finding-questions", TextArea).text.splitlines()
                     if line.strip()]
        kpe_ids = list(self.query_one("#finding-kpes", SelectionList).selected)
        # The evidence travels with the finding: what its KPEs cite at the time it is saved.
        evidence = [item.model_dump() for kpe_id, kpe in self.model.kpes() if kpe_id in kpe_ids
                    for item in kpe.evidence]
        return {
            "title": title, "summary": self.query_one("#finding-summary", TextArea).text,
            "how_it_showed": self.query_one("#finding-how", TextArea).text, "kpe_ids": kpe_ids,
            "evidence": evidence, "why_not_one_off": self.query_one("#finding-prevalence", TextArea).text,
            "why_it_matters": self.query_one("#finding-matters", TextArea).text, "board_questions": questions,
            "category_ids": list(self.query_one("#finding-categories", SelectionList).selected),
            "priority": int(priority_text or 0),
        }

    def _finding_places(self, fields: dict):
        return finding_places(fields, board=self.model.data.review.commissioner_term)

    @on(Button.Pressed, "#finding-save")
    def _finding_save(self) -> None:
        fields = self._finding_fields()
        if fields is None:
            return

        def add() -> None:
            self.editing_finding = findings_ops.add_finding(self.model.store, **fields)

        self._change(add, _saved("Finding drafted.", self._finding_places(fields)))

    @on(Button.Pressed, "#finding-update")
    def _finding_update(self) -> None:
        if self.editing_finding is None:
            self._finding_save()
            return
        fields = self._finding_fields()
        if fields is None:
            return
        finding_id = self.editing_finding
        self._change(lambda: findings_ops.update_finding(self.model.store, finding_id, **fields),
                     _saved("Changes saved as a new version.", self._finding_places(fields)))

    @on(Button.Pressed, "#finding-clear")
    def _finding_clear(self) -> None:
        self.editing_finding = None
        for selector in ("#finding-title", "#finding-priority"):
            self.query_one(selector, Input).value = ""
        for selector in ("#finding-summary", "#finding-how", "#finding-prevalence", "#finding-matters",
                         "#finding-questions"):
            self.query_one(selector, TextArea).text = ""
        for selector in ("#finding-kpes", "#finding-categories"):
            self.query_one(selector, SelectionList).deselect_all()

    @on(DataTable.RowSelected, "#finding-table")
    def _finding_load(self, event: DataTable.RowSelected) -> None:
        finding_id = str(event.row_key.value)
        found = dict(self.model.findings()).get(finding_id)
        if found is None:
            return
        self._finding_clear()
        self.editing_finding = finding_id
        self.query_one("#finding-title", Input).value = found.title
        self.query_one("#finding-priority", Input).value = str(found.priority or "")
        for selector, value in (("#finding-summary", found.summary), ("#finding-how", found.how_it_showed),
                                ("#finding-prevalence", found.why_not_one_off),
                                ("#finding-matters", found.why_it_matters),
                                ("#finding-questions", "\n".join(found.board_questions))):
            self.query_one(selector, TextArea).text = value
        for selector, values in (("#finding-kpes", found.kpe_ids), ("#finding-categories", found.category_ids)):
            widget = self.query_one(selector, SelectionList)
            for value in values:
                widget.select(value)
        self.notify("Redrafting this finding: Save changes keeps the earlier version in the history.",
                    markup=False)

    # --- search --------------------------------------------------------------------------

    @on(Input.Submitted, "#search-input")
    def _search(self, event: Input.Submitted) -> None:
        table = self.query_one("#search-results", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("Who"), Text("Where"), Text("Text"))
        for index, hit in enumerate(self.model.search(event.value)):
            snippet = Text(hit.snippet)
            snippet.stylize("reverse", hit.match_start, hit.match_end)
            table.add_row(_cell(hit.who + (" (draft)" if hit.draft else "")), _cell(hit.kind_label), snippet,
                          key=f"{index}:{hit.record_id}")
        self.query_one("#status", Static).update(Text(f"Search: {table.row_count} found"))

    # --- chronology ----------------------------------------------------------------------

    @on(Button.Pressed, "#unlock")
    def _unlock(self) -> None:
        unlock = chronology_unlocker(self.model.store)
        reason = self.query_one("#unlock-reason", Input).value.strip()
        if unlock is None:
            return
        if not reason:
            self.notify("Give the reason for showing the chronology now; it is recorded.", severity="warning",
                        markup=False)
            return
        self._change(lambda: unlock(self.model.store, reason), "Chronology unlocked; the reason is recorded.",
                     full=True)


def _analysis_screen(app) -> Screen:
    assert app.store is not None
    return AnalysisScreen(open_workspace_model(app.store))


def _register() -> None:
    from lt_interview.tui.app import register_mode

    register_mode("analyse", _analysis_screen, expect_kind=REVIEW)


_register()
