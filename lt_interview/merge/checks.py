"""Steps 1 to 3 of a merge (RELIABILITY.md §3.2 and §6): each input is

1. size-checked before anything opens it (512 MB; a sparse file counts at its full size);
2. copied through the backup API into an encrypted staging database in a private folder
   (the input is opened read-only and immutable, never written);
3. checked there: quick_check, application id, schema version, file kind and review id, an
   exact allow-list of tables, columns and indexes, row caps, and row-by-row validation
   (each body against its record model, text fields up to 1 MB, digests recomputed, audit
   chains verified, no chronology inside a conversation file).

Everything here works on plain values and its own connections, so it can run in a worker
process (merge/workers.py). Every refusal is an ImportRefused naming the file, in one line.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pydantic import ValidationError

from lt_interview.domain.ids import short_id
from lt_interview.domain.record_kinds import KINDS, REVIEW_ONLY_KINDS
from lt_interview.errors import DiskFull, ImportRefused, LtError, is_disk_full, validation_problem
from lt_interview.merge.plan import Rev
from lt_interview.pause_points import pause_point
from lt_interview.storage import replication
from lt_interview.storage.replication import AUDIT_COLUMNS, StagingCopy, reference_schema
from lt_interview.storage.revisions import Revision, clean_body
from lt_interview.storage.store import CONVERSATION, REVIEW, Store


MAX_IMPORT_BYTES = 512 * 1024**2
MAX_BODY_BYTES = 8 * 1024**2  # one revision body; each text field is held to 1 MB by its model
MAX_PARENTS = 1_000
# A conversation file up to this size hands its checked rows to the union in memory (a few at a
# time are in flight between the checking workers and the merging process).
ROWS_HANDED_OVER_BYTES = 16 * 1024**2
ROW_CAPS = {
    "revision": 2_000_000, "head": 2_000_000, "audit": 4_000_000, "draft": 200_000,
    "import_ledger": 100_000, "meta": 200, "pseudonym_map": 100_000, "name_guard": 1_000_000,
    "_sqlite_migrations": 1_000, "sqlite_stat1": 10_000,
}
REVIEW_ONLY = frozenset(REVIEW_ONLY_KINDS)
CONVERSATION_FILE_SHARED_KINDS = frozenset({"review", "framework", "structure", "reviewer", "practitioner"})
# The review settings record (retention date, legal hold, blind mode...) belongs to the review
# database: a merge into a review never takes another file's revisions of it (RELIABILITY.md
# §3.2, §9). A conversation file carries a copy made when it was packed; a newer copy cannot come
# from normal use, and an older one must never undo the review's own retention date or legal
# hold. (Two copies of one conversation, combined for type-up, share their copies as usual.)
SETTINGS_KIND = "review"

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")

NO_PARENTS: frozenset[str] = frozenset()


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
    # A conversation file's checked revision and audit rows, exactly as the check read and
    # validated them (REVISION_COLUMNS, AUDIT_COLUMNS order): handed to the union, which then
    # does not open and decrypt the staging copy a second time; dropped once added. None for a
    # review or a large input, which the union reads from its staging copy.
    rows: list[tuple] | None = None
    audit_rows: list[tuple] | None = None
    # The input's revisions of the review settings record: checked like every revision, and
    # compared with the review's (a known id with another digest is refused), but never merged.
    settings: list[Rev] | None = None
    settings_not_taken: int = 0  # of those, how many the target does not hold (set by planning)
    cleaned: int = 0  # revisions whose text held control characters, cleaned before merging


def refuse(path: Path, reason: str) -> ImportRefused:
    return ImportRefused(f"{path}: {reason}; nothing was merged")


def _precheck(path: Path, review_path: Path) -> bytes:
    """Checks made with plain reads, before SQLite sees the file. Returns its salt."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise refuse(path, "no such file") from None
    except OSError as exc:
        raise refuse(path, f"cannot be read ({exc.strerror})") from None
    if path.is_symlink():
        raise refuse(path, "is a symbolic link; give the file itself")
    if not path.is_file():
        raise refuse(path, "not a file")
    if info.st_size > MAX_IMPORT_BYTES:
        raise refuse(path, f"too large ({info.st_size // 1024**2} MB; the limit is "
                            f"{MAX_IMPORT_BYTES // 1024**2} MB)")
    try:
        if path.samefile(review_path):
            raise refuse(path, "is the review itself")
    except OSError:
        pass
    for suffix in ("-wal", "-journal"):
        if Path(str(path) + suffix).exists():
            raise refuse(path, "is open in another window, or was not closed properly; "
                                "open and close it in lt-interview, then merge again")
    try:
        return replication.input_salt(path, max_bytes=MAX_IMPORT_BYTES)
    except LtError as exc:
        raise refuse(path, str(exc).split(": ", 1)[-1]) from None


def _classify(path: Path, exc: Exception) -> ImportRefused:
    text = str(exc).lower()
    if "not a database" in text or "encrypted" in text:
        return refuse(path, replication.WRONG_KEY)
    if "malformed" in text or "corrupt" in text or "disk image" in text:
        return refuse(path, "the file is damaged (integrity check failed)")
    if "locked" in text or "busy" in text:
        return refuse(path, "already open in another window")
    return refuse(path, "not a valid lt-interview file (it could not be read)")


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
    except (replication.DatabaseError, OSError) as exc:
        if is_disk_full(exc):  # our staging copy could not be written: nothing wrong with the file
            raise DiskFull(f"{path}: could not be copied for checking: the disk is full; nothing was "
                           "merged; free some space and try again") from None
        if isinstance(exc, OSError):
            raise
        raise _classify(path, exc) from None
    except (ValueError, TypeError, KeyError, UnicodeError, OverflowError, RecursionError):
        raise refuse(path, "not a valid lt-interview file (malformed contents)") from None


def _opened(path: Path, passphrase: str, target: Target) -> tuple[bytes, str, bytes]:
    """Step 1: (salt, sha256, key) of an input that passed the plain-read checks."""
    salt = _precheck(path, target.path)
    return salt, replication.file_sha256(path), replication.input_key(passphrase, salt)


def _copy_into(path: Path, destination: StagingCopy) -> None:
    """Step 2: the input, read only and never in place, copied page by page with the backup API."""
    destination.copy_from(path)


def copy_input(path: Path, passphrase: str, *, target: Target, workdir: Path) -> _Copy:
    """Steps 1 and 2. Raises ImportRefused."""
    path = Path(path)
    salt, sha, key = _opened(path, passphrase, target)
    staging = replication.new_staging_file(workdir)

    def copy() -> None:
        with StagingCopy.open(staging, key, salt) as destination:
            _copy_into(path, destination)
    _guarded(path, copy)
    return _Copy(path, sha, staging, key, salt)


def check_copy(copied: _Copy, target: Target) -> Staged:
    """Step 3 on an intact staging copy. Raises ImportRefused."""
    def check() -> Staged:
        with StagingCopy.open(copied.staging, copied.key, copied.salt) as copy:
            return _check(copied.path, copy, target)

    staged = _guarded(copied.path, check)
    staged.path, staged.sha256, staged.staging = copied.path, copied.sha256, copied.staging
    staged.key, staged.salt = copied.key, copied.salt
    return staged


def stage(path: Path, passphrase: str, *, target: Target, workdir: Path) -> Staged:
    """Copy one input into staging and check it completely. Raises ImportRefused.

    An input of up to ROWS_HANDED_OVER_BYTES is copied into a keyed in-memory database and
    checked there: the same private snapshot as a staging file, without encrypting it to disk
    and decrypting it again for the check (about a quarter of checking a conversation file).
    A larger input goes through a staging file, which the union reads again."""
    path = Path(path)
    pause_point("merge.checking")  # tests: a checking worker at work
    try:
        small = path.lstat().st_size <= ROWS_HANDED_OVER_BYTES
    except OSError:
        small = False  # _precheck says why, in one line
    if not small:
        return check_copy(copy_input(path, passphrase, target=target, workdir=workdir), target)
    salt, sha, key = _opened(path, passphrase, target)

    def check_in_memory() -> Staged:
        with StagingCopy.open(None, key, salt) as memory:
            _copy_into(path, memory)
            staged = _check(path, memory, target)
            if staged.rows is None:  # a review file: the union reads its rows from a staging copy
                staged.staging = replication.new_staging_file(workdir)
                memory.save_to(staged.staging)
            return staged

    staged = _guarded(path, check_in_memory)
    staged.path, staged.sha256, staged.key, staged.salt = path, sha, key, salt
    return staged


def _check(path: Path, conn: StagingCopy, review: Target) -> Staged:
    # First, on the connection every later check reads through: its page cache then holds the
    # file (a conversation is a few MB), which is not decrypted again for each check.
    if not conn.intact():
        raise refuse(path, "the file is damaged (integrity check failed)")
    application_id, version = conn.identity()
    if application_id != replication.APPLICATION_ID:
        raise refuse(path, "an encrypted database, but not an lt-interview file")
    if version > replication.SCHEMA_VERSION:
        raise refuse(path, f"written by a newer lt-interview (schema {version}; this version reads up "
                            f"to {replication.SCHEMA_VERSION}); please upgrade")
    if version < 1:
        raise refuse(path, "an lt-interview file without a schema version")
    _check_schema(path, conn)
    _check_caps(path, conn)
    meta = conn.meta()
    if meta.get("format") != "lt-interview" or meta.get("file_kind") not in (REVIEW, CONVERSATION):
        raise refuse(path, "not an lt-interview file")
    kind = meta["file_kind"]
    if meta.get("review_id") != review.review_id:
        raise refuse(path, "belongs to another review")
    if not isinstance(meta.get("file_id"), str) or not _ID.match(meta["file_id"]):
        raise refuse(path, "not a valid lt-interview file (no file id)")
    conversation_id = meta.get("conversation_id") or ""
    if kind == CONVERSATION and not _ID.match(conversation_id):
        raise refuse(path, "a conversation file that names no conversation")
    if review.file_kind == CONVERSATION:
        if kind != CONVERSATION or conversation_id != review.conversation_id:
            raise refuse(path, "only copies of the same conversation can be merged into a conversation file")
    private = conn.count("pseudonym_map") + conn.count("name_guard")
    if kind == CONVERSATION and conn.count("pseudonym_map"):
        raise refuse(path, "a conversation file holding the pseudonym map, which only a review may hold")
    size = conn.size_bytes()
    rows: list[tuple] | None = [] if kind == CONVERSATION and size <= ROWS_HANDED_OVER_BYTES else None
    audit_rows: list[tuple] | None = None if rows is None else []
    settings: list[Rev] | None = [] if review.file_kind == REVIEW else None
    cleaned: list[tuple[str, str, str]] = []
    keys = _check_revisions(path, conn, kind, conversation_id, rows, settings, cleaned)
    if cleaned:  # the union (and a review input's staging copy) reads the cleaned bodies
        conn.replace_bodies(cleaned)
    settings = settings or []
    _check_audit(path, conn, audit_rows)
    if kind == REVIEW:
        _check_private_tables(path, conn)
    drafts = conn.count("draft")
    device = _main_device(conn)
    return Staged(path=path, sha256="", staging=Path(), key=b"", salt=b"", file_kind=kind,
                  file_id=meta["file_id"], conversation_id=conversation_id,
                  app_version=str(meta.get("app_version", ""))[:40], device=device,
                  seen=len(keys) + len(settings), drafts=drafts, cleaned=len(cleaned),
                  has_private_tables=bool(private) and kind == REVIEW,
                  keys=keys, rows=rows, audit_rows=audit_rows, settings=settings)


def _check_schema(path: Path, conn: StagingCopy) -> None:
    found = conn.schema_rows()
    extra = found - reference_schema()
    if extra:
        kind, name = sorted(extra, key=lambda row: (row[0], str(row[1])))[0][:2]
        what = {"table": "table", "index": "index", "trigger": "trigger", "view": "view"}.get(kind, "object")
        known = {row[1] for row in reference_schema()}
        if name in known:
            raise refuse(path, f"the {what} '{_short(name)}' does not have the expected layout")
        raise refuse(path, f"unexpected {what} '{_short(name)}' (not part of an lt-interview file)")
    for needed in ("meta", "revision", "head", "draft", "audit", "import_ledger", "pseudonym_map", "name_guard"):
        if not any(row[0] == "table" and row[1] == needed for row in found):
            raise refuse(path, f"the table '{needed}' is missing")


def _short(name: object) -> str:
    text = "".join(ch for ch in str(name) if ch.isprintable())
    return text[:40] + ("..." if len(text) > 40 else "")


def _check_caps(path: Path, conn: StagingCopy) -> None:
    over = conn.table_over_cap(ROW_CAPS)
    if over is not None:
        table, cap = over
        raise refuse(path, f"too many rows in '{table}' (more than {cap:,})")
    if conn.has_body_over(MAX_BODY_BYTES):
        raise refuse(path, f"a revision holds more than {MAX_BODY_BYTES // 1024**2} MB of text")


def _check_revisions(path: Path, conn: StagingCopy, file_kind: str, conversation_id: str,
                     rows: list[tuple] | None = None, settings: list[Rev] | None = None,
                     cleaned_rows: list[tuple[str, str, str]] | None = None) -> list[tuple[Rev, str]]:
    """Validate every revision row (streaming). Returns each revision's compact planning keys
    and kind; the rows themselves stay in the staging copy for the union, or, given `rows`,
    are appended to it as they were read (REVISION_COLUMNS order, the order selected here).
    Given `settings`, revisions of the review settings record go there instead (never merged).
    A body holding control characters is cleaned (clean_body) and given a new digest; given
    `cleaned_rows`, (body, digest, revision_id) of each is appended to it."""
    cursor = conn.revision_rows()  # REVISION_COLUMNS, the order they are unpacked below
    keys: list[tuple[Rev, str]] = []
    kinds: dict[str, str] = {}
    known_kinds = KINDS
    max_version = replication.SCHEMA_VERSION
    id_ok, time_ok, hex_ok = _ID.match, _ISO.match, _HEX64.match
    conversation_file = file_kind == CONVERSATION
    for row in cursor:
        (rid, record_id, kind, conv, parents_text, reviewer_id, device_id, created_at, deleted,
         version, body, digest) = row
        if not (type(rid) is str and id_ok(rid) and type(record_id) is str and id_ok(record_id)):
            raise _refuse_revision(path, rid, "{label} has a malformed id")
        model = known_kinds.get(kind) if type(kind) is str else None
        if model is None:
            raise _refuse_revision(path, rid, "{label} has an unknown record kind")
        if conversation_file and (kind in REVIEW_ONLY or not (
                model.conversation_scoped or kind in CONVERSATION_FILE_SHARED_KINDS)):
            # A conversation file holds its own conversation and the case framework, nothing else.
            raise refuse(path, f"a conversation file holding review-only records ({kind})")
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
        cleaned = clean_body(body)
        if cleaned is not None:
            # Control characters or escape sequences put into the file outside the app: the
            # revision enters the review with its text cleaned (RELIABILITY.md §5.2, "importers
            # run the same sanitiser"), never raw, and a new digest. Cleaning is deterministic,
            # so every copy of this revision is cleaned alike and they still agree.
            body = cleaned
            digest = Revision.compute_digest({
                "revision_id": rid, "record_id": record_id, "kind": kind, "conversation_id": conv,
                "parents": parents, "reviewer_id": reviewer_id, "device_id": device_id,
                "created_at": created_at, "deleted": deleted, "schema_version": version, "body": body})
            row = (*row[:10], body, digest)
            if cleaned_rows is not None:
                cleaned_rows.append((body, digest, rid))
        kind = sys.intern(kind)  # one string per kind, however many revisions
        if kinds.setdefault(record_id, kind) != kind:
            raise refuse(path, f"record {short_id(record_id)} appears as two different kinds")
        rev = Rev(rid, record_id, frozenset(parents) if parents else NO_PARENTS, bytes.fromhex(digest),
                  bool(deleted))
        if settings is not None and kind == SETTINGS_KIND:
            settings.append(rev)
            continue
        keys.append((rev, kind))
        if rows is not None:
            rows.append(row)
    return keys


def _refuse_revision(path: Path, revision_id: object, reason: str) -> ImportRefused:
    """`reason` with "{label}" naming the revision (replaced, never formatted: the rest of the
    reason may quote the file's own text)."""
    label = f"revision {short_id(revision_id)}" if isinstance(revision_id, str) else "a revision"
    return refuse(path, reason.replace("{label}", label, 1))


def _check_audit(path: Path, conn: StagingCopy, rows: list[tuple] | None = None) -> None:
    for values in conn.audit_rows():
        if rows is not None:
            rows.append(values)
        row = dict(zip(AUDIT_COLUMNS, values))
        if not isinstance(row["seq"], int) or not all(
                isinstance(row[name], str) for name in AUDIT_COLUMNS if name not in ("seq",)):
            raise refuse(path, "the audit trail is malformed")
        if len(row["detail"]) > 10_000 or not _HEX64.match(row["hash"]):
            raise refuse(path, "the audit trail is malformed")
    try:
        conn.verify_audit(source=str(path))
    except LtError:
        raise refuse(path, "its audit trail has been altered") from None


def _check_private_tables(path: Path, conn: StagingCopy) -> None:
    for values in conn.pseudonym_rows():
        if not (isinstance(values[0], str) and _ID.match(values[0])) or not all(
                isinstance(v, str) and len(v) <= 2_000 for v in values[1:]):
            raise refuse(path, "the pseudonym map is malformed")
    for (digest,) in conn.name_guard_digests():
        if not (isinstance(digest, str) and len(digest) <= 128):
            raise refuse(path, "the name guard is malformed")


def _main_device(conn: StagingCopy) -> str:
    counts = Counter(device for device in conn.device_ids() if isinstance(device, str))
    return counts.most_common(1)[0][0][:64] if counts else ""
