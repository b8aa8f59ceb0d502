"""F10 notes a divergence: where this practitioner saw something differently from another account
the reviewers have heard. Typed by keyboard only; asserted on the database."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from lt_interview.domain.models import Episode, NotedDivergence
from lt_interview.domain.structure import load_structure
from lt_interview.errors import BadInput
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChoiceScreen, DivergencePrompt
from lt_interview.conversation.session import ConversationSession
from lt_interview.tui.widgets.capture_list import CaptureList
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


async def test_editing_a_divergence_changes_whose_account_and_the_text(conversation_file, clock):
    """From the captured list, E on a divergence opens the divergence dialog with both of its
    fields, and both changes are kept in one new revision of the same record."""
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # who is writing
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await type_text(pilot, "Believed the referral had gone to the nursery")
        await pilot.press("f10")
        await pilot.pause()
        await type_text(pilot, "the ED nurse")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)

        await pilot.press("ctrl+r", "e")  # the captured list: the divergence is its only item
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DivergencePrompt)
        assert dialog.query_one("#differs-from", Input).value == "the ED nurse"
        assert dialog.query_one("#divergence-text", Input).value == "Believed the referral had gone to the nursery"
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "the health visitor")
        await pilot.press("tab", "end", "ctrl+u")
        await pilot.press("enter")  # an empty account is refused here too
        await pilot.pause()
        assert app.screen is dialog
        assert "Write how this practitioner saw it" in str(dialog.query_one("#divergence-message").render())
        await type_text(pilot, "Believed the nursery had been told by phone")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        [item] = screen.query_one(CaptureList).items
        assert item.label == "Divergence from the health visitor"
        await pilot.press("ctrl+q")
    assert app.return_code == 0

    with open_file(conversation_file) as store:
        conversation_id = store.meta("conversation_id")
        [(record_id, noted)] = store.records(NotedDivergence, conversation_id)
        assert (noted.differs_from, noted.text, noted.stage_id) == (
            "the health visitor", "Believed the nursery had been told by phone", "introduction")
        assert len(store.history(record_id)) == 2  # noted, then both fields edited in one write


def test_the_session_edits_a_divergence_cleaned_and_never_emptied(conversation_file):
    with open_file(conversation_file) as store:
        session = ConversationSession(store, load_structure())
        session.set_author(session.reviewers()[1][0])
        section = session.sections()[0]
        noted = session.add_divergence("Thought the school knew", "the school nurse", section)
        quote = session.add_quote("We had no time to call back", section)
        session.edit_divergence(noted, "  Thought the\x1b[31m school had been told  ", "  the\nschool office\t")
        with pytest.raises(BadInput):
            session.edit_divergence(noted, " \n ", "police")
        with pytest.raises(BadInput):
            session.edit_divergence(quote, "Thought so", "police")
        [item] = [c for c in session.captures() if c.kind == "divergence"]
        assert (item.label, item.text, item.differs_from) == (
            "Divergence from the school office", "Thought the[31m school had been told", "the school office")
    with open_file(conversation_file) as store:
        assert len(store.history(noted)) == 2
        assert store.get(quote).record.text == "We had no time to call back"


def test_a_refused_capture_says_why_in_one_line_without_the_typed_text():
    import pydantic

    from lt_interview.domain.models import Quote
    from lt_interview.domain.text import MAX_TEXT
    from lt_interview.errors import BadInput
    from lt_interview.tui.screens.conversation_capture import not_kept

    assert not_kept(BadInput("that item has been removed")) == "Not kept: that item has been removed"
    try:
        Quote(conversation_id="c1", stage_id="overview", text="secret words " * (MAX_TEXT // 10))
    except pydantic.ValidationError as exc:
        message = not_kept(exc)
    assert message.startswith("Not kept: field 'text'") and "secret" not in message and "\n" not in message
    assert not_kept(ValueError("secret words")) == "Not kept: that text cannot be stored"


async def test_quitting_with_words_typed_in_a_box_asks_first(conversation_file, clock):
    """Ctrl+Q in an open capture box used to close the app and lose what was typed there."""
    from lt_interview.tui.screens.dialogs import TextPrompt

    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await type_text(pilot, "the police")
        await pilot.press("tab")
        await type_text(pilot, "Thought the police had visited that week")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, DivergencePrompt)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [d.differs_from for _, d in app.store.records(NotedDivergence)] == ["the police"]

        await pilot.press("f4")  # a quote from an empty line asks for its words
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("ctrl+q")  # nothing typed yet: nothing to lose
        await pilot.pause()
    assert app.return_code == 0


async def test_whose_account_is_a_role_never_a_name(conversation_file, clock):
    """'Differs from' once kept a real name from the pseudonym map as typed."""
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Thought the school had been told")
        await pilot.press("f10")
        await pilot.pause()
        await type_text(pilot, "Bryn Castellans")
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DivergencePrompt)
        assert "person's name" in str(dialog.query_one("#divergence-message").render())
        assert "Bryn" not in str(dialog.query_one("#divergence-message").render())
        dialog.query_one("#differs-from", Input).value = ""
        await type_text(pilot, "the school nurse")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert [d.differs_from for _, d in app.store.records(NotedDivergence)] == ["the school nurse"]
        await pilot.press("ctrl+q")
