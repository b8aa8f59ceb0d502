"""Fixtures for type-up tests: a captured conversation (the demo's fictional health visitor)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from lt_interview.demo import data as demo_data
from lt_interview.demo.build import _fill_health_visitor, type_up_episodes
from lt_interview.review.conversation_files import pack
from lt_interview.storage.store import CONVERSATION, REVIEW, Store


def open_conversation(path: Path, passphrase: str, **kwargs) -> Store:
    return Store.open(path, passphrase, expect_kind=CONVERSATION, **kwargs)


@pytest.fixture
def captured(tmp_path: Path, review_path: Path, passphrase: str) -> Path:
    """A packed conversation file with the demo's fictional notes, episodes and factors."""
    out = tmp_path / "health-visitor.ltc"
    with Store.open(review_path, passphrase, expect_kind=REVIEW, actor_id="tester") as review:
        pack(review, passphrase, "Health visitor", out)
    _fill_health_visitor(out, passphrase)
    return out


@pytest.fixture
def typed_up(captured: Path, passphrase: str) -> Path:
    """The captured conversation with its episodes typed up from the notes in type-up (dates and
    what the practitioner knew, thought, felt and did): saved, not yet marked typed up."""
    with Store.open(captured, passphrase, expect_kind=CONVERSATION,
                    clock=FrozenClock(datetime(2026, 2, 1, 9, 0, tzinfo=timezone.utc))) as store:
        type_up_episodes(store, demo_data.HEALTH_VISITOR_EPISODES)
    return captured


class FrozenClock:
    """A clock that moves one second per call, so revisions sort in the order written."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 2, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        from datetime import timedelta

        self.now += timedelta(seconds=1)
        return self.now
