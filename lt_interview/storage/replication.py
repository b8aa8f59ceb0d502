"""The public replication API: what a merge does to the file it merges into, so that the merge
package never runs SQL nor reaches into storage's private modules.

- `revision_keys` reads the review's revisions (all, or those an input could meet) for planning;
- `Replication` is the one `BEGIN IMMEDIATE` transaction that adds every input (RELIABILITY.md
  §1.2, §3.2): revisions in batches with their heads refreshed, audit entries compared with the
  review's and kept, a review copy's pseudonym map and name guards, a ledger row per input;
  anything but `commit` rolls back and leaves the file byte-for-byte as it was;
- the backup before a merge: written under a name of its own, kept only once the merge commits.

Inputs are read through their staging copies (storage/staging.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from lt_interview.domain.ids import iso, new_id
from lt_interview.storage import _sqlite
from lt_interview.storage.copies import backup_path, new_unfinished_backup, remove_copy, unfinished_backups
from lt_interview.storage.schema import AUDIT_COLUMNS, REVISION_COLUMNS
from lt_interview.storage.staging import (APPLICATION_ID, SCHEMA_VERSION, WRONG_KEY, DatabaseError, StagingCopy,
                                          file_sha256, input_key, input_salt, new_staging_file, reference_schema)
from lt_interview.storage.store import Store

__all__ = [
    "APPLICATION_ID", "SCHEMA_VERSION", "WRONG_KEY", "AUDIT_COLUMNS", "REVISION_COLUMNS", "DatabaseError", "Replication", "StagingCopy", "backup_path", "busy_saving",
    "file_sha256", "input_key", "input_salt", "keep_backup", "new_staging_file", "reference_schema",
    "remove_copy", "revision_keys", "start_backup", "unfinished_backups",
]

# The review's page cache while merging (SQLite's default is 2 MB). Measured on 1,000 files of
# 500 notes: 2, 16 and 64 MB all merge in 18.6-19.3 s, but 64 MB adds 54 MB to the peak.
MERGE_CACHE_KIB = 16 * 1024

_KEYS = "SELECT revision_id, record_id, parents, digest, deleted, kind FROM main.revision"
_MEETING = (f"{_KEYS} WHERE revision_id IN (SELECT value FROM json_each(?1)) "
            f"UNION {_KEYS} WHERE record_id IN (SELECT value FROM json_each(?2))")


def busy_saving(review: Store) -> bool:
    """The review is in the middle of saving something else (a merge must wait)."""
    return review.conn.in_transaction


def revision_keys(review: Store, revision_ids: list[str] | None = None,
                  record_ids: list[str] | None = None) -> Iterator[tuple]:
    """(revision_id, record_id, parents, digest, deleted, kind) of the review's revisions: every
    one, or (given ids) those with one of `revision_ids` or of one of `record_ids`."""
    if revision_ids is None and record_ids is None:
        return iter(review.conn.execute(_KEYS))
    return iter(review.conn.execute(_MEETING, (json.dumps(revision_ids or []), json.dumps(record_ids or []))))


# --- the backup before a merge ---------------------------------------------------------------


def start_backup(review: Store, passphrase: str) -> Path:
    """A copy of the review as it is before the merge, under a name of its own (0600). Any
    temporary backup of it still here was left by a merge that was stopped (this merge holds the
    review's lock, so no other merge of it is running), and goes. Nothing is left on failure."""
    from lt_interview.platform import make_private

    for leftover in unfinished_backups(review.path):
        leftover.unlink(missing_ok=True)
    temporary = new_unfinished_backup(review.path)
    try:
        review.backup_to(temporary, passphrase)
        make_private(temporary)
    except BaseException:
        remove_copy(temporary)
        raise
    return temporary


def keep_backup(temporary: Path, review: Store) -> Path | None:
    """After the commit, the temporary backup replaces the previous one. The merge has happened
    whatever comes next, so a backup that cannot be kept is removed rather than reported."""
    final = backup_path(review.path)
    try:
        os.replace(temporary, final)
    except OSError:
        remove_copy(temporary)
        return None
    return final


# --- the one transaction -----------------------------------------------------------------------


class Replication:
    """The one transaction that adds every input to the review: all of them or none."""

    def __init__(self, review: Store) -> None:
        self.review = review
        self.conn = review.conn
        self.cache: int | None = None

    def begin(self) -> None:
        conn = self.conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS merge_audit({', '.join(AUDIT_COLUMNS)}, PRIMARY KEY (audit_id))")
        cache = conn.execute("PRAGMA main.cache_size").fetchone()[0]
        self.cache = cache
        conn.execute(f"PRAGMA main.cache_size = {-max(MERGE_CACHE_KIB, abs(cache) if cache < 0 else 0)}")
        conn.execute("BEGIN IMMEDIATE")

    def add_revisions(self, batches: Iterable[list[tuple]]) -> int:
        """Insert revisions (REVISION_COLUMNS order) batch by batch, a revision already present
        skipped, and refresh the heads of each batch's records. Returns how many were new."""
        conn = self.conn
        insert = (f"INSERT OR IGNORE INTO main.revision ({', '.join(REVISION_COLUMNS)}) "
                  f"VALUES ({', '.join('?' for _ in REVISION_COLUMNS)})")
        record_at = REVISION_COLUMNS.index("record_id")
        added = 0
        for batch in batches:
            before = conn.total_changes
            conn.executemany(insert, batch)
            added += conn.total_changes - before
            self._refresh_heads(json.dumps(list({row[record_at] for row in batch})))
        return added

    def _refresh_heads(self, record_ids: str) -> None:
        """The head rows of the records named in `record_ids` (a JSON list), from the revision log:
        each record's revisions that none of its revisions names as a parent. The planner's view,
        and Store.rebuild_heads's, for records whose revisions name only their own record's."""
        conn = self.conn
        conn.execute("DELETE FROM main.head WHERE record_id IN (SELECT value FROM json_each(?))", (record_ids,))
        conn.execute(
            "INSERT INTO main.head (revision_id, record_id, kind, conversation_id, deleted) "
            "SELECT r.revision_id, r.record_id, r.kind, r.conversation_id, r.deleted FROM main.revision r "
            "WHERE r.record_id IN (SELECT value FROM json_each(?)) AND NOT EXISTS ("
            "SELECT 1 FROM main.revision c, json_each(c.parents) p "
            "WHERE c.record_id = r.record_id AND p.value = r.revision_id) "
            "ORDER BY r.revision_id", (record_ids,))

    def stage_audit(self, rows: Iterable[tuple]) -> None:
        """One input's audit entries (AUDIT_COLUMNS order), held aside until `keep_audit`."""
        conn = self.conn
        conn.execute("DELETE FROM temp.merge_audit")
        conn.executemany(f"INSERT INTO temp.merge_audit VALUES ({', '.join('?' for _ in AUDIT_COLUMNS)})", rows)

    def keep_audit(self) -> str | None:
        """The staged audit entries compared with the review's: "altered" (an entry already held
        with another hash), "forked" (another entry at a place in a chain already held), or None
        once the new entries are added."""
        conn = self.conn
        if conn.execute("SELECT 1 FROM temp.merge_audit i CROSS JOIN main.audit a ON a.audit_id = i.audit_id "
                        "WHERE a.hash <> i.hash LIMIT 1").fetchone():
            return "altered"
        if conn.execute("SELECT 1 FROM temp.merge_audit i CROSS JOIN main.audit a "
                        "ON a.chain_id = i.chain_id AND a.seq = i.seq WHERE a.audit_id <> i.audit_id LIMIT 1").fetchone():
            return "forked"
        columns = ", ".join(AUDIT_COLUMNS)
        conn.execute(f"INSERT INTO main.audit ({columns}) SELECT {columns} FROM temp.merge_audit i "
                     "WHERE NOT EXISTS (SELECT 1 FROM main.audit a WHERE a.audit_id = i.audit_id)")
        return None

    def add_pseudonym(self, entry: tuple) -> bool:
        """(entry_id, pseudonym, real_name, category): added, or already held alike (True); False
        when the review holds that entry with other values."""
        known = self.conn.execute("SELECT pseudonym, real_name, category FROM pseudonym_map WHERE entry_id = ?",
                                  (entry[0],)).fetchone()
        if known is None:
            self.conn.execute("INSERT INTO pseudonym_map VALUES (?, ?, ?, ?)", entry)
            return True
        return tuple(known) == tuple(entry[1:])

    def add_name_guards(self, digests: Iterable[tuple]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO name_guard (digest) VALUES (?)", digests)

    def record_import(self, *, sha256: str, file_id: str, device: str, app_version: str, seen: int,
                      added: int, result: str, reason: str) -> None:
        """The input's row in the import ledger."""
        self.conn.execute(
            "INSERT INTO import_ledger (ledger_id, file_sha256, source_file_id, source_device, app_version, "
            "imported_at, rows_seen, rows_added, result, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id(), sha256, file_id, device, app_version, iso(self.review.clock()), seen, added, result, reason))

    def commit(self, detail: dict) -> None:
        self.review.audit("merge", detail=detail)
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
