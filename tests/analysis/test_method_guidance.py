"""Method fidelity in the analysis workspace (issue 20): wording that can read as blame in the KPE
register, findings and questions for the board gets a gentle reminder and is saved all the same;
the typology's six categories with their descriptions show where findings are categorised, and
the bias guidance (hindsight for the reviewers' own reading) where KPEs are appraised."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, SelectionList, Static, TabbedContent, TextArea

from lt_interview.analysis import kpe as kpe_ops
from lt_interview.cli import main
from lt_interview.domain.analysis import Finding, KeyPracticeEpisode
from lt_interview.domain.structure import load_structure
from lt_interview.errors import BadInput
from lt_interview.storage.store import REVIEW, Store
from lt_interview.tui.app import make_app


def _messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_blame_wording_is_saved_with_a_gentle_reminder(case_review, passphrase):
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        screen.query_one("#tabs", TabbedContent).active = "kpes"
        await pilot.pause()
        screen.query_one("#kpe-title", Input).value = "The referral screened out"
        screen.query_one("#kpe-rationale", TextArea).text = "The duty team failed to see the pattern."
        screen.query_one("#kpe-explanation", TextArea).text = "Obviously careless."
        screen.query_one("#kpe-new", Button).press()
        await pilot.pause()
        reminder = next(m for m in _messages(app) if m.startswith("Key practice episode registered."))
        assert "KPE, rationale: “failed to”" in reminder and "KPE, explanation: “Obviously”, “careless”" in reminder
        assert "why it made sense at the time" in reminder

        screen.query_one("#tabs", TabbedContent).active = "patterns"
        await pilot.pause()
        screen.query_one("#finding-title", Input).value = "Front doors are too busy to see patterns"
        screen.query_one("#finding-questions", TextArea).text = ("How does the partnership know?\n"
                                                                 "Why did staff make these mistakes?")
        screen.query_one("#finding-save", Button).press()
        await pilot.pause()
        reminder = next(m for m in _messages(app) if m.startswith("Finding drafted."))
        assert "question for the partnership 2: “mistakes”" in reminder
        await pilot.press("ctrl+q")
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:  # never a block
        [(_, kpe)] = store.records(KeyPracticeEpisode)
        assert kpe.appraisal_rationale == "The duty team failed to see the pattern."
        [(_, finding)] = store.records(Finding)
        assert finding.board_questions[1] == "Why did staff make these mistakes?"


async def test_typology_and_bias_guidance_are_shown_on_the_forms(case_review, passphrase):
    structure = load_structure()
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        screen.query_one("#tabs", TabbedContent).active = "patterns"
        await pilot.pause()
        typology = str(screen.query_one("#typology-guide", Static).render())
        assert len(structure.typology.category) == 6
        for category in structure.typology.category:
            assert category.label in typology
            assert category.description.split()[0] in typology
        assert "standard referred to" not in typology
        flat = " ".join(typology.split())
        assert all(" ".join(c.description.split()) in flat for c in structure.typology.category)

        screen.query_one("#tabs", TabbedContent).active = "kpes"
        await pilot.pause()
        guide = " ".join(str(screen.query_one("#kpe-bias-guide", Static).render()).split())
        assert "Before you appraise: your own reading" in guide
        assert "Hindsight and outcome bias" in guide and "Rule of optimism" in guide
        tags = screen.query_one("#kpe-biases", SelectionList)
        values = [tags.get_option_at_index(i).value for i in range(tags.option_count)]
        assert "hindsight" not in values and "rule_of_optimism" in values
        await pilot.press("ctrl+q")


def test_hindsight_is_not_a_tag_on_a_practitioners_explanation(case_review, passphrase):
    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        with pytest.raises(BadInput, match="reviewers' own reading"):
            kpe_ops.add_kpe(store, title="A visit", bias_ids=["hindsight"])
        kpe_ops.add_kpe(store, title="A visit", bias_ids=["rule_of_optimism"], explanation="With hindsight, "
                        "she said, she would have rung.")


def test_export_lists_where_wording_can_read_as_blame(case_review, passphrase, tmp_path, capsys):
    from datetime import date

    from lt_interview.analysis import meetings as meetings_ops

    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        kpe_ops.add_kpe(store, title="A missed opportunity", appraisal_rationale="Nobody rang back.")
        meetings_ops.add_meeting(store, held_on=date(2026, 3, 14), changed="KPE 1 reworded: no warning signs",
                                 feedback="They said the nurse should have rung")  # others' words: left alone
    assert main(["export", str(case_review), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    reminders = [line for line in out if line.startswith("Reminder:")]
    assert len(reminders) == 1 and "KPE 1, title: “missed opportunity”" in reminders[0]
    assert "Meeting of 2026-03-14, what changed: “warning signs”" in reminders[0]
    assert "should have" not in reminders[0]
    assert any(line.startswith("Wrote ") for line in out)
