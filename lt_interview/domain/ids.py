"""Identifiers and time. Ids are UUID text so merging is a union, never a remapping."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]


def new_id() -> str:
    return str(uuid.uuid4())


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """UTC, microseconds, fixed width: sorts as text."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
