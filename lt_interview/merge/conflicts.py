"""Settling a conflict: a reviewer writes a fresh revision naming every competing head as a
parent. Nothing here chooses between the versions; the caller supplies the settled record."""

from __future__ import annotations

from lt_interview.domain.models import Record
from lt_interview.errors import BadInput
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import Store
from lt_interview.domain.ids import short_id


def competing_versions(store: Store, record_id: str) -> list[Revision]:
    """The heads of a record, oldest first (more than one means a conflict)."""
    return store.heads(record_id)


def resolve_conflict(store: Store, record_id: str, record: Record | None) -> Revision:
    """Write the settled version of `record_id` (or, with `record=None`, settle it as removed).

    The new revision's parents are all current heads, so the conflict is closed and every
    competing version stays in the history."""
    heads = store.heads(record_id)
    if len(heads) < 2:
        raise BadInput(f"record {short_id(record_id)} is not in conflict")
    kinds = {rev.kind for rev in heads}
    if record is None:
        with store.transaction():
            revision = store.delete(record_id)
            store.audit("conflict.resolve", record_id, {"versions": len(heads), "removed": 1})
        return revision
    if record.kind not in kinds:
        raise BadInput(f"record {short_id(record_id)} is a {'/'.join(sorted(kinds))}, not a {record.kind}")
    conversation_id = next((rev.conversation_id for rev in heads if rev.conversation_id), None)
    with store.transaction():
        revision = store.put(record, record_id, parents=[rev.revision_id for rev in heads],
                             conversation_id=conversation_id)
        store.audit("conflict.resolve", record_id, {"versions": len(heads)})
    return revision
