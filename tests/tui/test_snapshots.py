"""SVG snapshots: the conversation screen at 80x24 and 140x40, factor picker, checklist, help.
Seeded fictional data, frozen clock, cursor blink off. Review the report before --snapshot-update."""

from __future__ import annotations

import pytest

from lt_interview.domain.models import Episode, FactorTag, Note, Query, Quote, Reviewer

from tui_helpers import conversation_app, open_file


@pytest.fixture
def seeded(conversation_file):
    with open_file(conversation_file) as store:
        conversation_id = store.meta("conversation_id")
        reviewer_id = store.records(Reviewer)[1][0]
        current = store.get(conversation_id)
        store.put(current.record.model_copy(update={"notetaker_id": reviewer_id}), conversation_id)
        store.put(Note(conversation_id=conversation_id, stage_id="introduction", author_id=reviewer_id,
                       text="14:02 Ground rules explained; happy to go ahead.\n"
                            "14:04 Knows the notes come back to her to check."))
        store.put(Note(conversation_id=conversation_id, stage_id="overview", author_id=reviewer_id,
                       text="14:06 Saw the family at the surgery three times in the spring."))
        episode = store.put(Episode(conversation_id=conversation_id, title="The call from the nursery"))
        store.put(Quote(conversation_id=conversation_id, text="It felt like one more thing that week",
                        stage_id="overview"))
        store.put(Query(conversation_id=conversation_id, question="Who else knew about the bruise?"))
        store.put(FactorTag(conversation_id=conversation_id, heading_id="conditions", item="Workload",
                            text="Three locum sessions to cover", episode_id=episode.record_id))
    return conversation_file


def app_for(path, clock):
    return conversation_app(path, clock)


async def settle(pilot):
    await pilot.pause()
    editor = pilot.app.screen.query_one("#notes")
    editor.cursor_blink = False
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
def test_conversation_screen(snap_compare, seeded, clock, size):
    assert snap_compare(app_for(seeded, clock), terminal_size=size, run_before=settle)


def test_factor_picker(snap_compare, seeded, clock):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f3")
        await pilot.press(*"work")
        await pilot.pause()

    assert snap_compare(app_for(seeded, clock), terminal_size=(100, 30), run_before=run_before)


def test_checklist(snap_compare, seeded, clock):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()

    assert snap_compare(app_for(seeded, clock), terminal_size=(100, 30), run_before=run_before)


def test_help(snap_compare, seeded, clock):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_for(seeded, clock), terminal_size=(100, 40), run_before=run_before)
