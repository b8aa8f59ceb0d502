"""F10 notes a divergence: where this practitioner saw something differently from another account
the reviewers have heard. Typed by keyboard only; asserted on the database."""

from __future__ import annotations

from lt_interview.domain.models import Episode, NotedDivergence
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChoiceScreen, DivergencePrompt
from lt_interview.typeup.build import build_account

from tui_helpers import conversation_app, open_file, type_text


async def test_divergence_from_the_line_and_from_nothing(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await pilot.press("f5", "f5")  # episodes
        await type_text(pilot, "The bruise at the review")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f5")  # mindset, episode 1
        assert screen.section.stage_id == "mindset" and screen.section.episode_index == 1
        await type_text(pilot, "She understood the baby was rolling, not crawling")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, DivergencePrompt)
        await type_text(pilot, "the ED nurse")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)

        # On an empty line the dialog asks for the words, and refuses to keep nothing.
        await pilot.press("enter")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, DivergencePrompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DivergencePrompt)  # still open: nothing to keep
        assert "Write how this practitioner saw it" in str(app.screen.query_one("#divergence-message").render())
        await type_text(pilot, "Thought the GP had been told")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)

        # Esc keeps nothing.
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.return_code == 0

    with open_file(conversation_file) as store:
        conversation_id = store.meta("conversation_id")
        [(episode_id, _)] = store.records(Episode, conversation_id)
        noted = sorted((d.text, d.differs_from, d.episode_id, d.stage_id)
                       for _, d in store.records(NotedDivergence, conversation_id))
        assert noted == [
            ("She understood the baby was rolling, not crawling", "the ED nurse", episode_id, "mindset"),
            ("Thought the GP had been told", "", episode_id, "mindset"),
        ]
        # A working note for the story of the case: not in the account sent to the practitioner.
        account = build_account(store, conversation_id).model_dump_json()
        assert "rolling, not crawling" not in account
