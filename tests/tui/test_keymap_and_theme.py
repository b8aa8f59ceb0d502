"""User keymaps and themes: a key an editor uses is refused at start in one line naming the clash;
every screen's actions are known from the start, so a remapped analysis key works when the
analysis screen is opened from home; an unknown theme is said; the palette switches theme."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from lt_interview import cli
from lt_interview.config import Config
from lt_interview.errors import BadInput
from lt_interview.paths import config_path
from lt_interview.tui.actions import ACTIONS, BY_ID
from lt_interview.tui.app import make_app
from lt_interview.tui.keymap import check_keymap, editor_keys

from tui_helpers import type_text


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


@pytest.mark.parametrize("action_id, key, clash", [
    ("capture.quote", "ctrl+k", "the notes editor, which uses ctrl+k for delete to line end"),
    ("capture.went_well", "ctrl+z", "the notes editor, which uses ctrl+z for undo"),
    ("app.save", "ctrl+e", "the notes editor, which uses ctrl+e for cursor line end"),
    ("conversation.pause", "enter", "the notes editor, which uses enter for a new line"),
    ("capture.change", "q", "the notes editor, which uses q for typing"),
    ("typeup.find", "ctrl+u", "the account editor, which uses ctrl+u for delete to line start"),
    ("analysis.search", "ctrl+w", "the analysis forms' text areas, which use ctrl+w for delete left to start of word"),
    ("home.demo", "ctrl+a", "the path box, which uses ctrl+a for go to start"),
    ("conversation.checklist", "ctrl+i", "the notes editor, which uses ctrl+i for Tab (next area)"),
])
def test_a_key_an_editor_uses_is_refused_naming_the_clash(action_id, key, clash):
    with pytest.raises(BadInput) as refused:
        make_app(mode="home", config=Config(keymap={action_id: f"f11,{key}"}))
    message = refused.value.message
    assert f'"{action_id}" = "f11,{key}"' in message and clash in message and "\n" not in message


def test_unknown_ids_and_shared_keys_are_refused_and_good_keymaps_pass():
    with pytest.raises(BadInput, match="names 'capture.qoute', which is not an action"):
        check_keymap({"capture.qoute": "f11"})
    with pytest.raises(BadInput, match="gives f2 to both 'capture.quote' and 'capture.episode'"):
        check_keymap({"capture.quote": "f2"})
    with pytest.raises(BadInput, match="gives f4 to both 'app.help' and 'capture.quote'"):
        check_keymap({"app.help": "f4"})
    check_keymap({"capture.quote": "f11", "analysis.search": "f11", "captured.edit": "x"})
    check_keymap({spec.id: spec.default_keys for spec in ACTIONS if spec.default_keys})  # the defaults themselves


def test_no_default_key_is_one_an_editor_uses():
    """The registry's own defaults pass the same check a user's keymap does."""
    text_area, text_box = editor_keys("text_area"), editor_keys("input")
    for spec in ACTIONS:
        for key in filter(None, spec.default_keys.split(",")):
            if spec.scope in ("app", "conversation", "typeup", "analysis", "conflicts"):
                assert key not in text_area, (spec.id, key)
            if spec.scope in ("app", "home"):
                assert key not in text_box, (spec.id, key)
    assert editor_keys("text_area")["ctrl+k"] == "delete to line end"
    assert set(k.strip() for b in TextArea.BINDINGS for k in b.key.split(",")) <= set(text_area)
    assert set(k.strip() for b in Input.BINDINGS for k in b.key.split(",")) <= set(text_box)


def test_a_clashing_keymap_stops_the_command_before_the_passphrase(conversation_file, capsys, monkeypatch):
    monkeypatch.delenv("LT_INTERVIEW_PASSPHRASE")  # a prompt would be reached otherwise
    config_path().write_text('[keymap]\n"capture.quote" = "ctrl+k"\n', encoding="utf-8")
    assert cli.main(["converse", str(conversation_file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ctrl+k for delete to line end" in err and "passphrase" not in err.lower()
    assert cli.main([]) == 2  # the home screen is refused the same way
    assert "clashes with the notes editor" in capsys.readouterr().err


async def test_a_remapped_analysis_key_works_when_analysis_is_opened_from_home(files):
    review_path, _ = files
    app = make_app(mode="home", config=Config(keymap={"analysis.search": "f11"}))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await type_text(pilot, str(review_path))
        await pilot.press("enter")
        await pilot.pause(0.5)
        screen = app.screen
        assert type(screen).__name__ == "AnalysisScreen"
        assert not [m for m in messages(app) if "keymap" in m or "unknown" in m]
        search = screen.query_one("#search-input", Input)
        await pilot.press("f9")  # the old key no longer searches
        await pilot.pause()
        assert screen.focused is not search
        await pilot.press("f11")
        await pilot.pause()
        assert screen.focused is search
        await pilot.press("ctrl+q")


async def test_an_unknown_theme_is_said_and_the_default_kept():
    app = make_app(mode="home", config=Config(theme="solarised-dusk"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        [said] = [m for m in messages(app) if "theme" in m]
        assert said.startswith("config.toml: theme 'solarised-dusk' is not a theme lt-interview knows")
        await pilot.press("ctrl+q")
    app = make_app(mode="home", config=Config(theme="nord"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "nord" and not [m for m in messages(app) if "theme" in m]
        await pilot.press("ctrl+q")


async def test_the_palette_switches_theme_for_the_session():
    app = make_app(mode="home")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await type_text(pilot, "change theme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await type_text(pilot, "gruvbox")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "gruvbox"
        assert any(m.startswith("Theme gruvbox for this session. To keep it, put theme = \"gruvbox\"")
                   for m in messages(app))
        await pilot.press("ctrl+q")
    assert not config_path().exists()  # not written: config.toml is the user's own file


async def test_a_palette_only_action_can_be_given_a_key():
    assert BY_ID["app.theme"].default_keys == ""
    app = make_app(mode="home", config=Config(keymap={"app.theme": "f11"}))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("f11")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("escape", "ctrl+q")
