"""Meetings of the review (DOMAIN.md §13.10): the review team's analysis meetings and the joint
meetings with the case group, each with what was presented, the feedback and what changed."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from lt_interview.analysis.kpe import _invalid, revised
from lt_interview.analysis.loader import load
from lt_interview.domain.analysis import Meeting
from lt_interview.domain.ids import short_id
from lt_interview.errors import BadInput
from lt_interview.storage.store import Store


def parse_day(text: str) -> date:
    """'2026-03-14' -> a date; anything else is one clear line."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"'{text.strip()}' is not a date; write it as YYYY-MM-DD, such as 2026-03-14") from None


def _meeting(fields: dict[str, Any]) -> Meeting:
    try:
        return Meeting.model_validate(fields)
    except ValidationError as exc:
        raise _invalid(exc, "meeting") from None


def add_meeting(store: Store, **fields: Any) -> str:
    meeting = _meeting(fields)
    with store.transaction():
        return store.put(meeting).record_id


def update_meeting(store: Store, meeting_id: str, **changes: Any) -> None:
    meeting = revised(store, meeting_id, Meeting, "meeting", changes)
    with store.transaction():
        store.put(meeting, meeting_id)


def remove_meeting(store: Store, meeting_id: str) -> None:
    """A tombstone: the meeting leaves the list and the pack, and stays in the history."""
    current = store.get(meeting_id)
    if current is None or current.record.kind != Meeting.kind:
        raise BadInput(f"no meeting {short_id(meeting_id)}")
    with store.transaction():
        store.delete(meeting_id)


def in_order(loaded) -> list[tuple[str, Meeting]]:
    """(record id, meeting) by the day held, then in the order written."""
    found = [(item.record_id, item.record) for item in loaded]
    return sorted(found, key=lambda pair: pair[1].held_on)  # stable: written order within a day


def list_meetings(store: Store) -> list[tuple[str, Meeting]]:
    return in_order(load(store, Meeting.kind))
