"""Meetings of the review (DOMAIN.md §13.10): recorded, redrafted and removed in the workspace,
kept as revisions, and in the pseudonymised pack."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Button, DataTable, Input, Select, TabbedContent, TextArea

from lt_interview.analysis import meetings as meetings_ops
from lt_interview.analysis.workspace import open_workspace_model
from lt_interview.domain.analysis import Meeting
from lt_interview.errors import BadInput
from lt_interview.export.pack import build_pack
from lt_interview.storage.store import REVIEW, Store
from lt_interview.tui.app import make_app
from lt_interview.tui.widgets.meetings_pane import MeetingsPane


def test_meetings_are_revisions_in_date_order(case_review, passphrase):
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        later = meetings_ops.add_meeting(store, held_on=date(2026, 5, 20), meeting_type="case_group",
                                         presented="The draft findings", feedback="Finding 2 rings true")
        first = meetings_ops.add_meeting(store, held_on=date(2026, 4, 2), title="First analysis meeting",
                                         changed="KPE 3 split in two")
        assert [mid for mid, _ in meetings_ops.list_meetings(store)] == [first, later]
        meetings_ops.update_meeting(store, later, changed="Finding 2 reworded")
        assert len(store.history(later)) == 2
        meetings_ops.remove_meeting(store, first)
        assert [mid for mid, _ in meetings_ops.list_meetings(store)] == [later]
        assert store.history(first)[-1].deleted
        with pytest.raises(BadInput, match="no meeting"):
            meetings_ops.remove_meeting(store, first)
        with pytest.raises(BadInput, match="meeting"):
            meetings_ops.add_meeting(store, held_on=date(2026, 6, 1), meeting_type="party")
    with pytest.raises(BadInput) as refused:
        meetings_ops.parse_day("14/03/2026")
    assert str(refused.value.message).count("\n") == 0 and "YYYY-MM-DD" in refused.value.message


def test_the_pack_lists_the_meetings(case_review, passphrase):
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        meetings_ops.add_meeting(store, held_on=date(2026, 5, 20), meeting_type="case_group",
                                 attended="Health visiting, children's social care", presented="The draft findings",
                                 changed="Finding 2 reworded")
        pack = build_pack(open_workspace_model(store))
    table = next(table for table in pack.tables if table.name == "meetings")
    assert table.rows == [["2026-05-20", "Meeting with the case group", "", "Health visiting, children's social care",
                           "The draft findings", "", "Finding 2 reworded"]]
    texts = [text for text, _ in pack.texts()]
    assert "20 May 2026: Meeting with the case group" in texts  # one date style in documents
    assert any("What changed Finding 2 reworded" == text for text in texts)


async def test_recording_redrafting_and_removing_a_meeting_by_typing(case_review, passphrase):
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        screen.query_one("#tabs", TabbedContent).active = "meetings"
        await pilot.pause()
        pane = screen.query_one(MeetingsPane)
        day = pane.query_one("#meeting-date", Input)
        assert day.value == date.today().isoformat()  # today, ready to save

        async def type_into(selector: str, text: str) -> None:
            widget = pane.query_one(selector)
            widget.focus()
            await pilot.pause()
            await pilot.press(*text)

        day.value = ""
        await type_into("#meeting-date", "14 March")
        await type_into("#meeting-presented", "The story of the case, episode by episode")
        pane.query_one("#meeting-new", Button).press()
        await pilot.pause()
        table = pane.query_one("#meeting-table", DataTable)
        assert table.row_count == 0  # refused: not a date, one line shown, nothing written

        day.value = ""
        await type_into("#meeting-date", "2026-03-14")
        await type_into("#meeting-title", "First analysis meeting")
        await type_into("#meeting-attended", "Review team")
        pane.query_one("#meeting-new", Button).press()
        await pilot.pause()
        assert table.row_count == 1

        pane.query_one("#meeting-clear", Button).press()
        await pilot.pause()
        pane.query_one("#meeting-type", Select).value = "case_group"
        day.value = ""
        await type_into("#meeting-date", "2026-02-01")
        await type_into("#meeting-feedback", "Practitioners asked for a shorter pack")
        pane.query_one("#meeting-new", Button).press()
        await pilot.pause()
        assert table.row_count == 2

        # Redraft the first analysis meeting (the second row: rows run by date).
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert pane.query_one("#meeting-title", Input).value == "First analysis meeting"
        changed = pane.query_one("#meeting-changed", TextArea)
        await type_into("#meeting-changed", "KPE 3 split in two")
        assert changed.text == "KPE 3 split in two"
        pane.query_one("#meeting-save", Button).press()
        await pilot.pause()
        assert table.row_count == 2

        # Remove the case-group meeting (the first row).
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        pane.query_one("#meeting-remove", Button).press()
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("ctrl+q")

    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        meetings = store.records(Meeting)
        assert len(meetings) == 1
        meeting_id, meeting = meetings[0]
        assert meeting.held_on == date(2026, 3, 14) and meeting.meeting_type == "review_team"
        assert meeting.title == "First analysis meeting" and meeting.attended == "Review team"
        assert meeting.presented == "The story of the case, episode by episode"
        assert meeting.changed == "KPE 3 split in two"
        assert len(store.history(meeting_id)) == 2
        count = store.conn.execute("SELECT count(DISTINCT record_id) FROM revision WHERE kind = 'meeting'").fetchone()
        assert count[0] == 2  # the removed meeting stays in the history


def test_a_real_name_in_a_meeting_stops_the_export(case_review, passphrase, tmp_path, case_builder):
    from lt_interview.export import export_pack
    from lt_interview.export.guard import RealNameInExport

    with case_builder.open_review(case_review, passphrase) as store:
        meetings_ops.add_meeting(store, held_on=date(2026, 5, 20), attended="Review team and Dr Nandi")
        out = tmp_path / "out"
        with pytest.raises(RealNameInExport, match="meeting 1") as refused:
            export_pack(store, out, "md")
        # The refusal says which word and where, so the team can redraft the meeting record.
        assert "  “Nandi” in meeting 1, line 1" in str(refused.value).splitlines()
        assert not out.exists() or list(out.iterdir()) == []
