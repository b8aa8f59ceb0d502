"""Patterns and findings: map a KPE's explanation to a typology category, and draft or redraft the
findings (each a general, system-level claim with the questions it raises)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Select, SelectionList, TextArea
from textual.widgets.selection_list import Selection

from lt_interview.analysis import findings as findings_ops
from lt_interview.analysis import kpe as kpe_ops
from lt_interview.analysis.blame import finding_places
from lt_interview.domain.text import clean_line
from lt_interview.tui.widgets.analysis_pane import AnalysisPane, cell, plain, saved
from lt_interview.tui.widgets.form_scroll import FormScroll
from lt_interview.tui.widgets.method_guide import TypologyGuide

TEXT_FIELDS = ("#finding-summary", "#finding-how", "#finding-prevalence", "#finding-matters", "#finding-questions")


class FindingsPane(AnalysisPane, FormScroll):
    def __init__(self, model, change, **kwargs) -> None:
        super().__init__(model, change, **kwargs)
        self.editing: str | None = None  # the finding being redrafted

    def compose(self) -> ComposeResult:
        data = self.model.data
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
        yield plain("Underlying patterns it shows (the typology categories, described above)", classes="label")
        yield SelectionList(*[Selection(Text(label), cid) for cid, label in
                              self.model.category_labels().items()], id="finding-categories")
        yield Input(id="finding-priority", placeholder="Priority (1 is highest; blank for none)")
        with Horizontal():
            yield Button("Save as new finding", id="finding-save", variant="primary")
            yield Button("Save changes", id="finding-update")
            yield Button("Clear form", id="finding-clear")
        yield plain("Choose a finding to redraft it; every change is kept as a new version.", classes="note")
        yield DataTable(id="finding-table", cursor_type="row")

    def reload(self) -> None:
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
                          cell(categories.get(mapping.category_id, mapping.category_id)), cell(mapping.rationale),
                          key=mapping_id)
        findings = self.query_one("#finding-table", DataTable)
        findings.clear(columns=True)
        findings.add_columns(Text("Priority"), Text("Finding"), Text("KPEs"), Text("Questions"))
        for finding_id, finding in self.model.findings():
            findings.add_row(Text(str(finding.priority or "")), cell(finding.title),
                             Text(", ".join(str(numbers.get(k, "?")) for k in finding.kpe_ids)),
                             Text(str(len(finding.board_questions))), key=finding_id)

    # --- mapping to the typology ---------------------------------------------------------

    @on(Button.Pressed, "#map-save")
    def _map(self) -> None:
        kpe_id = self.query_one("#map-kpe", Select).value
        category_id = self.query_one("#map-category", Select).value
        if not isinstance(kpe_id, str) or not isinstance(category_id, str):
            self.notify("Choose a key practice episode and a typology category.", severity="warning", markup=False)
            return
        rationale = self.query_one("#map-rationale", Input).value
        store = self.model.store
        self.change(lambda: kpe_ops.map_to_category(store, kpe_id, category_id, rationale),
                    "Mapped to the underlying pattern.")

    @on(Button.Pressed, "#map-remove")
    def _map_remove(self) -> None:
        table = self.query_one("#mappings", DataTable)
        if not table.row_count:
            self.notify("There is no mapping to remove.", markup=False)
            return
        mapping_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        store = self.model.store
        self.change(lambda: kpe_ops.remove(store, mapping_id), "Mapping removed; it stays in the history.")

    # --- findings ------------------------------------------------------------------------

    def _fields(self) -> dict | None:
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

    def _places(self, fields: dict):
        return finding_places(fields, board=self.model.data.review.commissioner_term)

    @on(Button.Pressed, "#finding-save")
    def _save(self) -> None:
        fields = self._fields()
        if fields is None:
            return

        def add() -> None:
            self.editing = findings_ops.add_finding(self.model.store, **fields)

        self.change(add, saved("Finding drafted.", self._places(fields)))

    @on(Button.Pressed, "#finding-update")
    def _update(self) -> None:
        if self.editing is None:
            self._save()
            return
        fields = self._fields()
        if fields is None:
            return
        finding_id, store = self.editing, self.model.store
        self.change(lambda: findings_ops.update_finding(store, finding_id, **fields),
                    saved("Changes saved as a new version.", self._places(fields)))

    @on(Button.Pressed, "#finding-clear")
    def _clear(self) -> None:
        self.editing = None
        for selector in ("#finding-title", "#finding-priority"):
            self.query_one(selector, Input).value = ""
        for selector in TEXT_FIELDS:
            self.query_one(selector, TextArea).text = ""
        for selector in ("#finding-kpes", "#finding-categories"):
            self.query_one(selector, SelectionList).deselect_all()

    @on(DataTable.RowSelected, "#finding-table")
    def _load(self, event: DataTable.RowSelected) -> None:
        finding_id = str(event.row_key.value)
        found = dict(self.model.findings()).get(finding_id)
        if found is None:
            return
        self._clear()
        self.editing = finding_id
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
