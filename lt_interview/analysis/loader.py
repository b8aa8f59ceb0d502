"""Bulk reading of current records for the analysis workspace.

`Store.current()` is right for screens that show a handful of records; the workspace reads
every episode, factor and capture of a review at once, so it reads the head table in one
query per kind and groups the heads in Python (same rules as Store.current: a record whose
live heads compete is shown with `conflict=True`; a record whose only heads are deletions is
gone).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from lt_interview.domain.models import Record
from lt_interview.domain.record_kinds import kind_model
from lt_interview.domain.ids import short_id
from lt_interview.domain.text import MAX_TEXT
from lt_interview.storage.revisions import clean_body, validated
from lt_interview.storage.store import Store


@dataclass(frozen=True)
class Loaded:
    record_id: str
    record: Record
    conversation_id: str | None
    created_at: str  # when the record was first written (sorting)
    conflict: bool


def load(store: Store, kind: str, *, validate: bool = True, first_created: bool = True) -> list[Loaded]:
    """Every live record of `kind`, oldest first. `validate=False` skips pydantic (bodies are
    validated when written and digests checked on merge) and returns model_construct()ed
    records (their text still cleaned), which is much faster for notes. `first_created=False`
    orders by the head's own time instead of the record's first revision (no look-up of every
    earlier revision)."""
    first = ("(SELECT min(created_at) FROM revision f WHERE f.record_id = h.record_id)"
             if first_created else "r.created_at")
    rows = store.conn.execute(
        "SELECT h.record_id, r.revision_id, r.created_at, r.deleted, r.body, h.conversation_id, "
        f"{first} FROM head h JOIN revision r USING (revision_id) WHERE h.kind = ?",
        (kind,),
    ).fetchall()
    model = kind_model(kind)
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    found: list[Loaded] = []
    with store._naming_file():  # a record that does not validate is reported with the file's name
        _collect(grouped, kind, model, validate, found)
    found.sort(key=lambda item: (item.created_at, item.record_id))
    return found


def _collect(grouped: dict[str, list[tuple]], kind: str, model, validate: bool, found: list[Loaded]) -> None:
    for record_id, heads in grouped.items():
        live = [head for head in heads if not head[3]]
        if not live:
            continue
        latest = max(live, key=lambda head: (head[2], head[1]))
        body = latest[4]
        if validate or len(body) > MAX_TEXT:
            # A body that long may hold a field over the limit: refused as opening and `check` do.
            record = validated(kind, body, f"revision {short_id(latest[1])}")
        else:
            # Unvalidated, but never uncleaned: a file written outside the app may hold escapes.
            cleaned = clean_body(body)
            record = model.model_construct(**json.loads(body if cleaned is None else cleaned))
        found.append(Loaded(record_id, record, latest[5], latest[6] or "", len(heads) > 1))


def load_many(store: Store, kinds: Iterable[str], *, validate: bool = True) -> dict[str, list[Loaded]]:
    return {kind: load(store, kind, validate=validate) for kind in kinds}
