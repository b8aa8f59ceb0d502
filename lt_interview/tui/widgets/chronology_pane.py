"""Chronology: the agencies' chronology once blind mode allows it, or the way to unlock it with a
recorded reason."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, DataTable, Input, Static

from lt_interview.review.chronology import unlock as unlock_chronology
from lt_interview.tui.widgets.analysis_pane import AnalysisPane, cell


class ChronologyPane(AnalysisPane, VerticalScroll):
    def compose(self) -> ComposeResult:
        yield DataTable(id="chronology-table", cursor_type="row")
        yield Static(Text(""), id="chronology-note", markup=False)
        yield Input(id="unlock-reason", placeholder="Reason for showing the chronology now")
        yield Button("Unlock with this reason", id="unlock")

    def reload(self) -> None:
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
                    table.add_row(Text(item.when_text), cell(item.who), cell(item.title), key=item.item_id)
            note.update(Text("The chronology is also merged into the story of the case, in its own lanes."))
            reason.display = unlock.display = False
            return
        table.display = False
        note.update(Text(
            "The agency chronology is hidden while the review is in blind mode, so that knowing what happened "
            "later does not colour the analysis of what practitioners saw at the time. It appears here once every "
            "conversation is agreed, or when a reviewer unlocks it with a recorded reason (the unlock is "
            "audited)."))
        reason.display = unlock.display = True

    @on(Button.Pressed, "#unlock")
    def _unlock(self) -> None:
        reason = self.query_one("#unlock-reason", Input).value.strip()
        if not reason:
            self.notify("Give the reason for showing the chronology now; it is recorded.", severity="warning",
                        markup=False)
            return
        store = self.model.store
        self.change(lambda: unlock_chronology(store, reason), "Chronology unlocked; the reason is recorded.", full=True)
