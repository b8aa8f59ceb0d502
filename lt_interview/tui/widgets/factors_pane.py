"""Contributory factors: counts by heading and practitioner; choosing a cell shows what was said."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from lt_interview.tui.widgets.analysis_pane import AnalysisPane, cell, plain


class FactorsPane(AnalysisPane, VerticalScroll):
    def compose(self) -> ComposeResult:
        yield plain("Counts of contributory factors by heading and practitioner. Choose a cell to see "
                    "what was said.", classes="note")
        yield DataTable(id="matrix", cursor_type="cell")
        yield Static(Text(""), id="drill", markup=False)

    def reload(self) -> None:
        matrix = self.model.matrix
        table = self.query_one("#matrix", DataTable)
        table.clear(columns=True)
        table.add_column(Text("Heading"), key="heading")
        for pid, label in matrix.practitioners:
            table.add_column(cell(label), key=pid)
        table.add_column(Text("Total"), key="total")
        for heading_id, title in matrix.headings:
            counts = [Text(str(matrix.count(heading_id, pid)) or "") for pid, _ in matrix.practitioners]
            table.add_row(cell(title), *counts, Text(str(matrix.heading_total(heading_id))), key=heading_id)

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
