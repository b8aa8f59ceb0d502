"""The analysis workspace for review-team meetings (`lt-interview analyse REVIEW.ltr`).

Tabs: Story of the case, Contributory factors, KPE register, Patterns and findings, Meetings,
Search, Chronology, each a pane in tui/widgets/ that keeps its own state. The screen holds the
headless view model (analysis/workspace.py), hands each pane a getter for it and the one change
helper, and reloads the panes after a change; every write is a revision in the review database.
All user text is rendered through rich Text, never as markup.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from lt_interview.analysis.workspace import WorkspaceModel, open_workspace_model
from lt_interview.errors import LtError
from lt_interview.tui.actions import bindings_for
from lt_interview.tui.styles import tcss
from lt_interview.tui.widgets.analysis_pane import plain
from lt_interview.tui.widgets.chronology_pane import ChronologyPane
from lt_interview.tui.widgets.factors_pane import FactorsPane
from lt_interview.tui.widgets.findings_pane import FindingsPane
from lt_interview.tui.widgets.kpe_pane import KpePane
from lt_interview.tui.widgets.meetings_pane import MeetingsPane
from lt_interview.tui.widgets.search_pane import SearchPane
from lt_interview.tui.widgets.story_pane import StoryPane

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
# The panes a change can touch; the factors and the chronology change only on a full reload.
CHANGED_BY_EDITS = (StoryPane, KpePane, FindingsPane, MeetingsPane)
ALL_PANES = (StoryPane, FactorsPane, KpePane, FindingsPane, MeetingsPane, SearchPane, ChronologyPane)


class AnalysisScreen(Screen):
    ACTION_SCOPES = ("analysis",)
    BINDINGS = bindings_for("analysis")
    HELP = ("The review team's workspace. Story of the case: every practitioner's episodes on one timeline; "
            "Enter marks an episode, then link marked episodes as the same event. Contributory factors: "
            "choose a cell to see the supporting text. KPE register, Patterns and findings, Meetings: fill in "
            "the form and save, or choose a row to redraft it; every change is kept as a new version, and a removed "
            "link or mapping stays in the history.")
    CSS_PATH = tcss("analysis")

    def __init__(self, model: WorkspaceModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        current, change = (lambda: self.model), self._change
        yield plain(f"Analysis: {self.model.data.review.name}", id="status")
        with TabbedContent(id="tabs"):
            with TabPane(TAB_LABELS["story"][0], id="story"):
                yield StoryPane(current, change, self._use_as_evidence, id="story-pane")
            with TabPane(TAB_LABELS["factors"][0], id="factors"):
                yield FactorsPane(current, change, id="factors-pane")
            with TabPane(TAB_LABELS["kpes"][0], id="kpes"):
                yield KpePane(current, change, id="kpe-pane")
            with TabPane(TAB_LABELS["patterns"][0], id="patterns"):
                yield FindingsPane(current, change, id="findings-pane")
            with TabPane(TAB_LABELS["meetings"][0], id="meetings"):
                yield MeetingsPane(current, change, id="meetings-pane")
            with TabPane(TAB_LABELS["search"][0], id="search"):
                yield SearchPane(current, change, self._say, id="search-pane")
            with TabPane(TAB_LABELS["chronology"][0], id="chronology"):
                yield ChronologyPane(current, change, id="chronology-body")
        yield Footer()

    def on_mount(self) -> None:
        self._label_tabs(self.app.size.width)
        self._reload_panes(ALL_PANES)

    def on_resize(self, event: events.Resize) -> None:
        self._label_tabs(event.size.width)
        self.query_one(StoryPane).fit_width(event.size.width)

    def _label_tabs(self, width: int) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        for pane_id, (full, short) in TAB_LABELS.items():
            tab = tabs.get_tab(pane_id)
            label = short if width < NARROW else full
            if tab.label_text != label:
                tab.label = Content(label)  # never read as markup

    def _reload_panes(self, panes: tuple[type[Any], ...]) -> None:
        for pane in panes:
            self.query_one(pane).reload()

    def _reload(self, *, full: bool = False) -> None:
        if full:
            self.model = open_workspace_model(self.model.store, self.model.timeline.mode)
            self._reload_panes(ALL_PANES)
        else:
            self.model.refresh()
            self._reload_panes(CHANGED_BY_EDITS)

    def _change(self, change: Callable[[], object], done: str, *, full: bool = False) -> None:
        """One change to the review: on success reload what shows it and say so; otherwise
        show the refusal's one line and change nothing on screen."""
        try:
            change()
        except LtError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self._reload(full=full)
        self.notify(done, markup=False)

    def _use_as_evidence(self, evidence: list[dict], practitioner_ids: list[str], period: str | None) -> None:
        self.query_one(KpePane).add_evidence(evidence, practitioner_ids, period)

    def _say(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))

    # --- actions (listed in tui/actions.py) ----------------------------------------------

    def action_toggle_lanes(self) -> None:
        self.query_one(StoryPane).toggle_lanes()

    def action_refresh(self) -> None:
        self._reload(full=True)

    def action_focus_search(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "search"
        self.query_one(SearchPane).focus_input()

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
