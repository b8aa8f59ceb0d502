"""The home screen: typing a path works from the first key, the first recent file is ready for
Enter, and a path that cannot be opened says why in one line."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from lt_interview.domain.models import Conversation
from lt_interview.recent import add_recent
from lt_interview.tui.app import make_app
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChoiceScreen
from lt_interview.tui.screens.home import HomeScreen, typed_path

from tui_helpers import open_file, type_text


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_with_no_recent_files_typing_goes_to_the_path_box(tmp_path):
    folder = tmp_path / "a b"
    folder.mkdir()
    app = make_app(mode="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        path_box = app.screen.query_one("#path", Input)
        assert app.screen.focused is path_box
        await type_text(pilot, str(folder))
        await pilot.press("enter")
        await pilot.pause()
        assert messages(app)[-1] == f"{folder}: is a folder, not a file"
        path_box.value = ""
        await type_text(pilot, "'/nowhere/my gp.ltc'")
        await pilot.press("enter")
        await pilot.pause()
        assert messages(app)[-1] == "/nowhere/my gp.ltc: no such file"
        path_box.value = ""
        await pilot.press("ctrl+o")  # Open with nothing typed says what to do
        await pilot.pause()
        assert messages(app)[-1].startswith("Type the path of a .ltc conversation file")
        await pilot.press("ctrl+q")


async def test_a_quoted_path_typed_over_the_recent_list_opens(conversation_file):
    spaced = conversation_file.parent / "a b" / "my gp.ltc"
    spaced.parent.mkdir()
    conversation_file.rename(spaced)
    add_recent(conversation_file.parent / "elsewhere.ltc")  # listed (missing), highlighted first
    app = make_app(mode="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        recent = home.query_one("#recent", OptionList)
        assert home.focused is recent and recent.highlighted == 0
        await type_text(pilot, "'")  # the first key moves to the path box, and is kept
        await type_text(pilot, f"{spaced}'")
        await pilot.press("enter")
        await pilot.pause()
        assert home.query_one("#path", Input).value == f"'{spaced}'"
        assert isinstance(app.screen, ChoiceScreen)  # opened: who is taking notes?
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("ctrl+q")
    with open_file(spaced) as store:  # the file that was typed is the one opened
        conversation = store.get(store.meta("conversation_id")).record
        assert isinstance(conversation, Conversation) and conversation.notetaker_id


async def test_enter_opens_the_first_recent_file(conversation_file):
    add_recent(conversation_file)
    app = make_app(mode="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        await pilot.pause()


def test_typed_paths(tmp_path):
    spaced = tmp_path / "a b.ltc"
    spaced.write_bytes(b"")
    assert typed_path("  ") is None and typed_path("''") is None
    assert typed_path(f"'{spaced}'") == spaced
    assert typed_path(f'"{spaced}"') == spaced
    assert typed_path(str(spaced).replace(" ", "\\ ")) == spaced
    assert typed_path("file://" + str(spaced).replace(" ", "%20")) == spaced
    assert str(typed_path("'unbalanced")) == "'unbalanced"  # left as typed
