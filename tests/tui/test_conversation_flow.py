"""Type a short conversation through every stage, capture every kind of item, quit, reopen:
and check the database, not the widgets."""

from __future__ import annotations

from lt_interview.domain.models import (
    Conversation, Episode, FactorTag, Note, Query, Quote, Reviewer, SuggestedChange, WentWell,
)
from lt_interview.domain.lifecycle import Status
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChoiceScreen, FactorPicker

from tui_helpers import conversation_app, open_file, type_text


async def test_whole_conversation_reaches_the_database(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # asked once who is taking notes
        await pilot.press("down", "enter")  # the second reviewer
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.section.stage_id == "introduction"

        await type_text(pilot, "Ground rules agreed")
        await pilot.press("f5")  # overview
        await type_text(pilot, "Covered the family from spring\nShe said: it felt like a lot at once")
        await pilot.press("f4")  # quote the current line
        await pilot.press("f5")  # episodes
        await type_text(pilot, "The bruise at the review")
        await pilot.press("f2")  # new episode from the line
        await pilot.pause()
        await pilot.press("enter")
        await type_text(pilot, "The missed visit in July")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f5")  # the stages of the episode in focus: the one just named
        assert screen.section.stage_id == "mindset" and screen.section.episode_index == 2
        await pilot.press("shift+f5", "shift+f5")  # back along the rail to mindset, episode 1
        assert screen.section.stage_id == "mindset" and screen.section.episode_index == 1
        await type_text(pilot, "It fitted what she had been told")
        await pilot.press("f9")  # question to return to
        await pilot.press("f5")  # factors, episode 1
        assert screen.section.stage_id == "factors" and screen.section.episode_index == 1
        await type_text(pilot, "Over 400 families on the caseload")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, FactorPicker)
        await type_text(pilot, "workload")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f5")  # mindset, episode 2
        await type_text(pilot, "Families often go away in July")
        await pilot.press("f5")  # factors, episode 2
        await type_text(pilot, "Nobody had told her about the call-out")
        await pilot.press("f3")
        await pilot.pause()
        await type_text(pilot, "inter agency")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f5")  # went well
        assert screen.section.stage_id == "went_well"
        await type_text(pilot, "The GP rang back the same day")
        await pilot.press("ctrl+g")
        await pilot.press("f5")  # queries
        await type_text(pilot, "Asked about the nursery attendance")
        await pilot.press("f5")  # changes
        assert screen.section.stage_id == "changes"
        await type_text(pilot, "A shared place to see who else is worried")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.return_code == 0

    with open_file(conversation_file) as store:
        conversation_id = store.meta("conversation_id")
        reviewers = store.records(Reviewer)
        conversation = store.get(conversation_id).record
        assert isinstance(conversation, Conversation)
        assert conversation.notetaker_id == reviewers[1][0]
        assert conversation.status == Status.IN_PROGRESS
        assert store.pending_drafts() == []  # everything sealed on quit
        notes = {(n.stage_id, n.episode_id): n for _, n in store.records(Note, conversation_id)}
        episodes = sorted(store.records(Episode, conversation_id), key=lambda e: e[1].position)
        assert [e.title for _, e in episodes] == ["The bruise at the review", "The missed visit in July"]
        first, second = episodes[0][0], episodes[1][0]
        expect = {
            ("introduction", None): "Ground rules agreed",
            ("overview", None): "it felt like a lot at once",
            ("episodes", None): "The missed visit in July",
            ("mindset", first): "It fitted what she had been told",
            ("factors", first): "Over 400 families",
            ("mindset", second): "Families often go away",
            ("factors", second): "Nobody had told her",
            ("went_well", None): "The GP rang back",
            ("queries", None): "nursery attendance",
            ("changes", None): "A shared place",
        }
        assert set(notes) == set(expect)
        for key, fragment in expect.items():
            assert fragment in notes[key].text, key
            assert notes[key].author_id == reviewers[1][0]
            assert notes[key].text.startswith("14:05 ")  # time stamped
        assert [q.text for _, q in store.records(Quote, conversation_id)] == ["She said: it felt like a lot at once"]
        queries = store.records(Query, conversation_id)
        assert [(q.question, q.return_to, q.episode_id) for _, q in queries] == [
            ("It fitted what she had been told", True, first)]
        factors = [(f.heading_id, f.item, f.episode_id) for _, f in store.records(FactorTag, conversation_id)]
        assert ("conditions", "Workload", first) in factors
        assert any(h == "inter_agency" and e == second for h, _, e in factors)
        assert [w.text for _, w in store.records(WentWell, conversation_id)] == ["The GP rang back the same day"]
        assert [c.text for _, c in store.records(SuggestedChange, conversation_id)] == [
            "A shared place to see who else is worried"]

    # Reopen: back at the stage last worked on, notes come back, nobody is asked again, and there
    # is nothing to recover.
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.section.stage_id == "changes"
        assert "A shared place to see who else is worried" in app.screen.query_one("#notes").text
        app.screen._go_to(0)
        assert "Ground rules agreed" in app.screen.query_one("#notes").text
        await pilot.press("ctrl+q")
