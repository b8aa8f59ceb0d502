"""`lt-interview check FILE`: is this a sound lt-interview file?"""

from __future__ import annotations

from pathlib import Path

from lt_interview.errors import CorruptFile, InvalidRecord
from lt_interview.storage.connection import SCHEMA_VERSION
from lt_interview.storage.store import REVIEW, Store


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
        lines = [
            f"{path}: sound",
            f"  Kind: {store.file_kind} file   Schema: {version} (this version writes {SCHEMA_VERSION})",
            f"  Integrity: ok   Revisions: {store.count_revisions()} (digests ok)   "
            f"Audit entries: {audit_entries} (chain ok)",
        ]
        if store.file_kind == REVIEW:
            lines.append(_case_group_line(store, path))
        return lines


def _case_group_line(store: Store, path: Path) -> str:
    """The case group's and the family's records, each read and validated as it stands."""
    from pydantic import ValidationError

    from lt_interview.analysis.loader import load
    from lt_interview.domain.analysis import CASE_GROUP_MEETINGS, Meeting
    from lt_interview.domain.involvement import FamilyInvolvement, ReportCheck

    try:
        meetings = [m.record for m in load(store, Meeting.kind) if m.record.meeting_type in CASE_GROUP_MEETINGS]
        checks = load(store, ReportCheck.kind)
        family = load(store, FamilyInvolvement.kind)
    except ValidationError:
        raise CorruptFile(f"{path}: a case-group or family record does not validate") from None
    return (f"  Case group and family: {len(meetings)} meeting(s) with the case group, {len(checks)} check(s) of "
            f"the draft report, {len(family)} family member(s) recorded")
