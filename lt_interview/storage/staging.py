"""A merge input's staging copy: the input copied through the backup API (read only, never in
place) into a private encrypted database, a file or memory, and read back for checking
(RELIABILITY.md §3.2 and §6). Every SQL statement a merge needs on an input lives here; the
merge package reads what it checks through these methods (storage/replication.py for the
review's side)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from lt_interview.domain.ids import new_id
from lt_interview.storage import _sqlite
from lt_interview.storage.audit import verify_chains
from lt_interview.storage.connection import APPLICATION_ID, SCHEMA_VERSION, create_private_file
from lt_interview.storage.header import WRONG_KEY, read_salt
from lt_interview.storage.keys import derive_key, key_pragma
from lt_interview.storage.open_files import refuse_plain_read
from lt_interview.storage.schema import AUDIT_COLUMNS, REVISION_COLUMNS
from lt_interview.storage.schema import apply as apply_migrations

__all__ = [
    "APPLICATION_ID", "AUDIT_COLUMNS", "REVISION_COLUMNS", "SCHEMA_VERSION", "WRONG_KEY", "DatabaseError",
    "StagingCopy", "file_sha256", "input_key", "input_salt", "new_staging_file", "reference_schema",
]

# What SQLite raises on a file it cannot read: the merge turns it into a one-line refusal.
DatabaseError = _sqlite.DatabaseError

# SQLite's own statistics table (PRAGMA optimize), harmless data; everything else must be ours.
EXTRA_ALLOWED = frozenset({("table", "sqlite_stat1", "sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)")})
_REVISIONS = f"SELECT {', '.join(REVISION_COLUMNS)} FROM revision"
_AUDIT = f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit"


@lru_cache(maxsize=1)
def reference_schema() -> frozenset[tuple]:
    """sqlite_schema of a database built by our own migrations: the exact allow-list."""
    from sqlite_utils import Database

    conn = _sqlite.dbapi2.connect(":memory:", isolation_level=None)
    try:
        apply_migrations(Database(conn))
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    finally:
        conn.close()
    return frozenset(tuple(row) for row in rows) | EXTRA_ALLOWED


# --- the input file, with plain reads ------------------------------------------------------

def input_salt(path: Path, *, max_bytes: int) -> bytes:
    """The input's salt, read with plain reads before SQLite sees it (storage/header.py)."""
    return read_salt(path, max_bytes=max_bytes)


def input_key(passphrase: str, salt: bytes) -> bytes:
    return derive_key(passphrase, salt)


def file_sha256(path: Path) -> str:
    refuse_plain_read(path)  # never a file this process holds open: closing would release its lock
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_staging_file(workdir: Path) -> Path:
    """An empty 0600 file of its own in the merge's private folder."""
    staging = workdir / f"{new_id()}.db"
    create_private_file(staging)
    return staging


def _connect(path: Path, key: bytes, salt: bytes, *, read_only: bool):
    if read_only:
        # Quoted from the path's bytes: a name that is not valid UTF-8 is still the same file.
        target, uri = f"file:{quote(os.fsencode(path.resolve()))}?mode=ro&immutable=1", True
    else:
        target, uri = str(path), False
    conn = _sqlite.dbapi2.connect(target, uri=uri, isolation_level=None, check_same_thread=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key, salt))
        if not read_only:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            # A throwaway staging copy: durability does not matter, so spare the fsyncs.
            conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA mmap_size = 0")
        conn.execute("PRAGMA cell_size_check = ON")
    except BaseException:
        conn.close()
        raise
    return conn


# --- the staging copy ----------------------------------------------------------------------


class StagingCopy:
    """One keyed connection to a staging database (a file, or memory with `path=None`)."""

    def __init__(self, path: Path | None, key: bytes, salt: bytes) -> None:
        self.path = path
        self.key, self.salt = key, salt
        self._conn = _connect(Path(":memory:") if path is None else path, key, salt, read_only=False)

    @classmethod
    def open(cls, path: Path | None, key: bytes, salt: bytes) -> StagingCopy:
        return cls(path, key, salt)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> StagingCopy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- copying ---------------------------------------------------------------------------

    def copy_from(self, source: Path) -> None:
        """The input, opened read only and immutable (never written), copied page by page."""
        conn = _connect(source, self.key, self.salt, read_only=True)
        try:
            conn.backup(self._conn)
        finally:
            conn.close()

    def save_to(self, path: Path) -> None:
        """This copy (in memory) into the staging file `path`, with the same key."""
        with StagingCopy.open(path, self.key, self.salt) as target:
            self._conn.backup(target._conn)

    # --- what the checks read --------------------------------------------------------------

    def intact(self) -> bool:
        """quick_check. First, so the page cache then holds the file for every later read."""
        return self._conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]

    def identity(self) -> tuple[int, int]:
        """(application_id, user_version)."""
        return (self._conn.execute("PRAGMA application_id").fetchone()[0],
                self._conn.execute("PRAGMA user_version").fetchone()[0])

    def schema_rows(self) -> set[tuple]:
        return {tuple(row) for row in self._conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema")}

    def table_over_cap(self, caps: dict[str, int]) -> tuple[str, int] | None:
        """The first table holding more rows than its cap (0 for a table not named), or None."""
        tables = [row[0] for row in self._conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
        for table in tables:
            cap = caps.get(table, 0)
            count = self._conn.execute(
                f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT {cap + 1})').fetchone()[0]
            if count > cap:
                return table, cap
        return None

    def has_body_over(self, max_bytes: int) -> bool:
        return self._conn.execute("SELECT revision_id FROM revision WHERE length(CAST(body AS BLOB)) > ? LIMIT 1",
                                  (max_bytes,)).fetchone() is not None

    def meta(self) -> dict:
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def count(self, table: str) -> int:
        if table not in ("draft", "pseudonym_map", "name_guard", "revision", "audit"):
            raise ValueError(f"not a table of ours: {table}")
        return self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def size_bytes(self) -> int:
        return (int(self._conn.execute("PRAGMA page_count").fetchone()[0])
                * int(self._conn.execute("PRAGMA page_size").fetchone()[0]))

    def revision_rows(self) -> Iterator[tuple]:
        """Every revision (REVISION_COLUMNS order), streamed."""
        return iter(self._conn.execute(_REVISIONS))

    def revision_batches(self, size: int, *, except_kind: str = "") -> Iterator[list[tuple]]:
        """The revisions (REVISION_COLUMNS order) `size` at a time, none of `except_kind`: bounded
        memory for a large input."""
        cursor = self._conn.execute(f"{_REVISIONS} WHERE kind <> ?", (except_kind,))
        return iter(lambda: cursor.fetchmany(size), [])

    def replace_bodies(self, cleaned: Iterable[tuple[str, str, str]]) -> None:
        """(body, digest, revision_id) of revisions whose text was cleaned."""
        self._conn.executemany("UPDATE revision SET body = ?, digest = ? WHERE revision_id = ?", cleaned)

    def audit_rows(self) -> Iterator[tuple]:
        """Every audit entry (AUDIT_COLUMNS order), streamed."""
        return iter(self._conn.execute(_AUDIT))

    def verify_audit(self, *, source: str) -> None:
        """Every audit chain intact; raises CorruptFile otherwise."""
        verify_chains(self._conn, source=source)

    def pseudonym_rows(self) -> Iterator[tuple]:
        """(entry_id, pseudonym, real_name, category) of the pseudonym map."""
        return iter(self._conn.execute("SELECT entry_id, pseudonym, real_name, category FROM pseudonym_map"))

    def name_guard_digests(self) -> Iterator[tuple]:
        return iter(self._conn.execute("SELECT digest FROM name_guard"))

    def device_ids(self) -> Iterator[object]:
        return (row[0] for row in self._conn.execute("SELECT device_id FROM revision"))
