"""The case group and the family (issue 20, item 4): the two joint meetings with the case group
(what was presented, handouts made from the analysis, feedback, changes), the case group's check
of the draft report, a family participant with the family variant of the conversation, and the
record of informing and involving the family; stored as revisions, merged like every other
record, listed by `check`."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from docx import Document

from lt_interview.analysis import involvement
from lt_interview.analysis import meetings as meetings_ops
from lt_interview.cli import main
from lt_interview.domain.involvement import FamilyInvolvement, ReportCheck
from lt_interview.domain.models import Practitioner
from lt_interview.merge.importer import merge_files
from lt_interview.operations.review import structure_of
from lt_interview.storage.store import CONVERSATION, REVIEW, Store


def test_case_group_meetings_handouts_and_report_check(case_review, passphrase, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", passphrase)
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        first = meetings_ops.add_meeting(store, held_on=date(2026, 3, 14), meeting_type="case_group_1",
                                         presented="The story of the case and four KPEs",
                                         feedback="The GP saw the June visit differently", changed="KPE 2 reworded")
    assert main(["case-group", "handout", str(case_review), "--meeting", "first", "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    [written] = list((tmp_path / "out").iterdir())
    assert written.suffix == ".docx" and f"Wrote {written}" in out and "Listed on the record" in out
    text = "\n".join(p.text for p in Document(str(written)).paragraphs)
    assert "Handout for the first meeting with the case group" in text and "Story of the case" in text
    assert "Key practice episodes" in text and "Draft findings" not in text
    assert main(["case-group", "handout", str(case_review), "--meeting", "second", "-o", str(tmp_path / "out"),
                 "--format", "md"]) == 0
    assert "no second meeting with the case group is recorded yet" in capsys.readouterr().out
    second = next(p for p in (tmp_path / "out").iterdir() if p.suffix == ".md").read_text(encoding="utf-8")
    assert "The typology of underlying patterns" in second and "Draft findings" in second
    assert "How the forms, assessment frameworks" in second  # each category with its description

    assert main(["case-group", "report-check", str(case_review), "--comments", "x"]) == 2
    assert "give --sent" in capsys.readouterr().err
    assert main(["case-group", "report-check", str(case_review), "--sent", "2026-06-01", "--draft", "Draft 2",
                 "--checked-by", "Health visiting; children's social care"]) == 0
    assert "Recorded Draft report Draft 2 sent 2026-06-01" in capsys.readouterr().out
    assert main(["case-group", "report-check", str(case_review), "--comments", "The timeline of June is right now",
                 "--outcome", "agreed_with_changes", "--changes", "Two dates corrected"]) == 0
    assert "agreed once changes were made" in capsys.readouterr().out
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        meeting = store.get(first).record
        assert meeting.handouts == [written.name] and len(store.history(first)) == 2
        [(check_id, check)] = store.records(ReportCheck)
        assert check.outcome == "agreed_with_changes" and check.comments.startswith("The timeline")
        assert len(store.history(check_id)) == 2
    assert main(["case-group", "show", str(case_review)]) == 0
    shown = capsys.readouterr().out
    assert "First meeting with the case group" in shown and written.name in shown
    assert "checked by Health visiting" in shown


def test_family_participant_variant_and_involvement(case_review, passphrase, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", passphrase)
    assert main(["review", "person", str(case_review), "Grandmother Ash", "--role", "Grandmother", "--family"]) == 0
    assert "(family member)" in capsys.readouterr().out
    out = tmp_path / "grandmother.ltc"
    assert main(["pack", str(case_review), "--practitioner", "Grandmother", "-o", str(out)]) == 0
    with Store.open(out, passphrase, expect_kind=CONVERSATION) as store:
        structure = structure_of(store)
        assert structure.stage("overview").title == "Your family's story"
        assert "We have not read the case records" in structure.introduction
        assert "appear in the review's report" in structure.introduction
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        assert structure_of(store).stage("overview").title == "Overview in the practitioner's own words"
        [grandmother] = [p for _, p in store.records(Practitioner) if p.role == "Grandmother"]
        assert grandmother.is_family

    assert main(["family", str(case_review), "mother (Amber)", "--informed-on", "2026-02-02",
                 "--informed-how", "letter, then a home visit", "--took-part", "considering"]) == 0
    assert "Recorded mother (Amber): informed 2026-02-02 (letter, then a home visit); considering it" in \
        capsys.readouterr().out
    assert main(["family", str(case_review), "Mother (Amber)", "--took-part", "yes", "--how",
                 "a conversation at home", "--views", "Nobody told me who was in charge."]) == 0
    assert "Updated mother (Amber)" in capsys.readouterr().out
    assert main(["family", str(case_review), "--took-part", "yes"]) == 2
    with pytest.raises(SystemExit) as exited:
        main(["family", str(case_review), "father", "--informed-on", "2 Feb"])
    assert exited.value.code == 2 and "not a date" in capsys.readouterr().err
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        [(record_id, record)] = store.records(FamilyInvolvement)
        assert record.took_part == "yes" and record.views.startswith("Nobody told me")
        assert len(store.history(record_id)) == 2


def test_records_merge_like_any_other_and_check_lists_them(case_review, passphrase, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", passphrase)
    copy = tmp_path / "copy.ltr"
    shutil.copyfile(case_review, copy)
    with Store.open(copy, passphrase, expect_kind=REVIEW) as other:
        involvement.add_report_check(other, sent_on=date(2026, 6, 1), checked_by="Case group")
        involvement.record_family(other, "mother (Amber)", took_part="declined")
        meetings_ops.add_meeting(other, held_on=date(2026, 5, 1), meeting_type="case_group_2",
                                 presented="Findings", handouts=["handout-second.docx"])
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        involvement.record_family(store, "mother (Amber)", took_part="yes")  # a concurrent record
        merge_files(store, [copy], passphrase)
        assert len(store.records(ReportCheck)) == 1
        assert len(store.records(FamilyInvolvement)) == 2  # two records of one member: both kept
    assert main(["family", str(case_review), "mother (Amber)", "--views", "x"]) == 2
    assert "has 2 records" in capsys.readouterr().err
    assert main(["check", str(case_review)]) == 0
    assert ("Case group and family: 1 meeting(s) with the case group, 1 check(s) of the draft report, "
            "2 family member(s) recorded") in capsys.readouterr().out


async def test_meetings_pane_records_a_case_group_meeting_with_handouts(case_review, passphrase):
    from textual.widgets import Button, Input, Select, Static, TabbedContent, TextArea

    from lt_interview.domain.analysis import Meeting
    from lt_interview.tui.app import make_app
    from lt_interview.tui.widgets.meetings_pane import MeetingsPane

    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        involvement.add_report_check(store, sent_on=date(2026, 6, 1), checked_by="Case group", outcome="agreed")
        involvement.record_family(store, "mother (Amber)", took_part="declined")
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        screen.query_one("#tabs", TabbedContent).active = "meetings"
        await pilot.pause()
        pane = screen.query_one(MeetingsPane)
        summary = str(pane.query_one("#involvement-summary", Static).render())
        assert "sent 2026-06-01, checked by Case group: agreed as accurate" in summary
        assert "Family: mother (Amber): not yet informed; declined" in summary
        pane.query_one("#meeting-date", Input).value = "2026-03-14"
        pane.query_one("#meeting-type", Select).value = "case_group_1"
        handouts = pane.query_one("#meeting-handouts", Input)
        handouts.focus()
        await pilot.press(*"story.docx; kpes.docx")
        changed = pane.query_one("#meeting-changed", TextArea)
        changed.focus()
        await pilot.press(*"KPE 2: a missed opportunity")
        pane.query_one("#meeting-new", Button).press()
        await pilot.pause()
        message = [n.message for n in app._notifications][-1]
        assert message.startswith("Meeting recorded. Some wording can read as blame (What changed: “missed opportunity”)")
        await pilot.press("ctrl+q")
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        [(_, meeting)] = store.records(Meeting)
        assert meeting.meeting_type == "case_group_1" and meeting.handouts == ["story.docx", "kpes.docx"]
        assert meeting.changed == "KPE 2: a missed opportunity"  # saved all the same


def test_the_accuracy_document_uses_the_family_introduction(case_review, passphrase, tmp_path, monkeypatch):
    from lt_interview.typeup.accuracy import use_statement

    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", passphrase)
    assert main(["review", "person", str(case_review), "Grandmother Ash", "--role", "Grandmother", "--family"]) == 0
    out = tmp_path / "grandmother.ltc"
    assert main(["pack", str(case_review), "--practitioner", "Grandmother", "-o", str(out)]) == 0
    with Store.open(out, passphrase, expect_kind=CONVERSATION) as store:
        statement = " ".join(use_statement(store))
    assert "your views will be described in the report without your name" in statement
    assert "we will write up" not in statement  # the sentences about what is still to come are left out
