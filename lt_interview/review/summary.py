"""What `review show` and the demo print about a review: its settings, case framework, people and
conversations."""

from __future__ import annotations

from dataclasses import dataclass

from lt_interview.domain.models import (
    CaseFramework, ChronologyEntry, Conversation, Practitioner, Review, Reviewer, Structure,
)
from lt_interview.review.practitioners import describe as describe_practitioner
from lt_interview.storage.lookups import review_record
from lt_interview.storage.store import Store


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
