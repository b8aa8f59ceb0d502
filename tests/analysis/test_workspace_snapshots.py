"""SVG snapshots of the analysis workspace on the fictional four-conversation review: the story
of the case at 80x24 and 140x40, a drafted finding and a recorded meeting. Review the report before --snapshot-update."""

from __future__ import annotations

import pytest

from lt_interview.tui.app import make_app


def workspace(case_review, passphrase):
    return make_app(mode="analyse", path=case_review, passphrase=passphrase)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
def test_story_of_the_case(snap_compare, case_review, passphrase, size):
    async def run_before(pilot):
        divergences = pilot.app.screen.query_one("#divergences")
        divergences.focus()
        divergences.move_cursor(row=0)  # the accounts side by side
        await pilot.pause(0.3)

    assert snap_compare(workspace(case_review, passphrase), terminal_size=size, run_before=run_before)


def test_finding_drafted(snap_compare, case_review, passphrase):
    async def run_before(pilot):
        screen = pilot.app.screen
        screen.query_one("#tabs").active = "patterns"
        await pilot.pause()
        screen.query_one("#finding-title").value = "Front doors are too busy to see patterns"
        screen.query_one("#finding-questions").text = "How does the partnership know?"
        screen.query_one("#finding-priority").value = "1"
        screen.query_one("#finding-save").press()
        await pilot.pause()
        table = screen.query_one("#finding-table")
        table.focus()
        table.scroll_visible(animate=False)
        await pilot.pause(0.3)

    assert snap_compare(workspace(case_review, passphrase), terminal_size=(140, 40), run_before=run_before)


def test_meeting_recorded(snap_compare, case_review, passphrase):
    async def run_before(pilot):
        screen = pilot.app.screen
        screen.query_one("#tabs").active = "meetings"
        await pilot.pause()
        screen.query_one("#meeting-date").value = "2026-03-14"  # not today's date: the picture is fixed
        screen.query_one("#meeting-title").value = "First analysis meeting"
        screen.query_one("#meeting-attended").value = "Review team, both lead reviewers"
        screen.query_one("#meeting-presented").text = "The story of the case, episode by episode"
        screen.query_one("#meeting-changed").text = "KPE 3 split in two; the visits in June read as one episode"
        screen.query_one("#meeting-new").press()
        await pilot.pause()
        table = screen.query_one("#meeting-table")
        table.focus()
        await pilot.pause(0.3)

    assert snap_compare(workspace(case_review, passphrase), terminal_size=(140, 40), run_before=run_before)
