"""The conversation clock carries on after the file is closed and opened again (a crash or a
restart mid-conversation), per role, and it is kept in the file, not in review data."""

from __future__ import annotations

from lt_interview.tui.screens.conversation import ELAPSED_EVERY_S, ConversationScreen
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
