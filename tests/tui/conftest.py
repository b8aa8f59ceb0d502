"""Fixtures for the TUI tests: an isolated home, a frozen clock and seeded, fictional files."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from lt_interview.domain.models import ChronologyEntry
from lt_interview.demo import data as demo_data
from lt_interview.review.conversation_files import pack
from lt_interview.review.setup import create_review

from tui_helpers import CANARY, SECRET


class FrozenClock:
    """A clock tests can move on by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 14, 14, 5, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", SECRET)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def make_files(folder: Path, practitioner: str = "Dr Priya Nandi") -> tuple[Path, Path]:
    """A review holding chronology (which must never reach a conversation screen) and one
    practitioner's conversation file."""
    review_path = folder / "review.ltr"
    out = folder / "gp.ltc"
    with create_review(review_path, SECRET, framework=demo_data.FRAMEWORK, actor="test") as review:
        for day, event in ((3, CANARY), (9, "CHRONOLOGY-CANARY-2 referral from the nursery")):
            review.put(ChronologyEntry(when=date(2025, 4, day), agency="Police", event=event))
        pack(review, SECRET, practitioner, out)
    return review_path, out


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    return make_files(tmp_path)


@pytest.fixture
def conversation_file(files) -> Path:
    return files[1]


@pytest.fixture
def captured_typeup(tmp_path) -> tuple[Path, str]:
    """The demo's captured health-visitor conversation, ready for type-up."""
    from lt_interview.demo.build import _fill_health_visitor
    from lt_interview.storage.store import REVIEW, Store

    review_path, _ = make_files(tmp_path)
    out = tmp_path / "health-visitor.ltc"
    with Store.open(review_path, SECRET, expect_kind=REVIEW, actor_id="tester") as review:
        pack(review, SECRET, "Health visitor", out)
    _fill_health_visitor(out, SECRET)
    return out, SECRET
