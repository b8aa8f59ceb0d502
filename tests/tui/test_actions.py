"""Every binding comes from the registry, has an id, and steals no key from the editors."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, TextArea

from lt_interview.config import Config
from lt_interview.domain.models import Quote
from lt_interview.tui.actions import ACTIONS, BY_ID
from lt_interview.tui.app import LTInterviewApp
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.home import HomeScreen
from lt_interview.tui.widgets.capture_list import CaptureList

from tui_helpers import conversation_app, type_text

AVOID = {"ctrl+m", "ctrl+i", "ctrl+h", "ctrl+j", "ctrl+a", "ctrl+b"}


def keys_of(bindings) -> set[str]:
    keys = set()
    for binding in bindings:
        if isinstance(binding, Binding):
            keys |= {key.strip() for key in binding.key.split(",")}
        else:
            keys |= {key.strip() for key in binding[0].split(",")}
    return keys


def test_no_binding_steals_an_editor_key():
    editor_keys = keys_of(TextArea.BINDINGS)
    input_keys = keys_of(Input.BINDINGS)
    for spec in ACTIONS:
        keys = set(spec.default_keys.split(","))
        assert not keys & AVOID, spec.id
        if spec.scope in ("conversation", "app"):
            assert not keys & editor_keys, f"{spec.id} uses a key the notes editor takes"
        if spec.scope in ("home", "app"):
            assert not keys & input_keys, f"{spec.id} uses a key the path box takes"


def test_every_binding_has_an_id_from_the_registry():
    for owner in (LTInterviewApp, ConversationScreen, HomeScreen, CaptureList):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding) and binding.id in BY_ID, (owner, binding)
            assert binding.tooltip


async def test_keymap_from_config_remaps_and_fires_in_the_editor(conversation_file, clock):
    config = Config(keymap={"capture.quote": "f11"})
    app = conversation_app(conversation_file, clock, config=config)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "words worth keeping")
        await pilot.press("f4")  # the old key no longer captures
        await pilot.press("f11")
        await pilot.pause()
        assert app.screen.focused.id == "notes"
        quotes = [q.text for _, q in app.store.records(Quote)]
        assert quotes == ["words worth keeping"]
        await pilot.press("ctrl+q")


async def test_palette_lists_conversation_actions(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await type_text(pilot, "checklist")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChecklistScreen"
        await pilot.press("escape", "ctrl+q")


async def test_help_opens_from_every_area_that_can_have_focus(conversation_file, clock):
    """F1 once crashed wherever the focused widget was a plain Textual one (its HELP is None)."""
    from lt_interview.tui.screens.dialogs import HelpScreen

    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        focusable = [widget for widget in screen.query("*") if widget.focusable]
        assert len(focusable) >= 4
        for widget in focusable:
            widget.focus()
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), widget
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)


async def test_help_opens_on_the_home_screen_at_once():
    from lt_interview.tui.app import make_app
    from lt_interview.tui.screens.dialogs import HelpScreen

    app = make_app(mode="home")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+q")


async def test_palette_offers_no_screenshot_and_a_screenshot_writes_nothing(conversation_file, clock,
                                                                           tmp_path, monkeypatch):
    """A screenshot would be the notes in an unencrypted file (Textual saves it to ~/Downloads)."""
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(home / "Downloads"))
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        titles = []
        for provider_class in app.COMMANDS:
            provider = provider_class(app.screen)
            titles += [hit.text async for hit in provider.discover()]
        assert titles and not {"Screenshot", "Theme", "Keys", "Maximize"} & set(map(str, titles))
        await app.run_action("screenshot")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert not list(home.rglob("*.svg"))
