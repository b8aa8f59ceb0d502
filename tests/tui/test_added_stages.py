"""A review's structure copy may add stages of its own (issue 20): validated (ids unique, the
method's stages all there and in order, never inside the episode loop), shown in the live
conversation's stage rail and, with their notes, in type-up's raw notes in the structure's order."""

from __future__ import annotations

import pytest

from lt_interview.domain.models import Note, Reviewer
from lt_interview.domain.structure import load_structure, structure_from_data
from lt_interview.errors import StructureError
from lt_interview.demo import data as demo_data
from lt_interview.review.conversation_files import pack
from lt_interview.review.setup import create_review
from lt_interview.storage.store import CONVERSATION, Store
from lt_interview.tui.app import make_app

from tui_helpers import SECRET, conversation_app, open_conversation_screen, rendered

BACKGROUND = {"id": "background", "number": "1b", "title": "Background to your role", "short": "Background",
              "prompts": ["What was your caseload like at the time?"]}
CLOSING = {"id": "closing", "number": "8", "title": "Closing and next steps", "short": "Closing",
           "prompts": ["Shall we go through what happens next with these notes?"]}


def with_stages(*inserts: tuple[int, dict]) -> dict:
    data = load_structure().model_dump(mode="json")
    for position, stage in inserts:
        data["conversation"]["stage"].insert(position, stage)
    return data


def test_added_stages_are_validated():
    structure = structure_from_data(with_stages((1, BACKGROUND), (9, CLOSING)))
    assert [s.id for s in structure.conversation.added] == ["background", "closing"]
    assert structure.stages[1].title == "Background to your role" and structure.stages[-1].id == "closing"
    for data, message in (
        (with_stages((1, BACKGROUND), (2, BACKGROUND)), "'background' is used more than once"),
        (with_stages((1, {**BACKGROUND, "per_episode": True})), "cannot run per episode"),
        (with_stages((4, BACKGROUND)), "cannot come inside the episode loop"),
    ):
        with pytest.raises(StructureError, match=message):
            structure_from_data(data)
    reordered = with_stages()
    stages = reordered["conversation"]["stage"]
    stages[1], stages[2] = stages[2], stages[1]
    with pytest.raises(StructureError, match="in order"):
        structure_from_data(reordered)


@pytest.fixture
def added_file(tmp_path):
    structure = structure_from_data(with_stages((1, BACKGROUND), (9, CLOSING)))
    out = tmp_path / "gp.ltc"
    with create_review(tmp_path / "review.ltr", SECRET, framework=demo_data.FRAMEWORK, structure=structure,
                       actor="test") as review:
        pack(review, SECRET, "Dr Priya Nandi", out)
    return out


async def test_added_stages_show_in_the_rail_and_type_up(added_file, clock):
    app = conversation_app(added_file, clock, role="notes")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_conversation_screen(app, pilot)
        ids = [section.stage_id for section in screen.sections]
        assert ids[:3] == ["introduction", "background", "overview"] and ids[-1] == "closing"
        shown = rendered(app)
        assert "1b Background" in shown and "8  Closing" in shown
        await pilot.press("ctrl+q")
    with Store.open(added_file, SECRET, expect_kind=CONVERSATION) as store:
        conversation_id = store.meta("conversation_id")
        author = store.records(Reviewer)[0][0]
        with store.transaction():
            for stage_id, text in (("closing", "Next steps agreed."), ("overview", "Came in at the birth."),
                                   ("background", "Caseload of forty.")):
                store.put(Note(conversation_id=conversation_id, stage_id=stage_id, author_id=author, text=text))
    app = make_app(mode="typeup", path=added_file, passphrase=SECRET, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        raw = app.screen.query_one("#raw-notes").text
        assert raw.index("Background to your role") < raw.index("Caseload of forty.") < raw.index("Overview")
        assert raw.index("Came in at the birth.") < raw.index("Closing and next steps") < raw.index("Next steps")
        await pilot.press("ctrl+q")


async def test_a_family_member_gets_the_family_variant_on_screen(tmp_path, clock):
    from lt_interview.review.practitioners import register_or_update

    out = tmp_path / "grandmother.ltc"
    with create_review(tmp_path / "review.ltr", SECRET, framework=demo_data.FRAMEWORK, actor="test") as review:
        register_or_update(review, "Grandmother of the child", role="Grandmother", participant_type="family member")
        pack(review, SECRET, "Grandmother", out)
    app = conversation_app(out, clock, role="notes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_conversation_screen(app, pilot)
        shown = rendered(app)
        assert "Your story" in shown and "How it looked" in shown and "Family member: Grandmother" in shown
        assert "Practitioner: Grandmother" not in shown
        await pilot.press("ctrl+q")
