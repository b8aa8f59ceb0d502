"""Identifiers and time. Ids are UUID text so merging is a union, never a remapping.

New ids are UUIDv7 (RFC 9562): a 48-bit millisecond timestamp, then random bits, in the same
36-character text form as the uuid4 ids of older files (both merge together). Ids made one after
another sort in the order they were made, so inserts land at the end of the database's indexes
instead of on a random page of them; that keeps a large merge growing linearly (issue 5).
The timestamp is the device clock at creation: never shown, never exported (exports derive their
own identifiers), and no more than the created_at every revision already stores.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import Callable

if sys.version_info >= (3, 14):
    from uuid import uuid7 as _uuid7
else:  # the standard library's uuid7 arrived in 3.14

    def _uuid7():
        """uuid6.uuid7, imported on the first new id: uuid6 imports importlib.metadata (about
        20 ms), which opening a file to the first frame need not wait for."""
        global _uuid7
        from uuid6 import uuid7

        _uuid7 = uuid7
        return uuid7()

Clock = Callable[[], datetime]


def new_id() -> str:
    """A new time-ordered id (UUIDv7 text; monotonic within the process)."""
    return str(_uuid7())


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """UTC, microseconds, fixed width: sorts as text."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def short_id(value: str) -> str:
    """Eight characters to name a record in a message. The end of an id, not its start: a
    time-ordered id begins with its time, so records made in the same minute share a start."""
    return "".join(ch for ch in value if ch.isalnum())[-8:]
