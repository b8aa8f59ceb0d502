"""Setting up a review database and reading it back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from lt_interview.domain.ids import Clock, new_id, system_clock
from lt_interview.domain.models import (
    CaseFramework, ChronologyEntry, Conversation, Practitioner, Review, Reviewer, Structure,
)
from lt_interview.domain.structure import MethodStructure, load_structure, structure_from_data
from lt_interview.domain.text import clean_line
from lt_interview.errors import BadInput, describe_validation
from lt_interview.operations.names import name_digest, name_tokens
from lt_interview.operations.people import describe as describe_practitioner
from lt_interview.storage.store import REVIEW, Store

if TYPE_CHECKING:  # its pydantic models are built only when a review is created (not on converse's start-up)
    from lt_interview.operations.framework_file import FrameworkFile


def create_review(path: Path, passphrase: str, *, name: str | None = None,
                  framework: FrameworkFile | Path | None = None,
                  structure: MethodStructure | None = None, actor: str = "",
                  clock: Clock = system_clock) -> Store:
    """Create a review database holding the framework and a frozen copy of the structure."""
    from lt_interview.operations.framework_file import FrameworkFile, load_framework_file

    if isinstance(framework, (str, Path)):
        framework = load_framework_file(Path(framework))
    framework = framework or FrameworkFile()
    structure = structure or load_structure()
    name = clean_line(name or framework.review.name or "")  # as the model will hold it: "  " is no name
    if not name:
        raise BadInput("the review needs a name (--name), and a blank one is not a name")
    try:
        review = Review(name=name, **framework.review.model_dump(exclude={"name"}))
    except ValidationError as exc:
        raise BadInput(f"review settings: {describe_validation(exc)}") from None
    review_id = new_id()
    store = Store.create(Path(path), passphrase, file_kind=REVIEW, review_id=review_id,
                         actor_id=actor, clock=clock)
    try:
        with store.transaction():
            store.put(review, review_id)
            store.put(CaseFramework(**framework.framework.model_dump()))
            store.put(Structure(version=structure.version, data=structure.model_dump(mode="json")))
            for entry in framework.reviewer:
                store.put(Reviewer(**entry.model_dump()))
            for entry in framework.practitioner:
                store.put(Practitioner(**entry.model_dump()))
            for entry in framework.pseudonym:
                add_pseudonym(store, entry.pseudonym, entry.real_name, entry.category)
    except BaseException:
        store.close()
        Path(path).unlink(missing_ok=True)
        Path(str(path) + "-wal").unlink(missing_ok=True)
        raise
    return store


def add_pseudonym(store: Store, pseudonym: str, real_name: str, category: str = "family") -> None:
    """The pseudonym map lives only in the review database; conversation files get digests."""
    from lt_interview.domain.text import clean_line

    with store.transaction():
        store.db["pseudonym_map"].insert({
            "entry_id": new_id(), "pseudonym": clean_line(pseudonym),
            "real_name": clean_line(real_name), "category": clean_line(category),
        })
        for token in name_tokens(real_name):
            store.db["name_guard"].upsert({"digest": name_digest(store.review_id, token)}, pk="digest")
        store.audit("pseudonym.add", detail={"count": 1})


@dataclass
class ReviewSummary:
    review: Review
    framework: CaseFramework | None
    reviewers: list[tuple[str, Reviewer]]
    practitioners: list[tuple[str, Practitioner]]
    conversations: list[tuple[str, Conversation]]
    chronology_entries: int
    revisions: int
    conflicts: int
    structure_version: str


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


def summarise(store: Store) -> ReviewSummary:
    _, review = review_record(store)
    framework = store.one(CaseFramework)
    structure = store.one(Structure)
    return ReviewSummary(
        review=review,
        framework=framework[1] if framework else None,
        reviewers=store.records(Reviewer),
        practitioners=store.records(Practitioner),
        conversations=store.records(Conversation),
        chronology_entries=len(store.current(ChronologyEntry.kind)),
        revisions=store.count_revisions(),
        conflicts=len(store.conflicts()),
        structure_version=structure[1].version if structure else "(shipped)",
    )


def render_summary(summary: ReviewSummary, *, show_chronology_count: bool = True) -> str:
    review, framework = summary.review, summary.framework
    lines = [
        f"Review: {review.name}",
        f"  Type: {review.review_type} ({review.variant})   Questions for the {review.commissioner_term}",
        f"  Blind mode: {'on' if review.blind_mode else 'off'}   "
        f"Retain until: {review.retain_until or 'not set'}   Legal hold: {'yes' if review.legal_hold else 'no'}",
    ]
    if review.guiding_question:
        lines.append(f"  Guiding question: {review.guiding_question}")
    lines.append(f"  Lawful basis: {review.lawful_basis or 'not recorded'}")
    if framework:
        children = ", ".join(member.pseudonym for member in framework.children) or "none recorded"
        household = ", ".join(
            f"{m.pseudonym} ({m.relationship})" if m.relationship else m.pseudonym for m in framework.household
        ) or "none recorded"
        lines += [
            "Case framework:",
            f"  Children: {children}",
            f"  Household: {household}",
            f"  Agencies: {', '.join(framework.agencies) or 'none recorded'}",
            f"  Period: {framework.period_start or '?'} to {framework.period_end or '?'}",
        ]
    lines.append(f"Reviewers ({len(summary.reviewers)}):")
    lines += [f"  {r.name}, {r.role}" for _, r in summary.reviewers]
    names = {pid: p for pid, p in summary.practitioners}
    lines.append(f"Practitioners ({len(summary.practitioners)}):")
    lines += [f"  {describe_practitioner(p)}" for _, p in summary.practitioners]
    lines.append(f"Conversations ({len(summary.conversations)}):")
    for _, conversation in summary.conversations:
        who = names.get(conversation.practitioner_id)
        label = f"{who.name} ({who.role})" if who else "unknown practitioner"
        when = f", {conversation.held_on}" if conversation.held_on else ""
        lines.append(f"  {label}: {conversation.status.label.lower()}{when}")
    if show_chronology_count:
        lines.append(f"Chronology entries: {summary.chronology_entries} (shown only in the analysis workspace)")
    lines.append(f"Structure: edition {summary.structure_version}   Revisions: {summary.revisions}   "
                 f"Conflicts: {summary.conflicts}")
    return "\n".join(lines)
