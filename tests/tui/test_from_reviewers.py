"""Shift+F9 marks a line of notes as information from the reviewers (DOMAIN.md §4, §13.4);
a question captured at stage 6 is the reviewers' own. Asserted on the database."""

from __future__ import annotations

from lt_interview.domain.models import Note, Query
from lt_interview.tui.screens.conversation import ConversationScreen

from tui_helpers import conversation_app, open_file, type_text


async def test_mark_a_line_then_a_question_at_stage_six(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await pilot.press("f5")  # overview
        await type_text(pilot, "Took over in spring\nWe mentioned the police call-out in May")
        await pilot.press("shift+f9")
        await pilot.pause()
        await type_text(pilot, "\nShe had not heard of it")
        await pilot.press("shift+f9")  # a second line marked, then unmarked again
        await pilot.press("shift+f9")
        for _ in range(8):  # on to stage 6, queries
            if screen.section.stage_id == "queries":
                break
            await pilot.press("f5")
        assert screen.section.stage_id == "queries"
        await type_text(pilot, "Who else knew about the call-out?")
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.return_code == 0

    with open_file(conversation_file) as store:
        conversation_id = store.meta("conversation_id")
        [overview] = [n for _, n in store.records(Note, conversation_id) if n.stage_id == "overview"]
        lines = overview.text.splitlines()
        assert lines[1] == "(from the reviewers) We mentioned the police call-out in May"
        assert not lines[0].count("(from the reviewers)") and lines[0].endswith("Took over in spring")
        assert lines[2] == "She had not heard of it"
        [(_, query)] = store.records(Query, conversation_id)
        assert query.question == "Who else knew about the call-out?" and query.from_reviewers
