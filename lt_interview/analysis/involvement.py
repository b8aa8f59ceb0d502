"""The case group's part in the review and the family's (DOMAIN.md §2, §3.2, §5.1), as records
in the review database, stored as revisions and merged like every other record:

- `ReportCheck`: the case group's check of the draft report (when it was sent, who checked it, by
  role or agency, their comments, the outcome and what changed).
- `FamilyInvolvement`: how a family member was informed about the review and involved in it
  (when and how informed, whether they took part and how, their views as recorded).

The two joint meetings with the case group are `Meeting` records (analysis/records.py) of type
"case_group_1" and "case_group_2", with the handouts given out (export/handout.py makes them from
the analysis). Nothing here holds a real name: people are written by role, relationship or the
case framework's pseudonym, and the exports' real-name guard checks every text as usual.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationError

from lt_interview.analysis.kpe import _invalid, revised
from lt_interview.analysis.loader import load
from lt_interview.domain.ids import short_id
from lt_interview.domain.models import Record, register_kind
from lt_interview.domain.text import SafeLine, SafeText
from lt_interview.errors import BadInput
from lt_interview.storage.store import Store

ReportOutcome = Literal["awaiting", "agreed", "agreed_with_changes", "disagreement_recorded"]
REPORT_OUTCOME_LABELS = {
    "awaiting": "Awaiting comments",
    "agreed": "Agreed as accurate",
    "agreed_with_changes": "Agreed once changes were made",
    "disagreement_recorded": "A different view recorded in the report",
}

TookPart = Literal["not_yet_asked", "considering", "yes", "declined", "not_appropriate"]
TOOK_PART_LABELS = {
    "not_yet_asked": "Not yet asked",
    "considering": "Considering it",
    "yes": "Took part",
    "declined": "Declined",
    "not_appropriate": "Not appropriate to involve",
}


class ReportCheck(Record):
    """The case group's check of the draft report before it goes to the commissioner."""

    kind: ClassVar[str] = "report_check"
    draft: SafeLine = ""  # which draft: "Draft 2, 3 June 2026"
    sent_on: date
    checked_by: SafeLine = ""  # roles or agencies, never names
    comments: SafeText = ""
    outcome: ReportOutcome = "awaiting"
    changes_made: SafeText = ""


class FamilyInvolvement(Record):
    """How one family member was informed about the review and involved in it."""

    kind: ClassVar[str] = "family_involvement"
    member: SafeLine = Field(min_length=1)  # relationship and pseudonym, as in the case framework
    informed_on: date | None = None
    informed_how: SafeLine = ""  # "letter from the lead reviewer, then a home visit"
    took_part: TookPart = "not_yet_asked"
    how_took_part: SafeLine = ""  # "a conversation at home", "written views", "met the lead reviewers"
    views: SafeText = ""  # their views as recorded, in their words where possible
    fed_back: SafeText = ""  # how the findings were shared with them, and their response


INVOLVEMENT_KINDS = (ReportCheck, FamilyInvolvement)
for _model in INVOLVEMENT_KINDS:
    register_kind(_model)


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
