"""The store: one encrypted database file, its revision log, drafts and audit trail.

Review databases (.ltr) and conversation files (.ltc) share this schema; `meta.file_kind`
tells them apart. Every user action is one transaction (`with store.transaction():`).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, TypeVar

from lt_interview import __version__
from lt_interview.domain.ids import Clock, iso, new_id, short_id, system_clock
from lt_interview.domain.models import Record
from lt_interview.errors import BadInput, DiskFull, InvalidRecord, SaveFailed, WrongKind, is_disk_full
from lt_interview.pause_points import pause_point
from lt_interview.storage import _sqlite, schema
from lt_interview.storage import connection as connection_module
from lt_interview.storage.audit import AuditTrail, verify_chains
from lt_interview.storage.copies import remove_copy
from lt_interview.storage.draft_writer import DraftWriter, Written
from lt_interview.storage.kinds import CONVERSATION, FILE_KINDS, REVIEW
from lt_interview.storage.revisions import Revision, body_of, canonical_json, draft_body_of, validated

if TYPE_CHECKING:
    from sqlite_utils import Database

R = TypeVar("R", bound=Record)

__all__ = ["CONVERSATION", "FILE_KINDS", "REVIEW", "Current", "Store"]


@dataclass(frozen=True)
class Current:
    """A record as it stands now: its head revision, and whether other heads compete."""

    record_id: str
    record: Record
    revision: Revision
    conflict: bool = False


class Store:
    def __init__(self, conn, path: Path, *, actor_id: str, device_id: str, clock: Clock) -> None:
        self._conn = conn
        self.path = Path(path)
        self._db: Database | None = None  # sqlite-utils, imported on first use (start-up)
        self.actor_id = actor_id
        self.device_id = device_id
        self.clock = clock
        self._audit: AuditTrail | None = None
        self._draft_writer: DraftWriter | None = None  # started by the first save_draft_soon
        self._transactions = 0  # depth of the callers' open transactions

    @property
    def conn(self):
        """The connection, once autosave's writer thread has finished with it."""
        if self._draft_writer is not None:
            self._draft_writer.settle()
        return self._conn

    @property
    def db(self) -> Database:
        if self._draft_writer is not None:
            self._draft_writer.settle()
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self._conn)
        return self._db

    def prepare_writes(self) -> None:
        """Load now what the first revision will need (sqlite-utils, the id generator: about
        55 ms of imports), so that a conversation's first stage change or capture does not
        wait for it. Opening a file needs neither (it is read with plain SQL)."""
        self.db  # noqa: B018 - its first use imports sqlite-utils
        new_id()  # the first new id imports uuid6 (Python < 3.14)

    # --- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str, *, file_kind: str, review_id: str,
               salt: bytes | None = None, actor_id: str = "", device_id: str | None = None,
               clock: Clock = system_clock, encrypt: bool = True) -> "Store":
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise BadInput(f"{path}: already exists; choose another name")
        if not path.parent.is_dir():
            raise BadInput(f"{path.parent}: no such folder")
        conn = connection_module.connect(path, passphrase, create=True, salt=salt, encrypt=encrypt)
        store = cls(conn, path, actor_id=actor_id, device_id=device_id or _device(), clock=clock)
        try:
            schema.apply(store.db)
            with store.transaction():
                for key, value in {
                    "format": "lt-interview", "file_kind": file_kind, "file_id": new_id(),
                    "review_id": review_id, "created_at": iso(clock()), "app_version": __version__,
                }.items():
                    store.db.table("meta").upsert({"key": key, "value": value}, pk="key")
                store.set_meta("chain_home", store._place())
                store.audit("file.create", detail={"kind": file_kind})
        except BaseException:
            conn.close()
            remove_copy(path)  # made just now (never over another file): nothing half-made is left
            raise
        return store

    @classmethod
    def open(cls, path: Path, passphrase: str | None = None, *, key: bytes | None = None,
             expect_kind: str | None = None, actor_id: str = "", device_id: str | None = None,
             clock: Clock = system_clock, max_bytes: int = connection_module.MAX_FILE_BYTES,
             encrypt: bool = True) -> "Store":
        """Open with the review's passphrase, or with its `key` already derived (unlock.py)."""
        path = Path(path)
        conn = connection_module.connect(path, passphrase, key=key, max_bytes=max_bytes, encrypt=encrypt)
        store = cls(conn, path, actor_id=actor_id, device_id=device_id or _device(), clock=clock)
        try:
            store._check_kind(expect_kind)
            if not schema.is_current(store._conn):
                schema.apply(store.db)
            store.verify_audit()
            store._check_drafts()
        except BaseException:
            conn.close()
            raise
        return store

    def _check_drafts(self) -> None:
        """Every unsaved draft must be readable, whichever screen opens the file (a crafted
        2 MB note would otherwise stop one screen and not another): `check` and every opening
        refuse alike. Drafts are few: one per record being edited."""
        with self._naming_file():
            for kind, body in self.conn.execute("SELECT kind, body FROM draft"):
                validated(kind, body, "draft")

    def _check_kind(self, expect_kind: str | None) -> None:
        try:
            kind = self.meta("file_kind")
        except _sqlite.DatabaseError:
            kind = None
        if kind not in FILE_KINDS:
            raise connection_module.NotOurFile(f"{self.path}: not an lt-interview file")
        if expect_kind and kind != expect_kind:
            wanted = "a review file (.ltr)" if expect_kind == REVIEW else "a conversation file (.ltc)"
            raise WrongKind(f"{self.path}: this is a {kind} file; expected {wanted}")

    def close(self) -> None:
        pause_point(f"close {self.path.name}")  # tests: the whole command done, the file still held
        if self._draft_writer is not None:
            self._draft_writer.close()  # writes what is queued first
            self._draft_writer = None
        try:
            self._conn.close()
        except _sqlite.DatabaseError:
            pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- meta ----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._execute_committed(self.conn, "INSERT INTO meta (key, value) VALUES (?, ?) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    @property
    def salt(self) -> bytes:
        """The review's salt (every file of a review has the same), read through the connection."""
        return connection_module.salt_of(self.conn)

    @property
    def file_kind(self) -> str:
        return self.meta("file_kind") or ""

    @property
    def file_id(self) -> str:
        return self.meta("file_id") or ""

    @property
    def chain_id(self) -> str:
        """This copy's audit chain. A file copied to another laptop (or path) starts a chain of
        its own, so the lead's and the notetaker's copies never fork one chain."""
        return self.meta("chain_id") or self.file_id

    def _place(self) -> str:
        # A path that is not valid UTF-8 (bytes kept by surrogateescape) cannot be stored as
        # SQLite text: its odd bytes are written as \xNN. Any other path is stored as before.
        place = os.fsencode(self.path.resolve()).decode("utf-8", "backslashreplace")
        return f"{self.device_id}|{place}"

    def _follow_copies(self) -> None:
        """Called before each audit entry, so merely opening a file never writes to it."""
        home = self.meta("chain_home")
        if home == self._place():
            return
        if home is not None:  # first write since the file was copied or moved here
            self.set_meta("chain_id", new_id())
            self._audit = None
        self.set_meta("chain_home", self._place())

    @property
    def review_id(self) -> str:
        return self.meta("review_id") or ""

    @property
    def purged_on(self) -> str | None:
        """The date (yyyy-mm-dd) this review was purged after its retention date, or None."""
        return self.meta("purged_on")

    def purged_description(self) -> str | None:
        """"REVIEW.ltr was purged on 24 November 2026 after its retention date", or None."""
        purged = self.purged_on
        if purged is None:
            return None
        from datetime import date

        try:
            day = date.fromisoformat(purged)
            when = f"{day.day} {day:%B %Y}"
        except ValueError:
            when = purged
        return f"{self.path} was purged on {when} after its retention date"

    def refuse_if_purged(self) -> None:
        """A purged review takes nothing new: no merge, chronology, pack or edit (RELIABILITY.md §9).
        Otherwise a merged conversation file would bring the erased content back."""
        described = self.purged_description()
        if described is not None:
            raise BadInput(f"{described}; nothing can be added to it")

    # --- transactions and audit ----------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        try:
            with self.db.atomic():
                self._transactions += 1
                try:
                    yield self
                finally:
                    self._transactions -= 1
        except _sqlite.OperationalError as exc:
            raise self._save_failed(exc) from None

    def _save_failed(self, exc: Exception) -> SaveFailed:
        if is_disk_full(exc):
            return DiskFull(f"{self.path}: could not save: the disk is full; free some space and try again")
        return SaveFailed(f"{self.path}: could not save ({exc})")

    def audit(self, action: str, record_id: str = "", detail: dict | None = None) -> None:
        self._follow_copies()
        if self._audit is None:
            self._audit = AuditTrail(self.conn, self.chain_id, self.actor_id, self.device_id, self.clock)
        self._audit.append(action, record_id, detail)
        last = self.conn.execute(
            "SELECT hash FROM audit WHERE chain_id = ? ORDER BY seq DESC LIMIT 1", (self.chain_id,)
        ).fetchone()
        self.set_meta("audit_head", last[0])

    def verify_audit(self) -> int:
        count = verify_chains(self.conn, source=str(self.path))
        head = self.meta("audit_head")
        last = self.conn.execute(
            "SELECT hash FROM audit WHERE chain_id = ? ORDER BY seq DESC LIMIT 1", (self.chain_id,)
        ).fetchone()
        if head and (last is None or last[0] != head):
            raise connection_module.CorruptFile(f"{self.path}: the audit trail has been altered (entries removed)")
        return count

    # --- writing revisions ---------------------------------------------------------------

    def put(self, record: Record, record_id: str | None = None, *,
            parents: list[str] | None = None, conversation_id: str | None = None,
            audit: bool = True) -> Revision:
        """Write a new revision of `record`. Parents default to the record's current heads,
        so an edit that settles a conflict names every competing head."""
        record = type(record).model_validate(record.model_dump())  # re-run the sanitiser
        record_id = record_id or new_id()
        if record.kind == "conversation":
            conversation_id = record_id  # a conversation's scope is itself
        return self._write(record.kind, record_id, body_of(record), deleted=0,
                           parents=parents, conversation_id=conversation_id or _conv(record),
                           audit=audit)

    def delete(self, record_id: str) -> Revision:
        heads = self.heads(record_id)
        if not heads:
            raise BadInput(f"no record {short_id(record_id)} to remove")
        latest = max(heads, key=lambda rev: rev.created_at)
        return self._write(latest.kind, record_id, latest.body, deleted=1,
                           parents=[rev.revision_id for rev in heads],
                           conversation_id=latest.conversation_id, audit=True)

    def _write(self, kind: str, record_id: str, body: str, *, deleted: int,
               parents: list[str] | None, conversation_id: str | None, audit: bool) -> Revision:
        self.refuse_if_purged()
        if parents is None:
            parents = [rev.revision_id for rev in self.heads(record_id)]
        revision = Revision.build(
            revision_id=new_id(), record_id=record_id, kind=kind, conversation_id=conversation_id,
            parents=parents, reviewer_id=self.actor_id, device_id=self.device_id,
            created_at=iso(self.clock()), deleted=deleted,
            schema_version=connection_module.SCHEMA_VERSION, body=body,
        )
        with self.transaction():
            self.db.table("revision").insert(revision.to_row())
            if parents:
                marks = ", ".join("?" for _ in parents)
                self.conn.execute(f"DELETE FROM head WHERE revision_id IN ({marks})", tuple(parents))
            self.db.table("head").insert({
                "revision_id": revision.revision_id, "record_id": record_id, "kind": kind,
                "conversation_id": conversation_id, "deleted": deleted,
            })
            if audit:
                action = "record.delete" if deleted else ("record.edit" if parents else "record.create")
                self.audit(action, record_id, {"kind": kind})
        return revision

    def rebuild_heads(self, record_ids: list[str] | None = None) -> None:
        """Recompute the derived head table (after a merge) from the revision log."""
        where = ""
        if record_ids is not None:
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched(record_id TEXT PRIMARY KEY)")
            self.conn.execute("DELETE FROM touched")
            self.conn.executemany("INSERT OR IGNORE INTO touched VALUES (?)", [(r,) for r in record_ids])
            where = "WHERE r.record_id IN (SELECT record_id FROM touched)"
            self.conn.execute("DELETE FROM head WHERE record_id IN (SELECT record_id FROM touched)")
        else:
            self.conn.execute("DELETE FROM head")
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS named_parent(revision_id TEXT PRIMARY KEY)"
        )
        self.conn.execute("DELETE FROM named_parent")
        self.conn.execute(
            f"INSERT OR IGNORE INTO named_parent SELECT p.value FROM revision r, json_each(r.parents) p {where}"
        )
        self.conn.execute(
            "INSERT INTO head (revision_id, record_id, kind, conversation_id, deleted) "
            f"SELECT r.revision_id, r.record_id, r.kind, r.conversation_id, r.deleted FROM revision r {where}"
            f"{' AND' if where else ' WHERE'} r.revision_id NOT IN (SELECT revision_id FROM named_parent)"
        )

    # --- reading -------------------------------------------------------------------------

    def _revisions(self, sql: str, args: tuple = ()) -> list[Revision]:
        cursor = self.conn.execute(sql, args)
        names = [column[0] for column in cursor.description]
        return [Revision.from_row(dict(zip(names, row))) for row in cursor]

    def revision(self, revision_id: str) -> Revision | None:
        found = self._revisions("SELECT * FROM revision WHERE revision_id = ?", (revision_id,))
        return found[0] if found else None

    def heads(self, record_id: str) -> list[Revision]:
        return self._revisions(
            "SELECT r.* FROM head h JOIN revision r USING (revision_id) WHERE h.record_id = ? "
            "ORDER BY r.created_at, r.revision_id", (record_id,))

    def history(self, record_id: str) -> list[Revision]:
        return self._revisions(
            "SELECT * FROM revision WHERE record_id = ? ORDER BY created_at, revision_id", (record_id,))

    def get(self, record_id: str) -> Current | None:
        with self._naming_file():
            return _current(self.heads(record_id))

    @contextmanager
    def _naming_file(self) -> Iterator[None]:
        """A record that does not validate (InvalidRecord) is reported with this file's name."""
        try:
            yield
        except InvalidRecord as exc:
            if exc.message.startswith(f"{self.path}: "):
                raise
            raise InvalidRecord(f"{self.path}: {exc.message}") from None

    def current(self, kind: str, conversation_id: str | None = None) -> list[Current]:
        """Every live record of `kind` (optionally in one conversation), oldest first."""
        sql = ("SELECT r.* FROM head h JOIN revision r USING (revision_id) WHERE h.kind = ?")
        args: tuple = (kind,)
        if conversation_id is not None:
            sql += " AND h.conversation_id = ?"
            args += (conversation_id,)
        by_record: dict[str, list[Revision]] = {}
        for revision in self._revisions(sql + " ORDER BY r.created_at, r.revision_id", args):
            by_record.setdefault(revision.record_id, []).append(revision)
        with self._naming_file():
            found = [_current(heads) for heads in by_record.values()]
        live = [item for item in found if item is not None]
        live.sort(key=lambda item: (self._first_created(item.record_id), item.record_id))
        return live

    def _first_created(self, record_id: str) -> str:
        row = self.conn.execute(
            "SELECT min(created_at) FROM revision WHERE record_id = ?", (record_id,)).fetchone()
        return row[0] or ""

    def records(self, model: type[R], conversation_id: str | None = None) -> list[tuple[str, R]]:
        return [(item.record_id, item.record) for item in self.current(model.kind, conversation_id)]  # type: ignore[misc]

    def one(self, model: type[R]) -> tuple[str, R] | None:
        found = self.records(model)
        return found[0] if found else None

    def conflicts(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT record_id FROM head GROUP BY record_id HAVING count(*) > 1 ORDER BY record_id")
        return [row[0] for row in rows]

    def count_revisions(self) -> int:
        return self.conn.execute("SELECT count(*) FROM revision").fetchone()[0]

    # --- drafts (autosave) ---------------------------------------------------------------

    def save_draft(self, record_id: str, record: Record) -> None:
        """Autosave: overwrite this record's local draft row. Cheap; one small commit."""
        self._write_draft(self._draft_row(record_id, record))

    def save_draft_soon(self, record_id: str, record: Record, written: Written) -> None:
        """Autosave without waiting for the disk: the row is made here, committed on the store's
        writer thread, and `written(None)` (or `written(the exception)`) is called there after."""
        row = self._draft_row(record_id, record)
        if self._transactions:  # inside a caller's transaction: part of it, written now
            self._write_draft(row)
            written(None)
            return
        if self._draft_writer is None:
            self._draft_writer = DraftWriter(lambda row: self._write_draft(row))
        self._draft_writer.submit(row, written)

    def settle_drafts(self) -> None:
        if self._draft_writer is not None:
            self._draft_writer.settle()

    def _draft_row(self, record_id: str, record: Record) -> dict:
        return {"record_id": record_id, "kind": record.kind,
                "conversation_id": record_id if record.kind == "conversation" else _conv(record),
                "body": draft_body_of(record), "saved_at": iso(self.clock())}

    def _write_draft(self, row: dict) -> None:
        """On whichever thread holds the connection (the writer's own, or a caller's once settled)."""
        conn = self._conn if self._draft_writer is not None and self._draft_writer.on_writer_thread else self.conn
        base = conn.execute(
            "SELECT r.revision_id FROM head h JOIN revision r USING (revision_id) WHERE h.record_id = ? "
            "ORDER BY r.created_at DESC, r.revision_id LIMIT 1", (row["record_id"],)).fetchone()
        upsert = ("INSERT INTO draft (record_id, kind, conversation_id, base_revision_id, body, saved_at) "
                  "VALUES (:record_id, :kind, :conversation_id, :base, :body, :saved_at) "
                  "ON CONFLICT (record_id) DO UPDATE SET kind = excluded.kind, "
                  "conversation_id = excluded.conversation_id, base_revision_id = excluded.base_revision_id, "
                  "body = excluded.body, saved_at = excluded.saved_at")
        self._execute_committed(conn, upsert, {**row, "base": base[0] if base else ""})

    def _execute_committed(self, conn, sql: str, values) -> None:
        """One statement in its own transaction, or in the caller's when one is open (sealing,
        say, commits it). Plain SQL, so that a draft or a meta value never imports sqlite-utils."""
        try:
            if conn.in_transaction:
                conn.execute(sql, values)
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(sql, values)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except _sqlite.OperationalError as exc:
            raise self._save_failed(exc) from None

    def draft(self, record_id: str) -> tuple[Record, str] | None:
        row = self.conn.execute(
            "SELECT kind, body, saved_at FROM draft WHERE record_id = ?", (record_id,)).fetchone()
        if row is None:
            return None
        with self._naming_file():
            return validated(row[0], row[1], "draft"), row[2]

    def pending_drafts(self) -> list[tuple[str, Record, str]]:
        """Drafts whose text differs from the record's sealed head: unsaved work to recover."""
        pending = []
        for record_id, kind, body, saved_at in self.conn.execute(
                "SELECT record_id, kind, body, saved_at FROM draft ORDER BY saved_at").fetchall():
            current = self.get(record_id)
            with self._naming_file():
                record = validated(kind, body, "draft")
            if current is None or body_of(current.record) != body_of(record):
                pending.append((record_id, record, saved_at))
        return pending

    def seal(self, record_id: str) -> Revision | None:
        """Turn the record's draft into a revision (if it changed) and drop the draft."""
        found = self.draft(record_id)
        if found is None:
            return None
        record, _ = found
        current = self.get(record_id)
        with self.transaction():
            revision = None
            if current is None or body_of(current.record) != body_of(record):
                revision = self.put(record, record_id, audit=True)
            self.conn.execute("DELETE FROM draft WHERE record_id = ?", (record_id,))
        return revision

    def seal_all(self) -> int:
        sealed = 0
        for (record_id,) in self.conn.execute("SELECT record_id FROM draft").fetchall():
            if self.seal(record_id) is not None:
                sealed += 1
        return sealed

    def discard_draft(self, record_id: str) -> None:
        """Discard keeps the text in history: seal it, then restore the previous version."""
        previous = self.get(record_id)
        sealed = self.seal(record_id)
        if sealed is not None and previous is not None:
            self.put(previous.record, record_id)

    # --- copies --------------------------------------------------------------------------

    def backup_to(self, target: Path, passphrase: str) -> None:
        """Copy through the backup API into a new encrypted file with this review's key. The salt
        is read through the connection: open() on this file would release its lock."""
        salt = connection_module.salt_of(self.conn)
        target_conn = connection_module.connect(Path(target), passphrase, create=True, salt=salt)
        try:
            self.conn.backup(target_conn)
        finally:
            target_conn.close()


def _conv(record: Record) -> str | None:
    if record.kind == "conversation":
        return None  # set by the caller: a conversation's own id is its record id
    return getattr(record, "conversation_id", None)


def _current(heads: list[Revision]) -> Current | None:
    if not heads:
        return None
    live = [rev for rev in heads if not rev.deleted]
    if not live:
        return None
    latest = max(live, key=lambda rev: (rev.created_at, rev.revision_id))
    return Current(latest.record_id, latest.record(), latest, conflict=len(heads) > 1)


def _device() -> str:
    from lt_interview.paths import device_id

    return device_id()


def dumps_detail(detail: dict) -> str:
    return canonical_json(detail)
