"""Modes are listed statically (tui/modes.py): every one resolves to a screen class, and no
screen imports the app to make itself known (the home screen did, an app <-> home circle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.screen import Screen

import lt_interview.tui.screens as screens_package
from lt_interview.errors import BadInput
from lt_interview.tui.modes import MODES, mode_spec, screen_class

SCREENS = Path(screens_package.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_home_screen_does_not_import_the_app():
    assert "lt_interview.tui.app" not in _imported_modules(SCREENS / "home.py")


def test_the_analysis_screen_and_its_panes_do_not_import_the_app():
    widgets = SCREENS.parent / "widgets"
    for path in [SCREENS / "analysis.py", *sorted(widgets.glob("*_pane.py"))]:
        assert "lt_interview.tui.app" not in _imported_modules(path), path.name


def test_the_modes_table_does_not_import_a_screen_at_import():
    """Each mode's screen is imported inside its factory, when the mode opens."""
    tree = ast.parse((SCREENS.parent / "modes.py").read_text(encoding="utf-8"))
    top = {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(module.startswith("lt_interview.tui.screens") for module in top)


@pytest.mark.parametrize("name", sorted(MODES))
def test_every_mode_resolves_to_a_screen_class(name):
    spec = mode_spec(name)
    assert spec is MODES[name] and spec.name == name
    screen = screen_class(spec)
    assert isinstance(screen, type) and issubclass(screen, Screen)


def test_an_unknown_mode_is_refused_in_one_line():
    with pytest.raises(BadInput, match="no screen for 'nonesuch'"):
        mode_spec("nonesuch")
