"""The conversation clock carries on after the file is closed and opened again (a crash or a
restart mid-conversation), per role, and it is kept in the file, not in review data; so do a
pause and the stage each reviewer last worked on."""

from __future__ import annotations

from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.conversation_clock import ELAPSED_EVERY_S
from lt_interview.tui.screens.dialogs import ChoiceScreen

from tui_helpers import conversation_app, open_file, rendered


async def _open(app, pilot) -> ConversationScreen:
    await pilot.pause()
    if isinstance(app.screen, ChoiceScreen):
        await pilot.press("down", "enter")
        await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    return app.screen


async def test_clock_goes_on_from_where_it_stood(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        clock.advance(125)
        await pilot.press("f5")  # changing stage writes the clock with the notes
        await pilot.pause()
        store = screen.session.store  # the file is locked while open: read through its own connection
        assert store.meta("elapsed_seconds.notes") == "125"
        clock.advance(ELAPSED_EVERY_S + 5)
        screen._show_elapsed()  # the one-second tick: written at least once a minute while it runs
        assert store.meta("elapsed_seconds.notes") == str(125 + ELAPSED_EVERY_S + 5)
        clock.advance(10)
        await pilot.press("ctrl+q")

    reopened = conversation_app(conversation_file, clock)
    async with reopened.run_test(size=(120, 40)) as pilot:
        screen = await _open(reopened, pilot)
        clock.advance(2)  # time while the laptop was off is not counted; time since reopening is
        screen._show_elapsed()
        assert "Elapsed 0:03:22" in rendered(reopened)  # 125 + 65 + 10 + 2 seconds
        await pilot.press("ctrl+q")

    with open_file(conversation_file) as store:
        assert store.meta("elapsed_seconds.notes") == "202"
        assert store.meta("elapsed_seconds.lead") is None  # the lead's clock is their own


async def test_unreadable_clock_starts_from_nothing(conversation_file, clock):
    with open_file(conversation_file) as store:
        store.set_meta("elapsed_seconds.notes", "not a number")
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        assert screen.elapsed_seconds() == 0.0
        await pilot.press("ctrl+q")


async def test_a_paused_clock_stays_paused_after_reopening(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        clock.advance(25)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "Paused 0:00:25" in rendered(app)
        assert screen.session.store.meta("clock_paused.notes") == "1"
        clock.advance(30)  # the break
        await pilot.press("ctrl+q")
    with open_file(conversation_file) as store:
        assert store.meta("elapsed_seconds.notes") == "25"
        assert store.meta("clock_paused.notes") == "1"

    reopened = conversation_app(conversation_file, clock)
    async with reopened.run_test(size=(80, 24)) as pilot:
        screen = await _open(reopened, pilot)
        clock.advance(40)
        screen._show_elapsed()
        assert screen.paused and "Paused 0:00:25" in rendered(reopened)
        await pilot.press("ctrl+o")  # back from the break
        await pilot.pause()
        clock.advance(5)
        screen._show_elapsed()
        assert "Elapsed 0:00:30" in rendered(reopened)
        await pilot.press("ctrl+q")
    with open_file(conversation_file) as store:
        assert store.meta("elapsed_seconds.notes") == "30"
        assert store.meta("clock_paused.notes") == "0"
        assert store.meta("clock_paused.lead") is None  # the lead's clock is their own


async def test_reopening_goes_back_to_the_stage_last_worked_on(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        author_id = screen.session.author_id
        await pilot.press("f5", "f5", "f5")
        await pilot.pause()
        assert screen.section.stage_id == "mindset"
        await pilot.press("ctrl+q")
    with open_file(conversation_file) as store:
        assert store.meta(f"last_section.{author_id}") == "mindset"

    reopened = conversation_app(conversation_file, clock)
    async with reopened.run_test(size=(120, 40)) as pilot:
        screen = await _open(reopened, pilot)
        assert screen.section.stage_id == "mindset"
        assert "3b Mindset" in rendered(reopened)
        await pilot.press("ctrl+q")

    # The lead, on the same file, starts at the beginning: the place is each reviewer's own.
    lead = conversation_app(conversation_file, clock, role="lead")
    async with lead.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the other reviewer (the notetaker chose the second)
        await pilot.pause()
        screen = lead.screen
        assert isinstance(screen, ConversationScreen) and screen.session.author_id != author_id
        assert screen.section.stage_id == "introduction"
        await pilot.press("ctrl+q")
