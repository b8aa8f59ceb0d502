"""Retention: purge a review once its retention date has passed, unless under legal hold."""

from __future__ import annotations

from datetime import date

from lt_interview.domain.models import Review
from lt_interview.errors import BadInput
from lt_interview.storage.copies import remove_copies
from lt_interview.storage.lookups import review_record
from lt_interview.storage.store import Store

# Tables holding the review's content. The audit trail stays: it holds no content.
CONTENT_TABLES = ("revision", "head", "draft", "pseudonym_map", "name_guard", "import_ledger")


def retention_warning(review: Review, today: date) -> str | None:
    if review.retain_until and today > review.retain_until:
        return (f"The retention date of this review ({review.retain_until:%d %B %Y}) has passed; "
                "purge it with 'lt-interview purge' unless it is under legal hold.")
    return None


def purge(store: Store, today: date) -> dict[str, int]:
    """Delete every content row, rebuild full-text indexes, remove the copies made beside the
    file (storage/copies.py), VACUUM and truncate the WAL.

    Returns the row counts removed, which is all the audit trail records.
    """
    _, review = review_record(store)
    if review.legal_hold:
        raise BadInput(f"{store.path}: under legal hold; purge is blocked until the hold is lifted")
    if review.retain_until is None:
        raise BadInput(f"{store.path}: no retention date is set; set one with 'lt-interview review set'")
    if today <= review.retain_until:
        raise BadInput(f"{store.path}: kept until {review.retain_until:%d %B %Y}; nothing purged")
    store.seal_all()
    counts: dict[str, int] = {}
    extra = [row[0] for row in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT IN ('meta', 'audit', '_sqlite_migrations') AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND name NOT LIKE '%\\_fts\\_%' ESCAPE '\\'")]
    with store.transaction():
        for table in dict.fromkeys([*CONTENT_TABLES, *extra]):
            if table in store.db.table_names():
                counts[table] = store.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
                store.conn.execute(f"DELETE FROM [{table}]")
        for table in store.db.table_names():
            if table.endswith("_fts"):
                store.conn.execute(f"INSERT INTO [{table}]([{table}]) VALUES ('rebuild')")
        store.set_meta("purged_on", today.isoformat())
        store.audit("review.purge", detail=counts)
    # The copies made beside it (the backup before the last merge, a merge's unfinished
    # temporary backup) hold everything just erased: they go too, while the file is held so no
    # merge is writing one.
    copies = remove_copies(store.path)
    if copies:
        store.audit("review.purge_copies", detail={"files": copies})
    store.conn.execute("VACUUM")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts
