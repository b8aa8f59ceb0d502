"""Follow-up conversations with the same practitioner (issue 20): `pack --follow-up` makes a new
conversation linked to the practitioner's latest one (Conversation.follow_up_of) without the earlier
notes; merged back, the analysis shows it as a follow-up of the same practitioner; type-up says so."""

from __future__ import annotations

from lt_interview.analysis.workspace import open_workspace_model
from lt_interview.cli import main
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import Conversation, Note, Practitioner
from lt_interview.storage.store import CONVERSATION, REVIEW, Store
from lt_interview.tui.app import make_app

from case_builder import copy_into_review, fill_conversation


def test_follow_up_is_linked_and_shown(case_review, passphrase, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", passphrase)
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as review:
        gp_id = next(pid for pid, p in review.records(Practitioner) if p.role == "GP")
        [(first_id, _)] = [(cid, c) for cid, c in review.records(Conversation) if c.practitioner_id == gp_id]
    out = tmp_path / "gp-follow-up.ltc"
    assert main(["pack", str(case_review), "--practitioner", "GP", "-o", str(out), "--follow-up"]) == 0
    assert "Wrote follow-up conversation file" in capsys.readouterr().out
    with Store.open(out, passphrase, expect_kind=CONVERSATION) as store:
        conversation_id = store.meta("conversation_id")
        conversation = store.get(conversation_id).record
        assert conversation_id != first_id and conversation.follow_up_of == first_id
        assert conversation.practitioner_id == gp_id and conversation.status == Status.PLANNED
        assert not [n for _, n in store.records(Note) if n.conversation_id == first_id]  # not the earlier notes
    fill_conversation(out, passphrase, Status.HELD, {"overview": "Came back to the referral."},
                      [("The second look at the referral", "July 2025", {"thought": "It fitted."}, [])])
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as review:
        copy_into_review(review, out, passphrase)
        model = open_workspace_model(review)
        [item] = [i for i in model.timeline.items if i.title == "The second look at the referral"]
        assert item.who == "GP (follow-up conversation)" and item.practitioner_id == gp_id
        assert item.lane == next(i.lane for i in model.timeline.items if i.who == "GP")  # the same lane


async def test_type_up_says_follow_up(case_review, passphrase, tmp_path, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", passphrase)
    out = tmp_path / "gp-follow-up.ltc"
    assert main(["pack", str(case_review), "--practitioner", "GP", "-o", str(out), "--follow-up"]) == 0
    fill_conversation(out, passphrase, Status.HELD, {"overview": "Came back to the referral."}, [])
    app = make_app(mode="typeup", path=out, passphrase=passphrase)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "follow-up conversation with the same practitioner" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+q")


def test_follow_up_needs_a_held_conversation(case_review, passphrase, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", passphrase)
    assert main(["review", "person", str(case_review), "Ms New Person", "--role", "School nurse"]) == 0
    capsys.readouterr()
    assert main(["pack", str(case_review), "--practitioner", "School nurse", "-o", str(tmp_path / "a.ltc"),
                 "--follow-up"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no earlier conversation" in err
    assert main(["pack", str(case_review), "--practitioner", "School nurse", "-o", str(tmp_path / "b.ltc")]) == 0
    capsys.readouterr()
    assert main(["pack", str(case_review), "--practitioner", "School nurse", "-o", str(tmp_path / "c.ltc"),
                 "--follow-up"]) == 2
    assert "has not been held yet" in capsys.readouterr().err
