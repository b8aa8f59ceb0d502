"""Every arrow points down: no module in lt_interview/domain imports anything of lt_interview
outside the domain (read from the source, so an import inside a function counts too), except
the typed errors, a leaf module every layer raises that imports nothing of lt_interview itself."""

from __future__ import annotations

import ast
from pathlib import Path

import lt_interview

PACKAGE = Path(lt_interview.__file__).parent
DOMAIN = PACKAGE / "domain"
BENEATH_THE_DOMAIN = {"lt_interview.errors": PACKAGE / "errors.py"}


def ours(name: str) -> bool:
    return name == "lt_interview" or name.startswith("lt_interview.")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the domain package
                base = "lt_interview.domain" if node.level == 1 else "lt_interview"
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__"):
            names.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return names


def test_the_domain_imports_nothing_above_it():
    modules = sorted(DOMAIN.glob("*.py"))
    assert len(modules) > 5
    upward = {f"{path.name}: {name}" for path in modules for name in imported_modules(path)
              if ours(name) and not name.startswith("lt_interview.domain") and name not in BENEATH_THE_DOMAIN}
    assert upward == set()


def test_what_lies_beneath_the_domain_imports_nothing_of_lt_interview():
    for path in BENEATH_THE_DOMAIN.values():
        assert not any(ours(name) for name in imported_modules(path)), path
