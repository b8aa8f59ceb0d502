"""Every arrow points down (issue 21): operations/ is gone; the domain and storage import nothing
from the use cases (review/), the demo or merge; only the user interfaces import the demo."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import lt_interview

PACKAGE = Path(lt_interview.__file__).parent
INTERFACES = ("lt_interview.commands", "lt_interview.cli", "lt_interview.tui")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function ('from x import y' counts
    x.y too, as y may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _modules() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def test_operations_is_gone():
    assert not (PACKAGE / "operations").exists()
    assert importlib.util.find_spec("lt_interview.operations") is None
    importers = sorted(name for name, imports in _modules().items()
                       if any(_within(i, "lt_interview.operations") for i in imports))
    assert importers == []


def test_domain_and_storage_import_no_use_case_demo_or_merge():
    above = ("lt_interview.review", "lt_interview.demo", "lt_interview.merge")
    wrong = sorted(
        (name, imported)
        for name, imports in _modules().items()
        if _within(name, "lt_interview.domain") or _within(name, "lt_interview.storage")
        for imported in imports if any(_within(imported, package) for package in above))
    assert wrong == []


def test_only_the_interfaces_import_the_demo():
    wrong = sorted(
        (name, imported)
        for name, imports in _modules().items()
        if not _within(name, "lt_interview.demo") and not any(_within(name, top) for top in INTERFACES)
        for imported in imports if _within(imported, "lt_interview.demo"))
    assert wrong == []


def test_use_cases_do_not_import_merge():
    wrong = sorted(
        (name, imported)
        for name, imports in _modules().items() if _within(name, "lt_interview.review")
        for imported in imports if _within(imported, "lt_interview.merge"))
    assert wrong == []


def test_one_module_called_pack():
    """A CLI verb may keep its name (commands/pack.py); no other module shares it."""
    assert sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("pack.py")) == ["commands/pack.py"]
