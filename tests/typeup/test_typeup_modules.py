"""The type-up screen's structure: a screen module and short modules beside it, one concern each,
and its look in one place, tui/styles/typeup.tcss (read through CSS_PATH), shipped in the wheel."""

import importlib
import inspect
import re
import zipfile
from pathlib import Path

import pytest
from textual.screen import Screen

import lt_interview.tui.screens.typeup as typeup_screen

SCREENS = Path(typeup_screen.__file__).parent
TCSS = SCREENS.parent / "styles" / "typeup.tcss"
ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(path.stem for path in SCREENS.glob("typeup*.py"))
MAX_LINES = 300


def test_the_screen_is_split_into_its_modules():
    assert {"typeup", "typeup_dialogs", "typeup_episodes", "typeup_find", "typeup_lifecycle", "typeup_parts",
            "typeup_status"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_each_module_is_short(name):
    lines = (SCREENS / f"{name}.py").read_text(encoding="utf-8").count("\n")
    assert lines < MAX_LINES, f"{name}.py has {lines} lines; split it by concern"


@pytest.mark.parametrize("name", MODULES)
def test_no_css_is_written_in_the_modules(name):
    module = importlib.import_module(f"lt_interview.tui.screens.{name}")
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ == module.__name__:
            assert not cls.__dict__.get("DEFAULT_CSS") and not cls.__dict__.get("CSS"), cls.__name__
    source = (SCREENS / f"{name}.py").read_text(encoding="utf-8")
    assert not re.search(r"\b(DEFAULT_CSS|CSS)\s*=", source)


def test_every_screen_of_the_type_up_reads_the_one_stylesheet():
    screens = [cls for name in MODULES
               for _, cls in inspect.getmembers(importlib.import_module(f"lt_interview.tui.screens.{name}"),
                                                inspect.isclass)
               if issubclass(cls, Screen) and cls.__module__.startswith("lt_interview.tui.screens.typeup")]
    assert {cls.__name__ for cls in screens} == {"TypeUpScreen", "ConfirmEditScreen", "DatePrompt",
                                                 "RemindersScreen", "DifferencesScreen"}
    stylesheet = TCSS.read_text(encoding="utf-8")
    for cls in screens:
        module_dir = Path(inspect.getfile(cls)).parent
        assert (module_dir / cls.CSS_PATH).resolve() == TCSS.resolve(), cls.__name__
        assert re.search(rf"^{cls.__name__}\b", stylesheet, re.M), f"no rule for {cls.__name__}"


def test_the_screen_class_is_where_it_was():
    assert typeup_screen.TypeUpScreen.__module__ == "lt_interview.tui.screens.typeup"


def test_the_wheel_ships_the_stylesheet(tmp_path):
    builders = pytest.importorskip("hatchling.builders.wheel")
    wheel = next(builders.WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    names = zipfile.ZipFile(wheel).namelist()
    assert "lt_interview/tui/styles/typeup.tcss" in names
    assert "lt_interview/tui/styles/conversation.tcss" in names
