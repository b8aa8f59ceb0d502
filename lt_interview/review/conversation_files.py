"""Make a conversation file for one practitioner: the framework, the structure and that
practitioner only. No chronology, no other conversation, no pseudonym map."""

from __future__ import annotations

from pathlib import Path

from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import Conversation
from lt_interview.errors import BadInput
from lt_interview.storage.connection import salt_of
from lt_interview.storage.copies import remove_copy
from lt_interview.storage.lookups import find_practitioner
from lt_interview.storage.store import CONVERSATION, Store

# Review-level kinds every conversation file carries (the case framework, never case facts).
SHARED_KINDS = ("review", "framework", "structure", "reviewer")


def conversation_for(store: Store, practitioner_id: str) -> tuple[str, Conversation]:
    """The practitioner's latest conversation, or a new planned one."""
    existing = [(cid, c) for cid, c in store.records(Conversation) if c.practitioner_id == practitioner_id]
    if existing:
        return existing[-1]
    conversation = Conversation(practitioner_id=practitioner_id)
    revision = store.put(conversation)
    return revision.record_id, conversation


def follow_up_for(store: Store, practitioner_id: str) -> tuple[str, Conversation]:
    """A new conversation with the practitioner, following up their latest one (which must have
    been held: a planned one is packed again instead). Written by the caller's transaction."""
    existing = [(cid, c) for cid, c in store.records(Conversation) if c.practitioner_id == practitioner_id]
    if not existing:
        raise BadInput("there is no earlier conversation with this practitioner to follow up; pack without "
                       "--follow-up for the first one")
    earlier_id, earlier = existing[-1]
    if earlier.status == Status.PLANNED:
        raise BadInput("the latest conversation with this practitioner has not been held yet; pack it again "
                       "without --follow-up")
    conversation = Conversation(practitioner_id=practitioner_id, follow_up_of=earlier_id,
                                lead_reviewer_id=earlier.lead_reviewer_id, notetaker_id=earlier.notetaker_id)
    return store.put(conversation).record_id, conversation


def pack(review: Store, passphrase: str, practitioner: str, out_path: Path, *, follow_up: bool = False) -> Path:
    """Write the conversation file; with `follow_up`, for a new conversation following up the
    practitioner's latest one (linked by Conversation.follow_up_of), never holding the earlier
    conversation's notes."""
    out_path = Path(out_path)
    if out_path.exists():
        raise BadInput(f"{out_path}: already exists; choose another name")
    review.refuse_if_purged()
    practitioner_id, _ = find_practitioner(review, practitioner)
    review.seal_all()
    with review.transaction():
        if follow_up:
            conversation_id, _ = follow_up_for(review, practitioner_id)
        else:
            conversation_id, _ = conversation_for(review, practitioner_id)
        review.audit("pack", conversation_id, {"kind": "conversation", "follow_up": follow_up})
    record_ids = {practitioner_id}
    for kind in SHARED_KINDS:
        record_ids |= {item.record_id for item in review.current(kind)}
    rows = [
        dict(zip(names, values))
        for names, cursor in [_query(review, "SELECT * FROM revision WHERE conversation_id = ?", (conversation_id,))]
        for values in cursor
    ]
    for record_id in sorted(record_ids):
        names, cursor = _query(review, "SELECT * FROM revision WHERE record_id = ?", (record_id,))
        rows += [dict(zip(names, values)) for values in cursor]
    salt = salt_of(review.conn)  # through the connection: open() on the file would release its lock
    target = Store.create(out_path, passphrase, file_kind=CONVERSATION, review_id=review.review_id,
                          salt=salt, actor_id=review.actor_id, device_id=review.device_id, clock=review.clock)
    try:
        with target.transaction():
            target.db.table("revision").insert_all(rows, pk="revision_id")
            target.rebuild_heads()
            guards = [{"digest": row[0]} for row in review.conn.execute("SELECT digest FROM name_guard")]
            if guards:
                target.db.table("name_guard").insert_all(guards, pk="digest")
            target.set_meta("conversation_id", conversation_id)
            target.set_meta("practitioner_id", practitioner_id)
            target.audit("pack.receive", conversation_id, {"revisions": len(rows)})
    except BaseException:
        target.close()
        remove_copy(out_path)
        raise
    target.close()
    return out_path


def _query(store: Store, sql: str, args: tuple):
    cursor = store.conn.execute(sql, args)
    return [column[0] for column in cursor.description], cursor.fetchall()
