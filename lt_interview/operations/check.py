"""`lt-interview check FILE`: is this a sound lt-interview file?"""

from __future__ import annotations

from pathlib import Path

from lt_interview.errors import CorruptFile, InvalidRecord
from lt_interview.storage.connection import SCHEMA_VERSION
from lt_interview.storage.store import Store


def check_file(path: Path, passphrase: str) -> list[str]:
    with Store.open(Path(path), passphrase) as store:
        result = store.conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise CorruptFile(f"{path}: the file is damaged (integrity check failed)")
        audit_entries = store.verify_audit()
        bad: list[str] = []
        from lt_interview.storage.revisions import Revision

        cursor = store.conn.execute("SELECT * FROM revision")
        names = [column[0] for column in cursor.description]
        invalid: InvalidRecord | None = None
        for values in cursor:
            revision = Revision.from_row(dict(zip(names, values)))
            if not revision.digest_ok():
                bad.append(values[0])
            elif invalid is None:
                try:  # what opening the file reads: it must refuse exactly what this refuses
                    revision.record()
                except InvalidRecord as exc:
                    invalid = exc
        if bad:
            raise CorruptFile(f"{path}: {len(bad)} revision(s) do not match their digest")
        if invalid is not None:
            raise InvalidRecord(f"{path}: {invalid.message}")
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        return [
            f"{path}: sound",
            f"  Kind: {store.file_kind} file   Schema: {version} (this version writes {SCHEMA_VERSION})",
            f"  Integrity: ok   Revisions: {store.count_revisions()} (digests ok)   "
            f"Audit entries: {audit_entries} (chain ok)",
        ]
