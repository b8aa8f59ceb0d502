"""Delete on the captured list asks before an item leaves the conversation: Esc or "No" keeps
it, "Yes" removes it. Asserted on the file."""

from __future__ import annotations

from lt_interview.domain.models import FactorTag
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChoiceScreen
from lt_interview.tui.widgets.capture_list import CaptureList

from tui_helpers import conversation_app, open_conversation_screen, open_file, rendered, type_text


def _factors(path) -> list[str]:
    with open_file(path) as store:
        return [tag.text for _, tag in store.records(FactorTag)]


async def _capture_a_factor(app, pilot) -> ConversationScreen:
    screen = await open_conversation_screen(app, pilot)
    await type_text(pilot, "No cover when the team manager was off")
    await pilot.press("f3")
    await pilot.pause()
    await pilot.press(*"workload", "down", "enter")
    await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    screen.query_one(CaptureList).focus()
    await pilot.pause()
    return screen


async def test_delete_asks_and_escape_or_no_keeps_the_item(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _capture_a_factor(app, pilot)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "Remove Factor:" in rendered(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and len(screen.query_one(CaptureList).items) == 1
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")  # the first choice, highlighted: "No: keep it"
        await pilot.pause()
        assert app.screen is screen and len(screen.query_one(CaptureList).items) == 1
        await pilot.press("ctrl+q")
    assert _factors(conversation_file) == ["No cover when the team manager was off"]


async def test_yes_removes_the_item(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _capture_a_factor(app, pilot)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("down", "enter")  # "Yes: remove it"
        await pilot.pause()
        assert app.screen is screen and screen.query_one(CaptureList).items == []
        await pilot.press("ctrl+q")
    assert _factors(conversation_file) == []
