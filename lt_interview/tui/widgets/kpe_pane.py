"""KPE register: the key practice episodes, and the form to register one or redraft it (its
evidence, the appraisal and its explanation, the contributory factors and reasoning-bias tags)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from lt_interview.analysis import kpe as kpe_ops
from lt_interview.analysis.blame import kpe_places
from lt_interview.domain.analysis import APPRAISAL_LABELS, EVIDENCE_LABELS
from lt_interview.domain.text import clean_line
from lt_interview.tui.widgets.analysis_pane import AnalysisPane, cell, plain, saved
from lt_interview.tui.widgets.form_scroll import FormScroll
from lt_interview.tui.widgets.method_guide import BiasGuide

LINE_FIELDS = ("#kpe-title", "#kpe-period", "#kpe-standard")
TEXT_FIELDS = ("#kpe-description", "#kpe-rationale", "#kpe-explanation")
CHOICE_FIELDS = ("#kpe-people", "#kpe-factors", "#kpe-biases")


class KpePane(AnalysisPane, FormScroll):
    def __init__(self, model, change, **kwargs) -> None:
        super().__init__(model, change, **kwargs)
        self.editing: str | None = None  # the KPE being redrafted
        self.evidence: list[dict] = []

    def compose(self) -> ComposeResult:
        data = self.model.data
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

    def reload(self) -> None:
        table = self.query_one("#kpe-table", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("No."), Text("Title"), Text("Period"), Text("Appraisal"), Text("Evidence"))
        for kpe_id, kpe in self.model.kpes():
            table.add_row(Text(str(kpe.number)), cell(kpe.title), cell(kpe.period),
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

    def add_evidence(self, evidence: list[dict], practitioner_ids: list[str], period: str | None) -> None:
        """Evidence from the story of the case: the people it concerns are ticked, and its period
        offered where the form has none yet."""
        self.evidence.extend(evidence)
        people = self.query_one("#kpe-people", SelectionList)
        for practitioner_id in practitioner_ids:
            people.select(practitioner_id)
        period_box = self.query_one("#kpe-period", Input)
        if not period_box.value and period is not None:
            period_box.value = period
        self._render_evidence()

    def _fields(self) -> dict:
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
    def _new(self) -> None:
        fields = self._fields()
        if not fields["title"]:
            self.notify("Give the key practice episode a title.", severity="warning", markup=False)
            return

        def add() -> None:
            self.editing = kpe_ops.add_kpe(self.model.store, **fields)

        self.change(add, saved("Key practice episode registered.", kpe_places(fields)))

    @on(Button.Pressed, "#kpe-save")
    def _save(self) -> None:
        if self.editing is None:
            self._new()
            return
        kpe_id, fields = self.editing, self._fields()
        store = self.model.store
        self.change(lambda: kpe_ops.update_kpe(store, kpe_id, **fields),
                    saved("Changes saved as a new version.", kpe_places(fields)))

    @on(Button.Pressed, "#kpe-clear")
    def _clear(self) -> None:
        self.editing = None
        self.evidence = []
        for selector in LINE_FIELDS:
            self.query_one(selector, Input).value = ""
        for selector in TEXT_FIELDS:
            self.query_one(selector, TextArea).text = ""
        for selector in CHOICE_FIELDS:
            self.query_one(selector, SelectionList).deselect_all()
        self.query_one("#kpe-appraisal", Select).clear()
        self._render_evidence()

    @on(DataTable.RowSelected, "#kpe-table")
    def _load(self, event: DataTable.RowSelected) -> None:
        kpe_id = str(event.row_key.value)
        found = dict(self.model.kpes()).get(kpe_id)
        if found is None:
            return
        self._clear()
        self.editing = kpe_id
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
