"""The style rules have one home, tui/styles/ (its README.md says which rules go where): no screen
module holds a CSS string, and every style sheet there parses with the app's own variables."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from textual.css.stylesheet import Stylesheet

import lt_interview.tui.screens as screens_package
from lt_interview.tui.app import make_app
from lt_interview.tui.styles import HERE as STYLES

SCREENS = Path(screens_package.__file__).parent


def _inline_css(path: Path) -> list[str]:
    """Class attributes DEFAULT_CSS or CSS that hold a string."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                targets = statement.targets if isinstance(statement, ast.Assign) else (
                    [statement.target] if isinstance(statement, ast.AnnAssign) else [])
                if any(isinstance(t, ast.Name) and t.id in ("DEFAULT_CSS", "CSS") for t in targets):
                    found.append(f"{path.name}: {node.name}")
    return found


def test_no_screen_module_holds_inline_css():
    found = [hit for path in sorted(SCREENS.glob("*.py")) for hit in _inline_css(path)]
    assert found == [], f"move these rules to tui/styles/ (see its README.md): {found}"


def test_every_screen_sheet_is_in_the_styles_folder():
    """Each screen's CSS_PATH names a file in tui/styles/ that exists."""
    from textual.screen import Screen

    named = set()
    for path in sorted(SCREENS.glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"lt_interview.tui.screens.{path.stem}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Screen) and value.CSS_PATH:
                sheets = value.CSS_PATH if isinstance(value.CSS_PATH, list) else [value.CSS_PATH]
                named.update(Path(sheet) for sheet in sheets)
    assert named and all(sheet.parent == STYLES and sheet.exists() for sheet in named), named


async def test_every_style_sheet_parses_with_the_app_variables():
    sheets = sorted(STYLES.glob("*.tcss"))
    assert {"conversation.tcss", "analysis.tcss", "dialogs.tcss", "home.tcss"} <= {sheet.name for sheet in sheets}
    app = make_app(mode="home")
    async with app.run_test(size=(80, 24)):
        for sheet in sheets:
            stylesheet = Stylesheet(variables=app.get_css_variables())
            stylesheet.read(sheet)
            stylesheet.parse()  # raises StylesheetParseError with the line at fault
            assert stylesheet.rules, sheet.name
