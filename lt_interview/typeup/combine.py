"""Bring the lead's and the notetaker's copies of one conversation together.

The same rules as the review merge (RELIABILITY.md §3.2): a set union of immutable revisions
keyed by revision id. Same id and same digest: skipped; same id and another digest: the whole
copy is refused. Nothing is lost, both authors' revisions are kept, duplicates are not doubled,
and combining again adds nothing. Competing heads are left as a conflict for a reviewer.

The other copy is never read in place: it is copied with SQLite's backup API into an encrypted
staging file in a private temporary folder, checked there, and unioned in one transaction.

`combine_copies` goes through lt_interview/merge/importer.py (the review merge's importer,
which accepts copies of the same conversation into a conversation file). `combine_copy` is the
standalone union written before the importer existed; it is kept only as the fallback.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from lt_interview import __version__
from lt_interview.domain.ids import iso, new_id
from lt_interview.domain.models import KINDS
from lt_interview.errors import ImportRefused, LtError
from lt_interview.storage import _sqlite
from lt_interview.storage import connection as connection_module
from lt_interview.storage.revisions import Revision
from lt_interview.storage.schema import REVISION_COLUMNS
from lt_interview.storage.store import CONVERSATION, Store

MAX_COPY_BYTES = 512 * 1024**2
MAX_REVISIONS = 500_000
# Review-level kinds a conversation file carries without a conversation id (see operations/pack.py).
UNSCOPED_KINDS = {"review", "framework", "structure", "reviewer", "practitioner"}
ALLOWED_TABLES = {"meta", "revision", "head", "draft", "audit", "import_ledger", "pseudonym_map",
                  "name_guard", "_lt_interview_migrations", "_sqlite_migrations", "sqlite_sequence"}


@dataclass(frozen=True)
class CombineResult:
    source: Path
    seen: int
    added: int
    already_held: int
    conflicts: int  # records with competing heads after combining (in the whole file)

    def describe(self) -> str:
        parts = [f"{self.source.name}: {self.added} new revision{'s' if self.added != 1 else ''} added",
                 f"{self.already_held} already held"]
        if self.conflicts:
            parts.append(f"{self.conflicts} record{'s' if self.conflicts != 1 else ''} with competing versions to settle")
        return ", ".join(parts)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stage(source: Path, passphrase: str, workdir: Path) -> "_sqlite.dbapi2.Connection":
    """Copy `source` into an encrypted staging file through the backup API; return its connection."""
    salt = connection_module.read_salt(source, max_bytes=MAX_COPY_BYTES)
    source_conn = connection_module.connect(source, passphrase, max_bytes=MAX_COPY_BYTES, for_import=True)
    staging_path = workdir / "staging.ltc"
    try:
        staging = connection_module.connect(staging_path, passphrase, create=True, salt=salt)
        try:
            source_conn.backup(staging)
        except BaseException:
            staging.close()
            raise
    finally:
        source_conn.close()
    return staging


def _rows(conn, sql: str, args: tuple = ()) -> list[dict]:
    cursor = conn.execute(sql, args)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _check_staging(conn, source: Path, target: Store) -> list[Revision]:
    name = source.name
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_autoindex%'")}
    extra = tables - ALLOWED_TABLES
    if extra:
        raise ImportRefused(f"{name}: refused: unexpected tables in the file")
    if conn.execute("SELECT count(*) FROM sqlite_schema WHERE type IN ('trigger', 'view')").fetchone()[0]:
        raise ImportRefused(f"{name}: refused: the file holds triggers or views")
    columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(revision)"))
    if sorted(columns) != sorted(REVISION_COLUMNS):
        raise ImportRefused(f"{name}: refused: the revision table has unexpected columns")
    meta = {row[0]: row[1] for row in conn.execute("SELECT key, value FROM meta")}
    if meta.get("file_kind") != CONVERSATION:
        raise ImportRefused(f"{name}: refused: not a conversation file (.ltc)")
    if meta.get("review_id") != target.review_id:
        raise ImportRefused(f"{name}: refused: it belongs to another review")
    conversation_id = target.meta("conversation_id")
    if meta.get("conversation_id") != conversation_id:
        raise ImportRefused(f"{name}: refused: it is a copy of another conversation")
    drafts = conn.execute("SELECT count(*) FROM draft").fetchone()[0]
    if drafts:
        raise ImportRefused(
            f"{name}: refused: it holds {drafts} unsaved draft{'s' if drafts != 1 else ''}; "
            "open it in lt-interview and close it so the text is saved, then combine again")
    count = conn.execute("SELECT count(*) FROM revision").fetchone()[0]
    if count > MAX_REVISIONS:
        raise ImportRefused(f"{name}: refused: too many revisions ({count})")
    revisions = []
    for row in _rows(conn, "SELECT * FROM revision ORDER BY created_at, revision_id"):
        try:
            revision = Revision.from_row(row)
        except (TypeError, ValueError):
            raise ImportRefused(f"{name}: refused: a revision row cannot be read") from None
        if not revision.digest_ok():
            raise ImportRefused(f"{name}: refused: revision {revision.revision_id[:8]} fails its digest check")
        model = KINDS.get(revision.kind)
        if model is None:
            raise ImportRefused(f"{name}: refused: unknown record kind {revision.kind[:40]!r}")
        try:
            model.model_validate_json(revision.body)
        except ValidationError:
            raise ImportRefused(f"{name}: refused: revision {revision.revision_id[:8]} does not validate") from None
        if revision.conversation_id not in (None, conversation_id):
            raise ImportRefused(f"{name}: refused: it holds records of another conversation")
        if revision.conversation_id is None and revision.kind not in UNSCOPED_KINDS:
            raise ImportRefused(f"{name}: refused: a {revision.kind} record without its conversation")
        revisions.append(revision)
    return revisions


def combine_copy(target: Store, source: Path, passphrase: str) -> CombineResult:
    source = Path(source)
    if source.resolve() == target.path.resolve():
        raise ImportRefused(f"{source.name}: refused: that is the file being typed up")
    if not source.is_file():
        raise ImportRefused(f"{source}: no such file")
    file_sha = _sha256(source)
    workdir = Path(tempfile.mkdtemp(prefix="lt-combine-"))  # mkdtemp makes it 0700
    try:
        staging = _stage(source, passphrase, workdir)
        try:
            incoming = _check_staging(staging, source, target)
            guards = [row[0] for row in staging.execute("SELECT digest FROM name_guard")]
            source_file_id = (staging.execute("SELECT value FROM meta WHERE key = 'file_id'").fetchone() or [""])[0]
        finally:
            staging.close()
    except LtError:
        raise
    except _sqlite.DatabaseError:
        raise ImportRefused(f"{source.name}: refused: the file cannot be read") from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return _union(target, source, incoming, guards, file_sha, source_file_id)


def _union(target: Store, source: Path, incoming: list[Revision], guards: list[str],
           file_sha: str, source_file_id: str) -> CombineResult:
    target.seal_all()  # our own drafts become revisions first, so nothing is lost in between
    new_rows, already = [], 0
    for revision in incoming:
        known = target.revision(revision.revision_id)
        if known is None:
            new_rows.append(revision.to_row())
        elif known.digest != revision.digest:
            raise ImportRefused(
                f"{source.name}: refused: revision {revision.revision_id[:8]} differs from the copy "
                "already held (a damaged or altered file); nothing was changed")
        else:
            already += 1
    with target.transaction():
        if new_rows:
            target.db["revision"].insert_all(new_rows, pk="revision_id")
            target.rebuild_heads(sorted({row["record_id"] for row in new_rows}))
        for digest in guards:
            target.db["name_guard"].insert({"digest": digest}, pk="digest", ignore=True)
        target.db["import_ledger"].insert({
            "ledger_id": new_id(), "file_sha256": file_sha, "source_file_id": source_file_id,
            "source_device": "", "app_version": __version__, "imported_at": iso(target.clock()),
            "rows_seen": len(incoming), "rows_added": len(new_rows),
            "result": "added" if new_rows else "duplicate", "reason": "type-up: combine copies",
        })
        target.audit("typeup.combine", target.meta("conversation_id") or "",
                      {"seen": len(incoming), "added": len(new_rows)})
    return CombineResult(source, len(incoming), len(new_rows), already, len(target.conflicts()))


def combine_copies(target: Store, sources: list[Path], passphrase: str) -> list[CombineResult]:
    """Combine the copies into `target` through the review merge's importer (all or none).

    Falls back to this module's own union only if the importer is not installed.
    """
    sources = [Path(source) for source in sources]
    for source in sources:
        if source.exists() and source.resolve() == target.path.resolve():
            raise ImportRefused(f"{source.name}: refused: that is the file being typed up")
    try:
        from lt_interview.merge.importer import merge_files
    except ModuleNotFoundError:  # pragma: no cover - the importer ships with the package
        return [combine_copy(target, source, passphrase) for source in sources]
    target.seal_all()  # our own drafts become revisions first
    report = merge_files(target, sources, passphrase)
    conflicts = len(target.conflicts())
    return [CombineResult(item.path, item.seen, item.added, item.duplicate, conflicts)
            for item in report.inputs]
