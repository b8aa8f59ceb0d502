"""Step 5 of a merge: the one transaction that adds every checked input to the review."""

from __future__ import annotations

import json

from lt_interview.domain.ids import iso, new_id, short_id
from lt_interview.domain.text import clean_text
from lt_interview.errors import ImportRefused
from lt_interview.merge.checks import SETTINGS_KIND, Staged, raw_connect, refuse
from lt_interview.merge.plan import InputPlan, Plan
from lt_interview.storage import _sqlite
from lt_interview.storage.schema import AUDIT_COLUMNS, REVISION_COLUMNS
from lt_interview.storage.store import REVIEW, Store

# The review's page cache while merging (SQLite's default is 2 MB). Measured on 1,000 files of
# 500 notes: 2, 16 and 64 MB all merge in 18.6-19.3 s, but 64 MB adds 54 MB to the peak.
MERGE_CACHE_KIB = 16 * 1024


class MergeTransaction:
    """The one transaction that adds every input to the review: all of them or none.

    Inputs are added as they are checked and planned, so the review's own work overlaps the
    checking of the next inputs; any refusal before `commit` rolls everything back, and a
    rolled-back transaction leaves the review file byte-for-byte as it was."""

    def __init__(self, review: Store) -> None:
        self.review = review
        self.conn = review.conn
        self.cache: int | None = None

    def begin(self) -> None:
        conn = self.conn
        audit_columns = ", ".join(AUDIT_COLUMNS)
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS merge_audit({audit_columns}, PRIMARY KEY (audit_id))")
        cache = conn.execute("PRAGMA main.cache_size").fetchone()[0]
        self.cache = cache
        conn.execute(f"PRAGMA main.cache_size = {-max(MERGE_CACHE_KIB, abs(cache) if cache < 0 else 0)}")
        conn.execute("BEGIN IMMEDIATE")

    def add(self, item: Staged, item_plan: InputPlan) -> None:
        review = self.review
        added = _union_one(review, item)
        if added != item_plan.added:  # the plan and the database must agree
            raise ImportRefused(f"{item.path}: the merge could not be completed consistently; nothing was merged")
        self.conn.execute(
            "INSERT INTO import_ledger (ledger_id, file_sha256, source_file_id, source_device, app_version, "
            "imported_at, rows_seen, rows_added, result, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id(), item.sha256, item.file_id, item.device, item.app_version, iso(review.clock()), item.seen,
             item_plan.added, item_plan.result,
             f"{item.drafts} unsaved drafts not merged" if item.drafts else ""))

    def commit(self, plan: Plan, inputs: int) -> None:
        self.review.audit("merge", detail={
            "inputs": inputs, "added": plan.added, "conflicts": len(plan.conflict_records)})
        self.conn.execute("COMMIT")

    def close(self) -> None:
        """Roll back whatever was not committed; drop the temporary table."""
        conn = self.conn
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        try:
            conn.execute("DROP TABLE IF EXISTS temp.merge_audit")
        except _sqlite.DatabaseError:
            pass
        if self.cache is not None:
            try:
                conn.execute(f"PRAGMA main.cache_size = {int(self.cache)}")
            except _sqlite.DatabaseError:
                pass


def _refresh_heads(conn, record_ids: str) -> None:
    """The head rows of the records named in `record_ids` (a JSON list), from the revision log:
    each record's revisions that none of its revisions names as a parent. The planner's view,
    and Store.rebuild_heads's, for records whose revisions name only their own record's."""
    conn.execute("DELETE FROM main.head WHERE record_id IN (SELECT value FROM json_each(?))", (record_ids,))
    conn.execute(
        "INSERT INTO main.head (revision_id, record_id, kind, conversation_id, deleted) "
        "SELECT r.revision_id, r.record_id, r.kind, r.conversation_id, r.deleted FROM main.revision r "
        "WHERE r.record_id IN (SELECT value FROM json_each(?)) AND NOT EXISTS ("
        "SELECT 1 FROM main.revision c, json_each(c.parents) p "
        "WHERE c.record_id = r.record_id AND p.value = r.revision_id) "
        "ORDER BY r.revision_id", (record_ids,))


UNION_BATCH = 2_000  # revisions read from a staging copy at a time (bounded memory for a large input)


def _union_one(review: Store, item: Staged) -> int:
    """Add one checked input's revisions and audit entries; returns how many revisions were new.

    The revisions go straight into the review, read once: from the rows the check validated
    (a conversation file) or from the staging copy. Planning has already refused any known
    revision id arriving with another digest, so a revision already present is the same
    revision and is skipped."""
    conn = review.conn
    conn.execute("DELETE FROM temp.merge_audit")
    audit_marks = ", ".join("?" for _ in AUDIT_COLUMNS)
    if item.rows is not None and item.audit_rows is not None:
        rows = item.rows
        added = _add_revisions(conn, (rows[start:start + UNION_BATCH] for start in range(0, len(rows), UNION_BATCH)))
        conn.executemany(f"INSERT INTO temp.merge_audit VALUES ({audit_marks})", item.audit_rows)
    else:
        source = raw_connect(item.staging, item.key, item.salt, read_only=False)
        try:
            # Never the review settings record into a review (merge/checks.py, SETTINGS_KIND): it keeps its own.
            skip = SETTINGS_KIND if review.file_kind == REVIEW else ""
            cursor = source.execute(f"SELECT {', '.join(REVISION_COLUMNS)} FROM revision WHERE kind <> ?", (skip,))
            added = _add_revisions(conn, iter(lambda: cursor.fetchmany(UNION_BATCH), []))
            conn.executemany(f"INSERT INTO temp.merge_audit VALUES ({audit_marks})",
                             source.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit"))
            if item.file_kind == REVIEW:
                _union_private(review, item, source)
        finally:
            source.close()
    bad = conn.execute(
        "SELECT 1 FROM temp.merge_audit i CROSS JOIN main.audit a ON a.audit_id = i.audit_id "
        "WHERE a.hash <> i.hash LIMIT 1").fetchone()
    if bad:
        raise refuse(item.path, "its audit trail disagrees with one already merged (altered)")
    fork = conn.execute(
        "SELECT 1 FROM temp.merge_audit i CROSS JOIN main.audit a ON a.chain_id = i.chain_id AND a.seq = i.seq "
        "WHERE a.audit_id <> i.audit_id LIMIT 1").fetchone()
    if fork:
        raise refuse(item.path, "its audit trail has forked from a copy already merged (the same file "
                                 "was used on two devices); merge each device's own file")
    audit_columns = ", ".join(AUDIT_COLUMNS)
    conn.execute(f"INSERT INTO main.audit ({audit_columns}) SELECT {audit_columns} FROM temp.merge_audit i "
                 "WHERE NOT EXISTS (SELECT 1 FROM main.audit a WHERE a.audit_id = i.audit_id)")
    return added


def _add_revisions(conn, batches) -> int:
    """Insert the revisions, batch by batch, refreshing the heads of each batch's records."""
    insert = (f"INSERT OR IGNORE INTO main.revision ({', '.join(REVISION_COLUMNS)}) "
              f"VALUES ({', '.join('?' for _ in REVISION_COLUMNS)})")
    record_at = REVISION_COLUMNS.index("record_id")
    added = 0
    for batch in batches:
        before = conn.total_changes
        conn.executemany(insert, batch)
        added += conn.total_changes - before
        _refresh_heads(conn, json.dumps(list({row[record_at] for row in batch})))
    return added


def _union_private(review: Store, item: Staged, source) -> None:
    """Another copy of the same review: its pseudonym map entries and name guards too."""
    conn = review.conn
    for entry in source.execute("SELECT entry_id, pseudonym, real_name, category FROM pseudonym_map"):
        entry = (entry[0], *(clean_text(value) for value in entry[1:]))  # never raw escapes into the review
        known = conn.execute("SELECT pseudonym, real_name, category FROM pseudonym_map WHERE entry_id = ?",
                             (entry[0],)).fetchone()
        if known is None:
            conn.execute("INSERT INTO pseudonym_map VALUES (?, ?, ?, ?)", entry)
        elif tuple(known) != tuple(entry[1:]):
            raise refuse(item.path, f"pseudonym entry {short_id(entry[0])} differs from the review's")
    conn.executemany("INSERT OR IGNORE INTO name_guard (digest) VALUES (?)",
                     source.execute("SELECT digest FROM name_guard"))
