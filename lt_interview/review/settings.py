"""The review settings (retention date, legal hold, blind mode, guiding question, lawful basis, review
type...): checked one way when a review is created (review/setup.py) and when they change
(`lt-interview review set`). A change is one audited revision of the review settings record."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lt_interview.domain.models import Review
from lt_interview.errors import BadInput, describe_validation
from lt_interview.storage.lookups import review_record
from lt_interview.storage.store import Store


def checked_settings(fields: dict[str, Any]) -> Review:
    """The review settings record for `fields`, or BadInput naming the field at fault."""
    try:
        return Review.model_validate(fields)
    except ValidationError as exc:
        raise BadInput(f"review settings: {describe_validation(exc)}") from None


def wanted_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The settings asked to change (None: left as it is); refused when there are none, before
    the review is opened."""
    changes = {name: value for name, value in changes.items() if value is not None}
    if not changes:
        raise BadInput("nothing to change (see lt-interview review set --help)")
    return changes


def change_settings(store: Store, changes: dict[str, Any]) -> Review:
    """Apply `changes` (setting name -> new value) to the review settings; audited by name only."""
    changes = wanted_changes(changes)
    store.refuse_if_purged()
    record_id, review = review_record(store)
    changed = checked_settings({**review.model_dump(), **changes})
    with store.transaction():
        store.put(changed, record_id)
        store.audit("review.settings", record_id, {"changed": sorted(changes)})
    return changed
