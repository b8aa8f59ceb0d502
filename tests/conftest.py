"""Every test runs with its own LT_INTERVIEW_HOME and a fixed passphrase, never real data."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

TEST_PASSPHRASE = "correct horse battery staple"

# No test asserts a time (speed is measured in scripts/bench.py), and hypothesis's per-example
# deadline (200 ms unless a test sets one) is a timed assertion: off for every property test.
settings.register_profile("lt-interview", deadline=None)
settings.load_profile("lt-interview")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("lt-home")
    monkeypatch.setenv("LT_INTERVIEW_HOME", str(home))
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", TEST_PASSPHRASE)
    old_umask = os.umask(0o022)  # the user's usual umask: the app must not depend on it
    yield home
    os.umask(old_umask)


@pytest.fixture
def passphrase() -> str:
    return TEST_PASSPHRASE


@pytest.fixture
def review_path(tmp_path: Path) -> Path:
    """A fresh review with the demo's fictional framework, closed and ready to open."""
    from lt_interview.demo.data import FRAMEWORK
    from lt_interview.review.setup import create_review

    path = tmp_path / "review.ltr"
    create_review(path, TEST_PASSPHRASE, framework=FRAMEWORK, actor="tester").close()
    return path


# The reliability suite (RELIABILITY.md §11): `pytest -m reliability` runs every test that
# proves a numbered target, wherever it lives beside the feature it covers.
RELIABILITY_MODULES = {
    "tests/storage/test_store.py",  # D5, D6, D7, S1, S2, D4
    "tests/storage/test_hostile_files.py",  # I1, S5
    "tests/merge/test_plan_properties.py",  # M1
    "tests/merge/test_importer.py",  # M2, M3, M4, I1, I2
    "tests/tui/test_autosave.py",  # autosave, recovery, crash without user text (U3)
    "tests/tui/test_blind_and_hostile.py",  # blind mode, U1, U2
    "tests/export/test_names_csv.py",  # S3, S4
    "tests/export/test_export_pack.py",  # pseudonymised exports, 0600
}


def pytest_collection_modifyitems(config, items):
    root = Path(__file__).resolve().parent.parent
    for item in items:
        relative = Path(str(item.fspath)).resolve().relative_to(root).as_posix()
        if relative.startswith("tests/reliability/") or relative in RELIABILITY_MODULES:
            item.add_marker(pytest.mark.reliability)


# --- the fictional four-conversation case (tests/analysis and tests/export) -----------------

_CASE_TEMPLATES: dict[str, Path] = {}


def _case_builder():
    name = "lt_case_builder"
    if name not in sys.modules:
        path = Path(__file__).parent / "analysis" / "case_builder.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def case_builder():
    return _case_builder()


@pytest.fixture
def case_review(tmp_path: Path, tmp_path_factory, passphrase: str) -> Path:
    """A fresh copy of the fictional four-conversation review (built once per session)."""
    template = _CASE_TEMPLATES.get(passphrase)
    if template is None:
        template = _case_builder().build_case(tmp_path_factory.mktemp("case-template"), passphrase)
        _CASE_TEMPLATES[passphrase] = template
    target = tmp_path / "case.ltr"
    shutil.copyfile(template, target)  # a closed file: the WAL is checkpointed on close
    return target
