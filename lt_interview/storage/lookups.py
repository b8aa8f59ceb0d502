"""Small read-only look-ups of a review or conversation file that every layer above storage needs:
the review settings record, the review's copy of the structure, a practitioner by name or role,
whether the chronology may be shown, and the real-name guard. They change nothing."""

from __future__ import annotations

from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import (
    ChronologyEntry, ChronologyUnlock, Conversation, Practitioner, Review, Structure,
)
from lt_interview.domain.structure import MethodStructure, load_structure, structure_from_data
from lt_interview.errors import BadInput
from lt_interview.storage.store import Store

def review_record(store: Store) -> tuple[str, Review]:
    found = store.one(Review)
    if found is None:
        purged = store.purged_description()
        if purged is not None:
            raise BadInput(f"{purged}; its content was erased")
        raise BadInput(f"{store.path}: holds no review settings")
    return found


def structure_of(store: Store) -> MethodStructure:
    """The review's copy of the method; in a conversation file with a family member, the
    family variant of the conversation (its stages and introduction)."""
    found = store.one(Structure)
    if found is None:
        structure = load_structure()
    else:
        structure = structure_from_data(found[1].data, source=f"{store.path} (its copy of the structure)")
    participant_id = store.meta("practitioner_id")
    if participant_id:
        participant = store.get(participant_id)
        if participant is not None and getattr(participant.record, "is_family", False):
            return structure.for_family()
    return structure


def find_practitioner(store: Store, wanted: str) -> tuple[str, Practitioner]:
    practitioners = store.records(Practitioner)
    needle = wanted.strip().casefold()
    matches = [(pid, p) for pid, p in practitioners if p.name.casefold() == needle or pid == wanted]
    if not matches:
        matches = [(pid, p) for pid, p in practitioners if p.role.casefold() == needle]
    if len(matches) == 1:
        return matches[0]
    known = "; ".join(f"{p.name} ({p.role})" for _, p in practitioners) or "none registered"
    if not matches:
        raise BadInput(f"no practitioner called '{wanted}' in this review (known: {known})")
    raise BadInput(f"'{wanted}' matches {len(matches)} practitioners; use the exact name (known: {known})")


def chronology_visible(store: Store) -> bool:
    """May the analysis workspace show the chronology? True when blind mode is off, or every
    conversation (at least one) is agreed, or a reviewer has unlocked it with a reason."""
    found = store.one(Review)
    if found is not None and not found[1].blind_mode:
        return True
    conversations = store.records(Conversation)
    if conversations and all(conv.status == Status.AGREED for _, conv in conversations):
        return True
    return bool(store.records(ChronologyUnlock))


def chronology_entries(store: Store) -> list[tuple[str, ChronologyEntry]]:
    """The chronology in date order (callers check chronology_visible first)."""
    return sorted(store.records(ChronologyEntry), key=lambda item: (item[1].when, item[1].agency))


def name_guard_digests(store: Store) -> set[str]:
    """The digests of every word of a real name in the review's pseudonym map (domain/names.py)."""
    return {row[0] for row in store.conn.execute("SELECT digest FROM name_guard")}
