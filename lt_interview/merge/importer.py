"""Bring conversation files (and other copies of the review) into a review database.

Following RELIABILITY.md §3.2 and §6, each input is:

1. size-checked before anything opens it (512 MB; a sparse file counts at its full size);
2. copied through the backup API into an encrypted staging database in a private folder
   (the input is opened read-only and immutable, never written);
3. checked there: quick_check, application id, schema version, file kind and review id, an
   exact allow-list of tables, columns and indexes, row caps, and row-by-row validation
   (each body against its record model, text fields up to 1 MB, digests recomputed, audit
   chains verified, no chronology inside a conversation file);
4. planned with the pure planner (merge/plan.py), which refuses a known revision id with
   another digest;
5. unioned with every other input in ONE `BEGIN IMMEDIATE` transaction: all inputs or none.

A refused merge leaves the review file byte-for-byte unchanged, so a refusal is reported on
stderr (one line naming the file and the reason) rather than written to the ledger.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence
from urllib.parse import quote

from pydantic import ValidationError

from lt_interview.domain.ids import iso, new_id
from lt_interview.domain.models import REVIEW_ONLY_KINDS, all_kinds
from lt_interview.errors import ImportRefused, LtError, validation_problem
from lt_interview.merge.plan import DigestMismatch, InputPlan, Plan, Planner, Rev
from lt_interview.storage import _sqlite
from lt_interview.storage import connection as connection_module
from lt_interview.storage.audit import verify_chains
from lt_interview.storage.keys import derive_key, key_pragma
from lt_interview.storage.revisions import Revision
from lt_interview.storage.schema import AUDIT_COLUMNS, REVISION_COLUMNS
from lt_interview.storage.schema import apply as apply_migrations
from lt_interview.storage.store import CONVERSATION, REVIEW, Store

from sqlite_utils import Database

# Registers the review-only record kinds of the chronology (ChronologyUnlock).
from lt_interview.operations import chronology as _chronology  # noqa: E402

MAX_IMPORT_BYTES = 512 * 1024**2
MAX_BODY_BYTES = 8 * 1024**2  # one revision body; each text field is held to 1 MB by its model
MAX_PARENTS = 1_000
ROW_CAPS = {
    "revision": 2_000_000, "head": 2_000_000, "audit": 4_000_000, "draft": 200_000,
    "import_ledger": 100_000, "meta": 200, "pseudonym_map": 100_000, "name_guard": 1_000_000,
    "_sqlite_migrations": 1_000, "sqlite_stat1": 10_000,
}
# SQLite's own statistics table (PRAGMA optimize), harmless data; everything else must be ours.
EXTRA_ALLOWED = frozenset({("table", "sqlite_stat1", "sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)")})
REVIEW_ONLY = frozenset(REVIEW_ONLY_KINDS) | {_chronology.UNLOCK_KIND}
CONVERSATION_FILE_SHARED_KINDS = frozenset({"review", "framework", "structure", "reviewer", "practitioner"})

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


# --- results -----------------------------------------------------------------------------


@dataclass
class InputReport:
    path: Path
    result: str  # added | duplicate
    seen: int
    added: int
    duplicate: int
    conflicts: int
    drafts: int  # unsealed drafts in the input, not merged

    def line(self) -> str:
        text = f"{self.path.name}: "
        if self.result == "added":
            text += f"added {self.added}"
            if self.duplicate:
                text += f", {self.duplicate} already present"
        else:
            text += "duplicate (nothing new)"
        text += f", conflicts {self.conflicts}"
        if self.drafts:
            text += f"; {self.drafts} unsaved draft{'s' if self.drafts != 1 else ''} not merged (sealed versions only)"
        return text


@dataclass
class MergeReport:
    inputs: list[InputReport]
    conflicts: int  # records in conflict in the review after the merge
    dry_run: bool
    backup: Path | None = None

    @property
    def added(self) -> int:
        return sum(item.added for item in self.inputs)

    def final_line(self) -> str:
        verb = "would add" if self.dry_run else "added"
        files = len(self.inputs)
        text = (f"{'Dry run: ' if self.dry_run else 'Merged '}{files} file{'s' if files != 1 else ''}; "
                f"{verb} {self.added} revision{'s' if self.added != 1 else ''}; "
                f"{self.conflicts} record{'s' if self.conflicts != 1 else ''} in conflict")
        if self.conflicts:
            text += " (see lt-interview merge REVIEW.ltr --conflicts)"
        return text


# --- the allow-list ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def reference_schema() -> frozenset[tuple]:
    """sqlite_schema of a database built by our own migrations: the exact allow-list."""
    conn = _sqlite.dbapi2.connect(":memory:", isolation_level=None)
    try:
        apply_migrations(Database(conn))
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    finally:
        conn.close()
    return frozenset(tuple(row) for row in rows) | EXTRA_ALLOWED


# --- staging -----------------------------------------------------------------------------


@dataclass
class Staged:
    path: Path
    sha256: str
    staging: Path
    key: bytes
    salt: bytes
    file_kind: str
    file_id: str
    conversation_id: str
    app_version: str
    device: str
    seen: int  # revisions in the input; the revisions themselves stay in the staging copy
    drafts: int
    has_private_tables: bool = False  # pseudonym map / name guard rows (review inputs only)
    # What planning needs of each revision (compact keys and kind), read by the check and
    # dropped as soon as this input is planned.
    keys: list[tuple[Rev, str]] | None = None


def _refuse(path: Path, reason: str) -> ImportRefused:
    return ImportRefused(f"{path}: {reason}; nothing was merged")


def _raw_connect(path: Path, key: bytes, salt: bytes, *, read_only: bool):
    if read_only:
        target, uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", True
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


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _precheck(path: Path, review_path: Path) -> bytes:
    """Checks made with plain reads, before SQLite sees the file. Returns its salt."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise _refuse(path, "no such file") from None
    except OSError as exc:
        raise _refuse(path, f"cannot be read ({exc.strerror})") from None
    if path.is_symlink():
        raise _refuse(path, "is a symbolic link; give the file itself")
    if not path.is_file():
        raise _refuse(path, "not a file")
    if info.st_size > MAX_IMPORT_BYTES:
        raise _refuse(path, f"too large ({info.st_size // 1024**2} MB; the limit is "
                            f"{MAX_IMPORT_BYTES // 1024**2} MB)")
    try:
        if path.samefile(review_path):
            raise _refuse(path, "is the review itself")
    except OSError:
        pass
    for suffix in ("-wal", "-journal"):
        if Path(str(path) + suffix).exists():
            raise _refuse(path, "is open in another window, or was not closed properly; "
                                "open and close it in lt-interview, then merge again")
    try:
        return connection_module.read_salt(path, max_bytes=MAX_IMPORT_BYTES)
    except LtError as exc:
        raise _refuse(path, str(exc).split(": ", 1)[-1]) from None


def _classify(path: Path, exc: Exception) -> ImportRefused:
    text = str(exc).lower()
    if "not a database" in text or "encrypted" in text:
        return _refuse(path, connection_module.WRONG_KEY)
    if "malformed" in text or "corrupt" in text or "disk image" in text:
        return _refuse(path, "the file is damaged (integrity check failed)")
    if "locked" in text or "busy" in text:
        return _refuse(path, "already open in another window")
    return _refuse(path, "not a valid lt-interview file (it could not be read)")


@dataclass(frozen=True)
class Target:
    """What checking an input needs to know of the review it is for: plain values, so a
    worker process can check inputs without touching the review's connection."""

    path: Path
    review_id: str
    file_kind: str
    conversation_id: str

    @classmethod
    def of(cls, review: Store) -> "Target":
        return cls(review.path, review.review_id, review.file_kind, review.meta("conversation_id") or "")


@dataclass
class _Copy:
    """An input copied into staging and found intact, not yet checked."""

    path: Path
    sha256: str
    staging: Path
    key: bytes
    salt: bytes


def _guarded(path: Path, step: Callable[[], object]):
    """Run one staging step, turning whatever the file provokes into a one-line refusal."""
    try:
        return step()
    except LtError:
        raise
    except _sqlite.DatabaseError as exc:
        raise _classify(path, exc) from None
    except (ValueError, TypeError, KeyError, UnicodeError, OverflowError, RecursionError):
        raise _refuse(path, "not a valid lt-interview file (malformed contents)") from None


def copy_input(path: Path, passphrase: str, *, target: Target, workdir: Path) -> _Copy:
    """Steps 1 and 2. Raises ImportRefused."""
    path = Path(path)
    salt = _precheck(path, target.path)
    sha = _file_sha256(path)
    key = derive_key(passphrase, salt)
    staging = workdir / f"{new_id()}.db"
    connection_module.create_private_file(staging)

    def copy() -> None:
        source = _raw_connect(path, key, salt, read_only=True)
        try:
            destination = _raw_connect(staging, key, salt, read_only=False)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    _guarded(path, copy)
    return _Copy(path, sha, staging, key, salt)


def check_copy(copied: _Copy, target: Target) -> Staged:
    """Step 3 on an intact staging copy. Raises ImportRefused."""
    def check() -> Staged:
        conn = _raw_connect(copied.staging, copied.key, copied.salt, read_only=False)
        try:
            return _check(copied.path, conn, target)
        finally:
            conn.close()

    staged = _guarded(copied.path, check)
    staged.path, staged.sha256, staged.staging = copied.path, copied.sha256, copied.staging
    staged.key, staged.salt = copied.key, copied.salt
    return staged


def stage(path: Path, passphrase: str, *, target: Target, workdir: Path) -> Staged:
    """Copy one input into staging and check it completely. Raises ImportRefused."""
    return check_copy(copy_input(path, passphrase, target=target, workdir=workdir), target)


def _check(path: Path, conn, review: Target) -> Staged:
    # First, on the connection every later check reads through: its page cache then holds the
    # file (a conversation is a few MB), which is not decrypted again for each check.
    if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        raise _refuse(path, "the file is damaged (integrity check failed)")
    if conn.execute("PRAGMA application_id").fetchone()[0] != connection_module.APPLICATION_ID:
        raise _refuse(path, "an encrypted database, but not an lt-interview file")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > connection_module.SCHEMA_VERSION:
        raise _refuse(path, f"written by a newer lt-interview (schema {version}; this version reads up "
                            f"to {connection_module.SCHEMA_VERSION}); please upgrade")
    if version < 1:
        raise _refuse(path, "an lt-interview file without a schema version")
    _check_schema(path, conn)
    _check_caps(path, conn)
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("format") != "lt-interview" or meta.get("file_kind") not in (REVIEW, CONVERSATION):
        raise _refuse(path, "not an lt-interview file")
    kind = meta["file_kind"]
    if meta.get("review_id") != review.review_id:
        raise _refuse(path, "belongs to another review")
    if not isinstance(meta.get("file_id"), str) or not _ID.match(meta["file_id"]):
        raise _refuse(path, "not a valid lt-interview file (no file id)")
    conversation_id = meta.get("conversation_id") or ""
    if kind == CONVERSATION and not _ID.match(conversation_id):
        raise _refuse(path, "a conversation file that names no conversation")
    if review.file_kind == CONVERSATION:
        if kind != CONVERSATION or conversation_id != review.conversation_id:
            raise _refuse(path, "only copies of the same conversation can be merged into a conversation file")
    private = conn.execute("SELECT (SELECT count(*) FROM pseudonym_map) + (SELECT count(*) FROM name_guard)").fetchone()[0]
    if kind == CONVERSATION and conn.execute("SELECT count(*) FROM pseudonym_map").fetchone()[0]:
        raise _refuse(path, "a conversation file holding the pseudonym map, which only a review may hold")
    keys = _check_revisions(path, conn, kind, conversation_id)
    _check_audit(path, conn)
    if kind == REVIEW:
        _check_private_tables(path, conn)
    drafts = conn.execute("SELECT count(*) FROM draft").fetchone()[0]
    device = _main_device(conn)
    return Staged(path=path, sha256="", staging=Path(), key=b"", salt=b"", file_kind=kind,
                  file_id=meta["file_id"], conversation_id=conversation_id,
                  app_version=str(meta.get("app_version", ""))[:40], device=device,
                  seen=len(keys), drafts=drafts, has_private_tables=bool(private) and kind == REVIEW,
                  keys=keys)


def _check_schema(path: Path, conn) -> None:
    found = {tuple(row) for row in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema")}
    extra = found - reference_schema()
    if extra:
        kind, name = sorted(extra, key=lambda row: (row[0], str(row[1])))[0][:2]
        what = {"table": "table", "index": "index", "trigger": "trigger", "view": "view"}.get(kind, "object")
        known = {row[1] for row in reference_schema()}
        if name in known:
            raise _refuse(path, f"the {what} '{_short(name)}' does not have the expected layout")
        raise _refuse(path, f"unexpected {what} '{_short(name)}' (not part of an lt-interview file)")
    for needed in ("meta", "revision", "head", "draft", "audit", "import_ledger", "pseudonym_map", "name_guard"):
        if not any(row[0] == "table" and row[1] == needed for row in found):
            raise _refuse(path, f"the table '{needed}' is missing")


def _short(name: object) -> str:
    text = "".join(ch for ch in str(name) if ch.isprintable())
    return text[:40] + ("..." if len(text) > 40 else "")


def _check_caps(path: Path, conn) -> None:
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    for table in tables:
        cap = ROW_CAPS.get(table, 0)
        count = conn.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT {cap + 1})').fetchone()[0]
        if count > cap:
            raise _refuse(path, f"too many rows in '{table}' (more than {cap:,})")
    big = conn.execute(
        "SELECT revision_id FROM revision WHERE length(CAST(body AS BLOB)) > ? LIMIT 1", (MAX_BODY_BYTES,)
    ).fetchone()
    if big:
        raise _refuse(path, f"a revision holds more than {MAX_BODY_BYTES // 1024**2} MB of text")


def _check_revisions(path: Path, conn, file_kind: str, conversation_id: str) -> list[tuple[Rev, str]]:
    """Validate every revision row (streaming). Returns each revision's compact planning keys
    and kind; the rows themselves stay in the staging copy for the union."""
    cursor = conn.execute(  # the columns in the order they are unpacked below
        "SELECT revision_id, record_id, kind, conversation_id, parents, reviewer_id, device_id, created_at, "
        "deleted, schema_version, body, digest FROM revision")
    keys: list[tuple[Rev, str]] = []
    kinds: dict[str, str] = {}
    known_kinds = all_kinds()
    max_version = connection_module.SCHEMA_VERSION
    id_ok, time_ok, hex_ok = _ID.match, _ISO.match, _HEX64.match
    conversation_file = file_kind == CONVERSATION
    for (rid, record_id, kind, conv, parents_text, reviewer_id, device_id, created_at, deleted,
         version, body, digest) in cursor:
        if not (type(rid) is str and id_ok(rid) and type(record_id) is str and id_ok(record_id)):
            raise _refuse_revision(path, rid, "{label} has a malformed id")
        model = known_kinds.get(kind) if type(kind) is str else None
        if model is None:
            raise _refuse_revision(path, rid, "{label} has an unknown record kind")
        if conversation_file and (kind in REVIEW_ONLY or not (
                model.conversation_scoped or kind in CONVERSATION_FILE_SHARED_KINDS)):
            # A conversation file holds its own conversation and the case framework, nothing else.
            raise _refuse(path, f"a conversation file holding review-only records ({kind})")
        if conv is not None and not (type(conv) is str and id_ok(conv)):
            raise _refuse_revision(path, rid, "{label} names a malformed conversation id")
        if conversation_file and model.conversation_scoped and conv != conversation_id:
            raise _refuse_revision(path, rid, "{label} belongs to another conversation")
        for name, value in (("reviewer id", reviewer_id), ("device id", device_id)):
            if value is not None and not (type(value) is str and len(value) <= 200):
                raise _refuse_revision(path, rid, "{label} has a malformed " + name)
        if not (type(created_at) is str and time_ok(created_at)):
            raise _refuse_revision(path, rid, "{label} has a malformed time")
        if type(deleted) is not int or deleted not in (0, 1):
            raise _refuse_revision(path, rid, "{label} has a malformed deleted flag")
        if type(version) is not int or not 1 <= version <= max_version:
            raise _refuse_revision(path, rid, "{label} was written by a newer lt-interview; please upgrade")
        if type(body) is not str or type(digest) is not str or not hex_ok(digest):
            raise _refuse_revision(path, rid, "{label} is malformed")
        if type(parents_text) is not str:
            raise _refuse_revision(path, rid, "{label} has malformed parents")
        parents = json.loads(parents_text)
        if (type(parents) is not list or len(parents) > MAX_PARENTS
                or not all(type(p) is str and id_ok(p) for p in parents)):
            raise _refuse_revision(path, rid, "{label} has malformed parents")
        try:
            model.model_validate_json(body)
        except ValidationError as exc:
            where, problem = validation_problem(exc, "body")
            raise _refuse_revision(path, rid, "{label} (" + kind + f") does not validate: "
                                              f"field '{_short(where)}': {problem}") from None
        # The same canonical encoding as Revision.digest_ok.
        if Revision.compute_digest({
                "revision_id": rid, "record_id": record_id, "kind": kind, "conversation_id": conv,
                "parents": parents, "reviewer_id": reviewer_id, "device_id": device_id,
                "created_at": created_at, "deleted": deleted, "schema_version": version,
                "body": body}) != digest:
            raise _refuse_revision(path, rid, "{label} does not match its digest (the file has been altered)")
        kind = sys.intern(kind)  # one string per kind, however many revisions
        if kinds.setdefault(record_id, kind) != kind:
            raise _refuse(path, f"record {record_id[:8]} appears as two different kinds")
        keys.append((Rev(rid, record_id, frozenset(parents) if parents else _EMPTY, bytes.fromhex(digest),
                         bool(deleted)), kind))
    return keys


def _refuse_revision(path: Path, revision_id: object, reason: str) -> ImportRefused:
    """`reason` with "{label}" naming the revision (replaced, never formatted: the rest of the
    reason may quote the file's own text)."""
    label = f"revision {revision_id[:8]}" if isinstance(revision_id, str) else "a revision"
    return _refuse(path, reason.replace("{label}", label, 1))


def _check_audit(path: Path, conn) -> None:
    for values in conn.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit"):
        row = dict(zip(AUDIT_COLUMNS, values))
        if not isinstance(row["seq"], int) or not all(
                isinstance(row[name], str) for name in AUDIT_COLUMNS if name not in ("seq",)):
            raise _refuse(path, "the audit trail is malformed")
        if len(row["detail"]) > 10_000 or not _HEX64.match(row["hash"]):
            raise _refuse(path, "the audit trail is malformed")
    try:
        verify_chains(conn, source=str(path))
    except LtError:
        raise _refuse(path, "its audit trail has been altered") from None


def _check_private_tables(path: Path, conn) -> None:
    for values in conn.execute("SELECT entry_id, pseudonym, real_name, category FROM pseudonym_map"):
        if not (isinstance(values[0], str) and _ID.match(values[0])) or not all(
                isinstance(v, str) and len(v) <= 2_000 for v in values[1:]):
            raise _refuse(path, "the pseudonym map is malformed")
    for (digest,) in conn.execute("SELECT digest FROM name_guard"):
        if not (isinstance(digest, str) and len(digest) <= 128):
            raise _refuse(path, "the name guard is malformed")


def _main_device(conn) -> str:
    counts = Counter(row[0] for row in conn.execute("SELECT device_id FROM revision") if isinstance(row[0], str))
    return counts.most_common(1)[0][0][:64] if counts else ""


# --- planning against the review --------------------------------------------------------
#
# Each input is planned as soon as it has been checked, from the compact keys its check read
# (ids, record ids, parents, digests), which are then dropped: the planner keeps one digest per
# revision id and one entry per record, and nothing of an input is held until the union, which
# reads the checked staging copy.

_EMPTY: frozenset[str] = frozenset()

_MEETING_SQL = (
    "SELECT revision_id, record_id, parents, digest, deleted, kind FROM main.revision "
    "WHERE revision_id IN (SELECT value FROM json_each(?1)) "
    "UNION SELECT revision_id, record_id, parents, digest, deleted, kind FROM main.revision "
    "WHERE record_id IN (SELECT value FROM json_each(?2))")


def _compact(values) -> Rev:
    """A Rev with the digest as 32 bytes and no empty-set allocation."""
    revision_id, record_id, parents, digest, deleted = values
    parent_ids = json.loads(parents)
    return Rev(revision_id, record_id, frozenset(parent_ids) if parent_ids else _EMPTY,
               bytes.fromhex(digest), bool(deleted))


class _Planning:
    """Plans the inputs one by one against the review (merge/plan.py).

    Refusals are held until every input has been checked, and then come in the same order as
    planning everything at once: a record of two kinds anywhere first, then the first input
    carrying a known revision id with another digest."""

    def __init__(self, review: Store) -> None:
        self.conn = review.conn
        self.planner = Planner({})
        self.kinds: dict[str, str] = {}
        self.kind_clash: ImportRefused | None = None
        self.mismatch: ImportRefused | None = None

    def add(self, item: Staged) -> InputPlan | None:
        """Plan one checked input; its plan, or None once a refusal is held."""
        keys, item.keys = item.keys or [], None
        revision_ids = json.dumps([rev.revision_id for rev, _kind in keys])
        record_ids = json.dumps(sorted({rev.record_id for rev, _kind in keys}))
        # The review's revisions this input could meet: the same ids, or the same records.
        meeting = []
        for *values, kind in self.conn.execute(_MEETING_SQL, (revision_ids, record_ids)):
            meeting.append(_compact(values))
            self.kinds.setdefault(values[1], sys.intern(kind))
        for rev, kind in keys:
            if self.kinds.setdefault(rev.record_id, kind) != kind and self.kind_clash is None:
                self.kind_clash = _refuse(item.path, f"record {rev.record_id[:8]} is a "
                                                     f"{self.kinds[rev.record_id]} in the review but a {kind} here")
        if self.mismatch is not None:
            return None
        try:
            self.planner.know(meeting)
            item_plan = self.planner.add_input(str(item.path), [rev for rev, _kind in keys], keep_touched=False)
        except DigestMismatch as exc:
            self.mismatch = _refuse(item.path, f"revision {exc.revision_id[:8]} is already known with "
                                               "different content (the file has been altered)")
            return None
        return item_plan if self.kind_clash is None else None

    def finish(self) -> Plan:
        if self.kind_clash is not None:
            raise self.kind_clash
        if self.mismatch is not None:
            raise self.mismatch
        self.kinds.clear()
        return self.planner.finish()


# --- the union --------------------------------------------------------------------------

MERGE_CACHE_KIB = 64 * 1024  # the review's page cache while merging (SQLite's default is 2 MB)


def _release_memory(inputs: int) -> None:
    """Hand the planner's freed memory back to the system before the union (glibc keeps freed
    heap otherwise, and the peak would be the planner's plus the union's). A full collection
    is only worth its time after a large merge."""
    if inputs >= 100:
        gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _Union:
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

    The revisions go straight from the staging copy into the review, read once: planning has
    already refused any known revision id arriving with another digest, so a revision already
    present is the same revision and is skipped."""
    conn = review.conn
    columns = ", ".join(REVISION_COLUMNS)
    audit_columns = ", ".join(AUDIT_COLUMNS)
    insert = f"INSERT OR IGNORE INTO main.revision ({columns}) VALUES ({', '.join('?' for _ in REVISION_COLUMNS)})"
    record_at = REVISION_COLUMNS.index("record_id")
    conn.execute("DELETE FROM temp.merge_audit")
    added = 0
    source = _raw_connect(item.staging, item.key, item.salt, read_only=False)
    try:
        cursor = source.execute(f"SELECT {columns} FROM revision")
        while batch := cursor.fetchmany(UNION_BATCH):
            before = conn.total_changes
            conn.executemany(insert, batch)
            added += conn.total_changes - before
            _refresh_heads(conn, json.dumps(list({row[record_at] for row in batch})))
        marks = ", ".join("?" for _ in AUDIT_COLUMNS)
        conn.executemany(f"INSERT INTO temp.merge_audit VALUES ({marks})",
                         source.execute(f"SELECT {audit_columns} FROM audit"))
        if item.file_kind == REVIEW:
            _union_private(review, item, source)
    finally:
        source.close()
    bad = conn.execute(
        "SELECT 1 FROM temp.merge_audit i CROSS JOIN main.audit a ON a.audit_id = i.audit_id "
        "WHERE a.hash <> i.hash LIMIT 1").fetchone()
    if bad:
        raise _refuse(item.path, "its audit trail disagrees with one already merged (altered)")
    fork = conn.execute(
        "SELECT 1 FROM temp.merge_audit i CROSS JOIN main.audit a ON a.chain_id = i.chain_id AND a.seq = i.seq "
        "WHERE a.audit_id <> i.audit_id LIMIT 1").fetchone()
    if fork:
        raise _refuse(item.path, "its audit trail has forked from a copy already merged (the same file "
                                 "was used on two devices); merge each device's own file")
    conn.execute(f"INSERT INTO main.audit ({audit_columns}) SELECT {audit_columns} FROM temp.merge_audit i "
                 "WHERE NOT EXISTS (SELECT 1 FROM main.audit a WHERE a.audit_id = i.audit_id)")
    return added


def _union_private(review: Store, item: Staged, source) -> None:
    """Another copy of the same review: its pseudonym map entries and name guards too."""
    conn = review.conn
    for entry in source.execute("SELECT entry_id, pseudonym, real_name, category FROM pseudonym_map"):
        known = conn.execute("SELECT pseudonym, real_name, category FROM pseudonym_map WHERE entry_id = ?",
                             (entry[0],)).fetchone()
        if known is None:
            conn.execute("INSERT INTO pseudonym_map VALUES (?, ?, ?, ?)", entry)
        elif tuple(known) != tuple(entry[1:]):
            raise _refuse(item.path, f"pseudonym entry {entry[0][:8]} differs from the review's")
    conn.executemany("INSERT OR IGNORE INTO name_guard (digest) VALUES (?)",
                     source.execute("SELECT digest FROM name_guard"))


# --- backup ------------------------------------------------------------------------------


def backup_path(review_path: Path) -> Path:
    return review_path.with_name(review_path.name + ".before-merge")


def _backup_before(review: Store, passphrase: str) -> Path:
    """A copy of the review as it is before the merge, under a temporary name (0600); it
    replaces the previous backup only once the merge has committed (`_keep_backup`), so a
    refused merge leaves the backup of the last merge in place."""
    temporary = backup_path(review.path).with_name(backup_path(review.path).name + ".tmp")
    for leftover in (temporary, Path(str(temporary) + "-wal")):
        leftover.unlink(missing_ok=True)
    review.backup_to(temporary, passphrase)
    os.chmod(temporary, 0o600)
    return temporary


def _keep_backup(temporary: Path, review: Store) -> Path:
    final = backup_path(review.path)
    os.replace(temporary, final)
    return final


# --- the entry point ---------------------------------------------------------------------


def merge_files(review_store_or_path: Store | Path | str, inputs: Iterable[Path | str], passphrase: str, *,
                dry_run: bool = False, progress: Progress | None = None) -> MergeReport:
    """Merge `inputs` into the review: all of them or none. Raises ImportRefused (one line)."""
    progress = progress or _no_progress
    owned = not isinstance(review_store_or_path, Store)
    review = (Store.open(Path(review_store_or_path), passphrase, expect_kind=REVIEW)
              if owned else review_store_or_path)
    try:
        return _merge(review, [Path(p) for p in inputs], passphrase, dry_run=dry_run, progress=progress)
    finally:
        if owned:
            review.close()


def _merge(review: Store, inputs: list[Path], passphrase: str, *, dry_run: bool, progress: Progress) -> MergeReport:
    if not inputs:
        raise ImportRefused("no files to merge")
    if review.conn.in_transaction:
        raise ImportRefused(f"{review.path}: busy saving; try again")
    workdir = Path(tempfile.mkdtemp(prefix="lt-merge-"))
    os.chmod(workdir, 0o700)
    union = None if dry_run else _Union(review)
    backup: Path | None = None
    try:
        if union is not None:
            backup = _backup_before(review, passphrase)
            union.begin()
        planning = _Planning(review)
        staged: list[Staged] = []
        held: ImportRefused | None = None  # a refusal met while adding, raised after every check
        checked = _checked_inputs(inputs, passphrase, Target.of(review), workdir)
        try:
            for number in range(len(inputs)):
                progress("checking", number, len(inputs))
                item = next(checked)
                item_plan = planning.add(item)
                staged.append(item)
                if union is not None and item_plan is not None and held is None:
                    try:
                        union.add(item, item_plan)
                    except ImportRefused as exc:
                        held = exc
        finally:
            checked.close()
        progress("checking", len(inputs), len(inputs))
        the_plan = planning.finish()
        if held is not None:
            raise held
        del planning
        reports = [
            InputReport(path=item.path, result=p.result, seen=p.seen, added=p.added, duplicate=p.duplicate,
                        conflicts=p.conflicts, drafts=item.drafts)
            for item, p in zip(staged, the_plan.inputs)
        ]
        report = MergeReport(inputs=reports, conflicts=len(the_plan.conflict_records), dry_run=dry_run)
        if union is None:
            return report
        _release_memory(len(staged))
        progress("merging", 0, 1)
        union.commit(the_plan, len(staged))
        progress("merging", 1, 1)
        report.backup = _keep_backup(backup, review)
        backup = None
        report.conflicts = len(review.conflicts())
        return report
    finally:
        if union is not None:
            union.close()
        if backup is not None:
            backup.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


# --- checking in worker processes --------------------------------------------------------

# Below this much input, checking in this process is quicker than starting worker processes.
WORKERS_FROM_BYTES = 4 * 1024**2
MAX_WORKERS = 2
LOOK_AHEAD = 2  # inputs checked ahead per worker: enough to keep workers busy, not to pile up


def _worker_count(inputs: Sequence[Path]) -> int:
    """Worker processes for checking: only on a multi-core machine, for enough input, and only
    where forking is safe (no other thread that could hold a lock the child would inherit)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    if (len(inputs) < 2 or cpus < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 0
    total = 0
    for path in inputs:
        try:
            total += path.lstat().st_size
        except OSError:
            pass
    return min(MAX_WORKERS, cpus, len(inputs)) if total >= WORKERS_FROM_BYTES else 0


def _checked_inputs(inputs: Sequence[Path], passphrase: str, target: Target, workdir: Path) -> Iterator[Staged]:
    """Each input copied into staging and checked, in input order (so refusals come in input
    order). Large merges are checked in forked worker processes, a few inputs ahead of the
    caller, which meanwhile plans and adds the inputs already checked."""
    workers = _worker_count(inputs)
    if not workers:
        for path in inputs:
            yield stage(path, passphrase, target=target, workdir=workdir)
        return
    job = partial(stage, passphrase=passphrase, target=target, workdir=workdir)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        pending: deque = deque()
        waiting = iter(inputs)
        for path in itertools.islice(waiting, workers * LOOK_AHEAD):
            pending.append((path, pool.submit(job, path)))
        while pending:
            path, future = pending.popleft()
            try:
                item = future.result()
            except BrokenProcessPool:
                raise _refuse(path, "checking stopped unexpectedly (the computer may be short of memory)") from None
            for following in itertools.islice(waiting, 1):
                pending.append((following, pool.submit(job, following)))
            yield item
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def conflict_lines(store: Store) -> list[str]:
    """One line per record in conflict: id, kind, how many versions, from which devices."""
    lines = []
    for record_id in store.conflicts():
        heads = store.heads(record_id)
        kinds = {rev.kind for rev in heads}
        deleted = sum(1 for rev in heads if rev.deleted)
        when = ", ".join(rev.created_at[:16].replace("T", " ") for rev in heads)
        text = (f"{record_id[:8]}  {'/'.join(sorted(kinds))}  {len(heads)} versions"
                f"{f' ({deleted} removing it)' if deleted else ''}  saved {when}")
        lines.append(text)
    return lines
