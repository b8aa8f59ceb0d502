"""The Meetings tab of the analysis workspace: record each review-team meeting and each joint
meeting with the case group (what was presented, the handouts given out, the feedback, what
changed), and redraft or remove one; below, the case group's checks of the draft report and the
family's involvement as recorded (`lt-interview case-group`, `lt-interview family`). Every write
goes through the screen's one change helper (widgets/analysis_pane.py)."""

from __future__ import annotations

from datetime import date
from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Select, Static, TextArea

from lt_interview.analysis import involvement
from lt_interview.analysis import meetings as meetings_ops
from lt_interview.domain.analysis import MEETING_TYPE_LABELS
from lt_interview.domain.text import clean_line
from lt_interview.domain.wording import gentle_notice, places
from lt_interview.errors import LtError
from lt_interview.tui.widgets.analysis_pane import AnalysisPane, Change, cell, plain
from lt_interview.tui.widgets.form_scroll import FormScroll

TEXT_FIELDS = (("#meeting-presented", "presented"), ("#meeting-feedback", "feedback"),
               ("#meeting-changed", "changed"))
LINE_FIELDS = (("#meeting-title", "title"), ("#meeting-attended", "attended"))


def _saved(done: str, fields: dict) -> str:
    """What a save says, with a gentle reminder (never a refusal) about wording that can read as blame
    in what the review team wrote (the feedback is others' words, left alone)."""
    reminder = gentle_notice(places([(label, fields.get(name) or "") for name, label in
                                     (("presented", "What was presented"), ("changed", "What changed"))]))
    return f"{done} {reminder}" if reminder else done


class MeetingsPane(AnalysisPane, FormScroll):
    def __init__(self, model, change: Change, *, today: Callable[[], date] = date.today, **kwargs) -> None:
        super().__init__(model, change, **kwargs)
        self.today = today
        self.editing: str | None = None

    def compose(self) -> ComposeResult:
        yield plain("Review-team meetings and meetings with the case group: what was presented, the handouts, "
                     "the feedback, and what changed because of it. Choose a row to redraft it; every change is kept as a new "
                     "version.", classes="note")
        yield DataTable(id="meeting-table", cursor_type="row")
        yield plain("Date held (YYYY-MM-DD)", classes="label")
        yield Input(self.today().isoformat(), id="meeting-date")
        yield plain("Meeting", classes="label")
        yield Select([(Text(label), key) for key, label in MEETING_TYPE_LABELS.items()], id="meeting-type",
                     value="review_team", allow_blank=False)
        yield plain("Title (optional)", classes="label")
        yield Input(id="meeting-title", placeholder="Such as 'Second analysis meeting'")
        yield plain("Who attended, by role or agency (never by name)", classes="label")
        yield Input(id="meeting-attended", placeholder="Such as 'Review team; health visiting; children's social care'")
        yield plain("What was presented", classes="label")
        yield TextArea(id="meeting-presented")
        yield plain("Handouts given out, separated by ; (lt-interview case-group handout makes them from the "
                    "analysis)", classes="label")
        yield Input(id="meeting-handouts", placeholder="Such as 'story of the case and KPEs.docx'")
        yield plain("Feedback", classes="label")
        yield TextArea(id="meeting-feedback")
        yield plain("What changed because of it (findings, KPEs, the story of the case)", classes="label")
        yield TextArea(id="meeting-changed")
        with Horizontal():
            yield Button("Save as new meeting", id="meeting-new", variant="primary")
            yield Button("Save changes", id="meeting-save")
            yield Button("Clear form", id="meeting-clear")
            yield Button("Remove this meeting", id="meeting-remove")
        yield plain("The case group's check of the draft report, and the family", classes="label")
        yield Static(Text(""), id="involvement-summary", markup=False)

    def reload(self) -> None:
        table = self.query_one("#meeting-table", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("Date"), Text("Meeting"), Text("Title"), Text("What changed"))
        for meeting_id, meeting in self.model.meetings():
            table.add_row(Text(meeting.held_on.isoformat()),
                          Text(MEETING_TYPE_LABELS.get(meeting.meeting_type, meeting.meeting_type)),
                          cell(meeting.title), cell(meeting.changed[:120]), key=meeting_id)
        self._render_involvement()

    def _render_involvement(self) -> None:
        store = self.model.store
        text = Text()
        checks = involvement.report_checks(store)
        for _, check in checks:
            text.append(involvement.describe_check(check) + "\n")
        if not checks:
            text.append("No check of the draft report recorded yet (lt-interview case-group report-check).\n")
        family = involvement.family_records(store)
        for _, record in family:
            text.append("Family: " + involvement.describe_family(record) + "\n")
        if not family:
            text.append("Nobody in the family recorded yet (lt-interview family).")
        self.query_one("#involvement-summary", Static).update(text)

    def _fields(self) -> dict | None:
        try:
            held_on = meetings_ops.parse_day(self.query_one("#meeting-date", Input).value)
        except LtError as exc:
            self.notify(exc.message, severity="warning", markup=False)
            return None
        fields: dict = {"held_on": held_on, "meeting_type": self.query_one("#meeting-type", Select).value}
        for selector, name in LINE_FIELDS:
            fields[name] = clean_line(self.query_one(selector, Input).value)
        for selector, name in TEXT_FIELDS:
            fields[name] = self.query_one(selector, TextArea).text
        fields["handouts"] = [clean_line(part) for part in self.query_one("#meeting-handouts", Input).value.split(";")
                              if part.strip()]
        if not any(fields[name] for _, name in TEXT_FIELDS + LINE_FIELDS):
            self.notify("Write what was presented, the feedback or what changed first.", severity="warning",
                        markup=False)
            return None
        return fields

    @on(Button.Pressed, "#meeting-new")
    def _new(self) -> None:
        fields = self._fields()
        if fields is None:
            return
        store = self.model.store

        def add() -> None:
            self.editing = meetings_ops.add_meeting(store, **fields)

        self.change(add, _saved("Meeting recorded.", fields))

    @on(Button.Pressed, "#meeting-save")
    def _save(self) -> None:
        if self.editing is None:
            self._new()
            return
        fields = self._fields()
        if fields is None:
            return
        store, meeting_id = self.model.store, self.editing
        self.change(lambda: meetings_ops.update_meeting(store, meeting_id, **fields),
                    _saved("Changes saved as a new version.", fields))

    @on(Button.Pressed, "#meeting-remove")
    def _remove(self) -> None:
        if self.editing is None:
            self.notify("Choose the meeting to remove in the table first.", severity="warning", markup=False)
            return
        store, meeting_id = self.model.store, self.editing

        def remove() -> None:
            meetings_ops.remove_meeting(store, meeting_id)
            self._clear()

        self.change(remove, "Meeting removed; it stays in the history.")

    @on(Button.Pressed, "#meeting-clear")
    def _clear(self) -> None:
        self.editing = None
        self.query_one("#meeting-date", Input).value = self.today().isoformat()
        self.query_one("#meeting-type", Select).value = "review_team"
        for selector, _ in LINE_FIELDS:
            self.query_one(selector, Input).value = ""
        self.query_one("#meeting-handouts", Input).value = ""
        for selector, _ in TEXT_FIELDS:
            self.query_one(selector, TextArea).text = ""

    @on(DataTable.RowSelected, "#meeting-table")
    def _load(self, event: DataTable.RowSelected) -> None:
        meeting_id = str(event.row_key.value)
        found = dict(self.model.meetings()).get(meeting_id)
        if found is None:
            return
        self._clear()
        self.editing = meeting_id
        self.query_one("#meeting-date", Input).value = found.held_on.isoformat()
        self.query_one("#meeting-type", Select).value = found.meeting_type
        for selector, name in LINE_FIELDS:
            self.query_one(selector, Input).value = getattr(found, name)
        for selector, name in TEXT_FIELDS:
            self.query_one(selector, TextArea).text = getattr(found, name)
        self.query_one("#meeting-handouts", Input).value = "; ".join(found.handouts)
        self.notify("Redrafting this meeting: Save changes keeps the earlier version in the history.",
                    markup=False)
