"""A copy holding the other reviewer's notes (combined, or one laptop shared in turn) shows them
read-only beside the prompts; what this reviewer types stays their own note."""

from __future__ import annotations

from lt_interview.domain.models import Note, Reviewer
from lt_interview.tui.screens.conversation import ConversationScreen

from tui_helpers import conversation_app, open_file, rendered, type_text

LEAD_TEXT = "10:06 Lead's line: took over the family in spring"


async def test_the_other_reviewers_notes_are_shown_and_left_alone(conversation_file, clock):
    with open_file(conversation_file) as store:
        conversation_id = store.meta("conversation_id")
        (lead_id, lead), (notetaker_id, _) = store.records(Reviewer)[:2]
        with store.transaction():
            store.put(Note(conversation_id=conversation_id, stage_id="overview", author_id=lead_id, text=LEAD_TEXT))
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # the second reviewer takes notes
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert "Also noted by" not in rendered(app)  # nothing from the lead at stage 1
        assert not screen.query_one("#others").display
        await pilot.press("f5")  # overview
        await pilot.pause()
        shown = rendered(app)
        assert f"Also noted by {lead.name}" in shown and "took over the family in spring" in shown
        assert screen.query_one("#notes").text == ""  # the editor holds only this reviewer's notes
        others = screen.query_one("#others")
        assert others.text == LEAD_TEXT and others.display
        assert "took over" not in str(screen.query_one("#prompt-text").render())  # the prompts stay in view
        others.focus()
        await type_text(pilot, "typed into the read-only pane")
        assert others.text == LEAD_TEXT
        await pilot.press("f8")  # hides the prompts and the other reviewer's notes together
        await pilot.pause()
        assert not others.display and not screen.query_one("#prompts").display
        await pilot.press("f8")
        screen.query_one("#notes").focus()
        await type_text(pilot, "Notetaker's own line")
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    with open_file(conversation_file) as store:
        overview = {n.author_id: n.text for _, n in store.records(Note, conversation_id) if n.stage_id == "overview"}
    assert overview[lead_id] == LEAD_TEXT
    assert overview[notetaker_id].endswith("Notetaker's own line")
