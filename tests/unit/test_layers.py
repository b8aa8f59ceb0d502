"""Every arrow points down (issue 21): each top-level part of lt_interview has a layer, and no
import, at module level or inside a function, reaches a part on the same or a higher layer.

Read from the bottom: leaf helpers, the domain, storage, then the headless capabilities in the
order they use each other, the demo on top of them, and the edge (key prompting, the TUI, the
commands) last. A new top-level module must be given its layer here."""

from __future__ import annotations

import ast
from pathlib import Path

import lt_interview

PACKAGE = Path(lt_interview.__file__).parent

LAYERS = [
    {"__init__", "errors", "platform", "pause_points", "visible"},  # __init__: the version only
    {"paths"},
    {"crash", "recent", "domain"},
    {"storage", "config"},
    {"analysis"},
    {"merge"},
    {"export"},
    {"typeup"},
    {"conversation"},
    {"review"},
    {"demo"},
    {"unlock"},
    {"tui"},
    {"commands"},
    {"cli"},
    {"__main__"},
]
LAYER = {part: number for number, parts in enumerate(LAYERS) for part in parts}


def _part(module: str) -> str:
    """'lt_interview.storage.store' -> 'storage'."""
    return module.split(".")[1]


def _is_part(name: str) -> bool:
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").exists()


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "lt_interview":  # a submodule, or a name of the package itself
                yield from (f"lt_interview.{alias.name}" if _is_part(alias.name) else "lt_interview.__init__"
                            for alias in node.names)
            elif node.module.startswith("lt_interview."):
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("lt_interview."))


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "__init__.py":
            continue
        yield path, relative.parts[0].removesuffix(".py")


def test_every_part_has_a_layer():
    parts = {part for _, part in _sources()}
    assert parts <= set(LAYER), f"give these a layer in LAYERS: {sorted(parts - set(LAYER))}"


def test_no_import_points_up_or_sideways():
    upward = []
    for path, part in _sources():
        for module in _imports(path):
            target = _part(module)
            if target != part and LAYER[target] >= LAYER[part]:
                upward.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    assert upward == [], "\n".join(upward)


def test_the_check_sees_an_arrow_up(tmp_path):
    """The scan itself: a storage module importing the TUI is caught."""
    module = tmp_path / "bad.py"
    module.write_text("def later():\n    from lt_interview.tui.app import make_app\n", encoding="utf-8")
    assert [LAYER[_part(name)] > LAYER["storage"] for name in _imports(module)] == [True]
