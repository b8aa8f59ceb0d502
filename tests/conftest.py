"""Every test runs with its own LT_INTERVIEW_HOME and a fixed passphrase, never real data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TEST_PASSPHRASE = "correct horse battery staple"


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
    from lt_interview.operations.demo_data import FRAMEWORK
    from lt_interview.operations.review import create_review

    path = tmp_path / "review.ltr"
    create_review(path, TEST_PASSPHRASE, framework=FRAMEWORK, actor="tester").close()
    return path
