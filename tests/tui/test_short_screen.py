"""At 80x24 there is no room for the case framework beside the notes: F12 shows it in a window of
its own (read-only, plain text), and the prompts box says how much of the stage is out of sight."""

from __future__ import annotations

from lt_interview.domain.models import CaseFramework
from lt_interview.tui.screens.framework_view import FrameworkScreen
from lt_interview.tui.widgets.prompts_box import PromptsBox, more_hint

from tui_helpers import conversation_app, open_conversation_screen, open_file, rendered


_open = open_conversation_screen


async def test_f12_shows_the_framework_when_the_screen_is_short(conversation_file, clock):
    with open_file(conversation_file) as store:
        framework_id, framework = store.one(CaseFramework)
        store.put(framework.model_copy(update={"agencies": ["[red]Agency[/", "Police"]}), framework_id)
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        assert screen.has_class("-short")
        assert "Child M" not in rendered(app)  # no room beside the notes
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, FrameworkScreen)
        shown = rendered(app)
        for text in ("Case framework", "Child: Child M", "Household: Mr B", "[red]Agency[/", "Esc or F12 closes"):
            assert text in shown, text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.focused.id == "notes"
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, FrameworkScreen)
        await pilot.press("f12")  # the key that opened it closes it
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+q")


async def test_f12_still_hides_and_shows_the_panel_on_a_tall_screen(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        shown = rendered(app)
        assert "Child M" in shown and "Period: March 2025" in shown  # the whole framework, not its first lines
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen is screen and "Child M" not in rendered(app)
        await pilot.press("f12")
        await pilot.pause()
        assert "Child M" in rendered(app)
        await pilot.press("ctrl+q")


def test_more_hint_words():
    assert more_hint(0, 0) == ""
    assert more_hint(0, 1) == "↓ 1 more line · Shift+Tab"
    assert more_hint(3, 9, focused=True) == "↓ 9 more lines"
    assert more_hint(3, 0) == "↑ more above"


async def test_prompts_say_when_more_is_below(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        while screen.section.stage_id != "changes":  # stage 7: only its purpose fits at 80x24
            await pilot.press("f5")
            await pilot.pause()
        await pilot.pause()
        box = screen.query_one(PromptsBox)
        below = round(box.max_scroll_y)
        assert below > 0
        assert f"↓ {below} more lines · Shift+Tab" in rendered(app)
        await pilot.press("shift+tab")  # from the notes to the prompts
        await pilot.pause()
        assert box.has_focus
        box.scroll_end(animate=False)
        await pilot.pause()
        shown = rendered(app)
        assert "↑ more above" in shown and "who to contact?" in shown
        await pilot.press("ctrl+q")
