"""The factor picker (F3): Down from the filter lands on the first match, a filtered item says
which heading it is under (two headings share 'Social history' and 'Personality'), and editing a
captured factor can choose its heading and item again. Asserted on the file."""

from __future__ import annotations

from textual.widgets import OptionList

from lt_interview.domain.models import FactorTag
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import FactorPicker
from lt_interview.tui.widgets.capture_list import CaptureList

from tui_helpers import conversation_app, open_conversation_screen, open_file, type_text


_open = open_conversation_screen


def _factors(path) -> list[FactorTag]:
    with open_file(path) as store:
        return [tag for _, tag in store.records(FactorTag)]


def _labels(picker: FactorPicker) -> list[str]:
    choices = picker.query_one("#choices", OptionList)
    return [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]


async def test_down_then_enter_chooses_the_first_match(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot)
        await type_text(pilot, "Her own childhood came up")
        await pilot.press("f3")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FactorPicker)
        await pilot.press(*"history")
        await pilot.pause()
        # Both matches say which heading they are under.
        assert _labels(picker) == ["  · Social history — 1 Aspects of the family",
                                   "  · Social history — 4 Personal aspects"]
        await pilot.press("down")
        await pilot.pause()
        assert picker.query_one("#choices", OptionList).highlighted == 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("ctrl+q")
    [tag] = _factors(conversation_file)
    assert (tag.heading_id, tag.item, tag.text) == ("family", "Social history", "Her own childhood came up")


async def test_down_with_the_headings_shown_still_lands_on_the_first_row(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot)
        await pilot.press("f3")
        await pilot.pause()
        picker = app.screen
        await pilot.press(*"your role")  # the heading row matches, then its items
        await pilot.pause()
        assert _labels(picker)[:2] == ["2 Aspects of your role", "  · Frequency of contact"]
        await pilot.press("down")
        await pilot.pause()
        assert picker.query_one("#choices", OptionList).highlighted == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
    [tag] = _factors(conversation_file)
    assert (tag.heading_id, tag.item) == ("role", "Frequency of contact")


async def test_editing_a_factor_chooses_its_heading_and_item_again(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await type_text(pilot, "Her own childhood came up")
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"social history", "enter")  # the first: Aspects of the family
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        screen.query_one(CaptureList).focus()
        await pilot.press("e")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FactorPicker)
        choices = picker.query_one("#choices", OptionList)
        # Opened on the factor as it stands, with what was said.
        assert str(choices.get_option_at_index(choices.highlighted).prompt) == "  · Social history"
        assert picker.query_one("#factor-text").value == "Her own childhood came up"
        await pilot.press(*"social history", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert "Factor: Personal aspects / Social history" in str(screen.query_one(CaptureList).items[0].label)
        await pilot.press("ctrl+q")
    [tag] = _factors(conversation_file)
    assert (tag.heading_id, tag.item, tag.text) == ("personal", "Social history", "Her own childhood came up")
    with open_file(conversation_file) as store:  # one revision more, the first pick kept in history
        assert len(store.history(store.records(FactorTag)[0][0])) == 2
