"""The headless core must import without Textual (ARCHITECTURE.md §1)."""

import pkgutil
import subprocess
import sys

import lt_interview


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(lt_interview.__path__, "lt_interview."):
        if info.name.startswith("lt_interview.tui") or info.name == "lt_interview.__main__":
            continue
        names.append(info.name)
    return names


def test_core_imports_with_textual_blocked():
    modules = core_modules()
    assert "lt_interview.storage.store" in modules
    code = "import sys; sys.modules['textual'] = None\n" + "\n".join(f"import {name}" for name in modules)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
