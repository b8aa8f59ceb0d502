"""Registering the practitioners of a review after it is created (DOMAIN.md §13.2): a
practitioner found during the review, and the information sent, consent and support needs of
each, as the review lead learns them. Every change is a new, audited revision."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lt_interview.domain.models import Practitioner
from lt_interview.errors import BadInput, describe_validation
from lt_interview.storage.store import Store


def _named(store: Store, name: str) -> list[tuple[str, Practitioner]]:
    wanted = " ".join(name.split()).casefold()
    return [(pid, p) for pid, p in store.records(Practitioner)
            if " ".join(p.name.split()).casefold() == wanted]


def _valid(fields: dict[str, Any]) -> Practitioner:
    try:
        return Practitioner.model_validate(fields)
    except ValidationError as exc:
        raise BadInput(f"practitioner: {describe_validation(exc)}") from None


def register_or_update(store: Store, name: str, **changes: Any) -> tuple[str, Practitioner, bool]:
    """The practitioner called `name` (any case and spacing) with `changes` applied, or a new one
    (which needs a role). Returns (id, practitioner, whether it is new)."""
    changes = {key: value for key, value in changes.items() if value is not None}
    name = " ".join(name.split())
    found = _named(store, name)
    if len(found) > 1:
        raise BadInput(f"'{name}' names {len(found)} practitioners in this review; settle that in the "
                       "review first (lt-interview conflicts)")
    if not found:
        if not changes.get("role"):
            raise BadInput(f"no practitioner called '{name}' yet: give --role to register them")
        practitioner = _valid({"name": name, **changes})
        with store.transaction():
            return store.put(practitioner).record_id, practitioner, True
    practitioner_id, current = found[0]
    if not changes:
        raise BadInput("nothing to change (see lt-interview review person --help)")
    practitioner = _valid({**current.model_dump(), **changes})
    with store.transaction():
        store.put(practitioner, practitioner_id)
    return practitioner_id, practitioner, False


def describe(practitioner: Practitioner) -> str:
    """'Lee Park: Care coordinator, Adult social care; information sent; consent given'."""
    text = f"{practitioner.name}: {practitioner.role}" + (f", {practitioner.agency}" if practitioner.agency else "")
    if practitioner.is_family:
        text += " (family member)"
    text += "; information sent" if practitioner.information_sent else "; information not yet sent"
    text += "; consent given" if practitioner.consent else "; consent not yet given"
    if practitioner.support_needs:
        text += f"; support needs: {practitioner.support_needs}"
    return text
