"""Recording the case group's check of the draft report and the family's involvement
(the records: domain/involvement.py). The two joint meetings with the case group are `Meeting`
records of type "case_group_1" and "case_group_2", with the handouts given out (export/handout.py
makes them from the analysis).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lt_interview.analysis.kpe import _invalid, revised
from lt_interview.analysis.loader import load
from lt_interview.domain.ids import short_id
from lt_interview.domain.involvement import (
    REPORT_OUTCOME_LABELS,
    TOOK_PART_LABELS,
    FamilyInvolvement,
    ReportCheck,
)
from lt_interview.domain.models import Record
from lt_interview.errors import BadInput
from lt_interview.storage.store import Store


def _valid(model: type[Record], fields: dict[str, Any], what: str) -> Record:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise _invalid(exc, what) from None


# --- the case group's check of the draft report ----------------------------------------------


def add_report_check(store: Store, **fields: Any) -> str:
    check = _valid(ReportCheck, fields, "check of the draft report")
    with store.transaction():
        return store.put(check).record_id


def update_report_check(store: Store, check_id: str, **changes: Any) -> None:
    check = revised(store, check_id, ReportCheck, "check of the draft report", changes)
    with store.transaction():
        store.put(check, check_id)


def report_checks(store: Store) -> list[tuple[str, ReportCheck]]:
    found = [(item.record_id, item.record) for item in load(store, ReportCheck.kind)]
    return sorted(found, key=lambda pair: pair[1].sent_on)  # type: ignore[arg-type]  # load() yields this kind only


# --- informing and involving the family --------------------------------------------------------


def family_records(store: Store) -> list[tuple[str, FamilyInvolvement]]:
    return [(item.record_id, item.record) for item in load(store, FamilyInvolvement.kind)]  # type: ignore[misc]


def record_family(store: Store, member: str, **changes: Any) -> tuple[str, FamilyInvolvement, bool]:
    """The record for `member` (any case and spacing) with `changes`, or a new one. Returns
    (id, record, whether it is new)."""
    changes = {key: value for key, value in changes.items() if value is not None}
    member = " ".join(member.split())
    found = [(rid, r) for rid, r in family_records(store) if " ".join(r.member.split()).casefold() == member.casefold()]
    if len(found) > 1:
        raise BadInput(f"'{member}' has {len(found)} records; settle that first (lt-interview conflicts)")
    if not found:
        record = _valid(FamilyInvolvement, {"member": member, **changes}, "family involvement")
        with store.transaction():
            return store.put(record).record_id, record, True  # type: ignore[return-value]
    if not changes:
        raise BadInput("nothing to change (see lt-interview family --help)")
    record_id, _ = found[0]
    record = revised(store, record_id, FamilyInvolvement, "family involvement", changes)
    with store.transaction():
        store.put(record, record_id)
    return record_id, record, False


def describe_family(record: FamilyInvolvement) -> str:
    text = record.member
    if record.informed_on:
        text += f": informed {record.informed_on.isoformat()}" + (f" ({record.informed_how})" if record.informed_how else "")
    else:
        text += ": not yet informed"
    text += f"; {TOOK_PART_LABELS[record.took_part].lower()}"
    if record.how_took_part:
        text += f" ({record.how_took_part})"
    if record.views:
        text += "; views recorded"
    return text


def describe_check(check: ReportCheck) -> str:
    text = f"Draft report{' ' + check.draft if check.draft else ''} sent {check.sent_on.isoformat()}"
    if check.checked_by:
        text += f", checked by {check.checked_by}"
    return text + f": {REPORT_OUTCOME_LABELS[check.outcome].lower()}"


def remove(store: Store, record_id: str, model: type[Record], what: str) -> None:
    current = store.get(record_id)
    if current is None or current.record.kind != model.kind:
        raise BadInput(f"no {what} {short_id(record_id)}")
    with store.transaction():
        store.delete(record_id)
