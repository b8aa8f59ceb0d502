"""Small frictions reviewers met (issue #19): each as they would meet it on screen."""

from __future__ import annotations

from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import RecoveryScreen

from tui_helpers import conversation_app, rendered, type_text

READY = ("down", "enter")  # choose the second reviewer when asked who takes notes


async def start(app, pilot):
    await pilot.pause()
    await pilot.press(*READY)
    await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    return app.screen


async def test_the_recovery_question_shows_the_recovered_text(conversation_file, clock):
    """After a kill, the question said only how many sections held unsaved text: the reviewer
    had to keep or discard words they could not see."""
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await type_text(pilot, "sealed words\n")
        await pilot.press("f5", "shift+f5")  # seal
        await type_text(pilot, "mother said the GP visit was cancelled")
        await pilot.pause(0.3)
        app.store.close()
        app.store = None  # as if killed: the draft stays unsealed
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        shown = rendered(app)
        assert "mother said the GP visit was cancelled" in shown
        assert "1 Introduction and ground rules" in shown  # which section it belongs to
        assert "sealed words" not in shown  # only what was not saved
        await pilot.press("k")
        await pilot.pause()
        assert "mother said the GP visit was cancelled" in app.screen.query_one("#notes").text
        await pilot.press("ctrl+q")
