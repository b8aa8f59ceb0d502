"""The home screen: typing a path works from the first key, the first recent file is ready for
Enter, and a path that cannot be opened says why in one line."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from lt_interview import unlock
from lt_interview.domain.models import Conversation
from lt_interview.recent import add_recent
from lt_interview.storage.keys import Keyring
from lt_interview.storage.store import CONVERSATION, Store
from lt_interview.tui.app import make_app
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChoiceScreen, PassphraseScreen
from lt_interview.tui.screens.home import HomeScreen, typed_path

from tui_helpers import SECRET, open_file, type_text


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


def _strings_within(value, seen=None, depth=0):
    """Every str reachable from `value` through attributes, dicts and collections (a few levels)."""
    seen = set() if seen is None else seen
    if id(value) in seen or depth > 4:
        return
    seen.add(id(value))
    if isinstance(value, (str, bytes)):
        yield value
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_within(key, seen, depth + 1)
            yield from _strings_within(item, seen, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings_within(item, seen, depth + 1)
    elif hasattr(value, "__dict__"):
        yield from _strings_within(vars(value), seen, depth + 1)


async def test_the_app_keeps_a_keyring_not_the_passphrase(conversation_file, monkeypatch):
    monkeypatch.delenv(unlock.ENV_PASSPHRASE)
    keyring = Keyring()
    salt = unlock.file_salt(conversation_file)
    app = make_app(mode="home", keyring=keyring)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.open(conversation_file)
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen)
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # opened: who is taking notes?
        assert not hasattr(app, "passphrase")
        assert app.keyring is keyring and keyring.opened_with(salt) is not None
        assert SECRET not in set(_strings_within(vars(app))) | set(_strings_within(keyring))
        await pilot.press("escape")
        await pilot.pause()


async def test_home_asks_a_second_reviews_own_passphrase(conversation_file, tmp_path, monkeypatch):
    monkeypatch.delenv(unlock.ENV_PASSPHRASE)
    other = tmp_path / "other-review.ltc"
    Store.create(other, "another review's passphrase", file_kind=CONVERSATION, review_id="another-review").close()
    keyring = Keyring()
    unlock.opened(unlock.key_for(conversation_file, SECRET, keyring), keyring)  # this review opened before
    app = make_app(mode="home", keyring=keyring)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        home.open(other)
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen)  # a salt of its own: its passphrase is asked for
        await pilot.press("escape")
        await pilot.pause()
        home.open(conversation_file)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # the same review: opened with the key it had
        await pilot.press("escape")
        await pilot.pause()
