"""Draft findings (DOMAIN.md §7.5): statement, how it showed in this case, why it is not a
one-off, why it matters, and questions for the board."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lt_interview.analysis.kpe import _invalid, _structure, revised
from lt_interview.analysis.loader import load
from lt_interview.domain.analysis import Finding
from lt_interview.errors import BadInput
from lt_interview.storage.store import Store
from lt_interview.domain.ids import short_id


def _check(store: Store, finding: Finding) -> None:
    structure = _structure(store)
    categories = {category.id for category in structure.typology.category}
    unknown = [cid for cid in finding.category_ids if cid not in categories]
    if unknown:
        raise BadInput(f"unknown typology category '{unknown[0]}'")
    kpes = {item.record_id for item in load(store, "kpe")}
    unknown = [kid for kid in finding.kpe_ids if kid not in kpes]
    if unknown:
        raise BadInput(f"no key practice episode {short_id(unknown[0])}")


def add_finding(store: Store, *, title: str, **fields: Any) -> str:
    try:
        finding = Finding(title=title, **fields)
    except ValidationError as exc:
        raise _invalid(exc, "finding") from None
    _check(store, finding)
    with store.transaction():
        return store.put(finding).record_id


def update_finding(store: Store, finding_id: str, **changes: Any) -> None:
    finding = revised(store, finding_id, Finding, "finding", changes)
    _check(store, finding)
    with store.transaction():
        store.put(finding, finding_id)


def list_findings(store: Store) -> list[tuple[str, Finding]]:
    found = [(item.record_id, item.record) for item in load(store, "finding")]
    # Prioritised findings first (1 highest), then unprioritised, each in the order written.
    found.sort(key=lambda pair: (pair[1].priority == 0, pair[1].priority))  # type: ignore[attr-defined]
    return found  # type: ignore[return-value]
