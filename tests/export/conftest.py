from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

_TEMPLATES: dict[str, Path] = {}


def _builder():
    name = "lt_case_builder"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent.parent / "analysis" / "case_builder.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def case_builder():
    return _builder()


@pytest.fixture
def case_review(tmp_path: Path, tmp_path_factory, passphrase: str) -> Path:
    """A fresh copy of the fictional four-conversation review (built once per session)."""
    template = _TEMPLATES.get(passphrase)
    if template is None:
        template = _builder().build_case(tmp_path_factory.mktemp("case-template"), passphrase)
        _TEMPLATES[passphrase] = template
    target = tmp_path / "case.ltr"
    shutil.copyfile(template, target)  # a closed file: the WAL is checkpointed on close
    return target
