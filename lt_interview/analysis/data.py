"""Everything the analysis reads from a review database, loaded once.

Practitioners are named by role (analysis/people.py). Episodes, factors, quotes, what went
well, queries and suggested changes come from each conversation's account (analysis/accounts.py):
the latest agreed version, or else the draft marked as such (DOMAIN.md §5.4); never the raw
notes. The chronology is loaded only when it is visible: in
blind mode, after every conversation is agreed or a reviewer has unlocked it
(storage/lookups.py, `chronology_visible(store)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lt_interview.analysis.accounts import AccountSource, Scope, account_sources, flatten
from lt_interview.analysis.loader import Loaded, load
from lt_interview.analysis.people import role_labels
from lt_interview.domain.models import CaseFramework, Conversation, Practitioner, Review
from lt_interview.domain.structure import MethodStructure
from lt_interview.storage.lookups import chronology_visible
from lt_interview.storage.store import Store

CAPTURE_KINDS = ("quote", "went_well", "query", "change", "divergence")
LIVE_KINDS = ("episode", "factor", "quote", "went_well", "query", "change")


@dataclass
class CaseData:
    store: Store
    review_id: str
    review: Review
    framework: CaseFramework | None
    structure: MethodStructure
    practitioners: list[tuple[str, Practitioner]]
    labels: dict[str, str]
    conversations: dict[str, Conversation]
    episodes: list[Loaded]
    factors: list[Loaded]
    links: list[Loaded]
    kpes: list[Loaded]
    mappings: list[Loaded]
    findings: list[Loaded]
    meetings: list[Loaded]
    divergences: list[Loaded]  # noted in conversations (few; the story of the case needs them at once)
    chronology: list[Loaded]
    chronology_visible: bool
    default_year: int | None
    accounts: dict[str, AccountSource] = field(default_factory=dict)
    scope: Scope = "all"
    aliases: dict[str, str] = field(default_factory=dict)  # captured Episode id -> account part id
    _notes: list[Loaded] | None = field(default=None, repr=False)
    _captures: dict[str, list[Loaded]] | None = field(default=None, repr=False)

    # --- lookups -----------------------------------------------------------------------

    def practitioner_of(self, conversation_id: str | None) -> str | None:
        conversation = self.conversations.get(conversation_id or "")
        return conversation.practitioner_id if conversation else None

    def label_of_conversation(self, conversation_id: str | None) -> str:
        label = self.labels.get(self.practitioner_of(conversation_id) or "", "Unknown practitioner")
        return f"{label} (follow-up conversation)" if self.is_follow_up(conversation_id) else label

    def is_follow_up(self, conversation_id: str | None) -> bool:
        """A later conversation with the same practitioner (Conversation.follow_up_of)."""
        conversation = self.conversations.get(conversation_id or "")
        return bool(conversation and conversation.follow_up_of)

    def is_draft(self, conversation_id: str | None) -> bool:
        """True unless the analysis reads an agreed version of this conversation's account."""
        source = self.accounts.get(conversation_id or "")
        return source is None or not source.agreed

    def account_label(self, conversation_id: str | None) -> str:
        source = self.accounts.get(conversation_id or "")
        return source.label if source is not None else "left out: not yet agreed"

    def episode_key(self, episode_id: str | None) -> str:
        """The account part id an analysis record's episode reference stands for (records
        written before accounts existed name the captured Episode record)."""
        return self.aliases.get(episode_id or "", episode_id or "")

    def episode(self, episode_id: str) -> Loaded | None:
        return self._episode_index.get(self.episode_key(episode_id))

    @property
    def _episode_index(self) -> dict[str, Loaded]:
        index = self.__dict__.get("_episode_index_cache")
        if index is None:
            index = {item.record_id: item for item in self.episodes}
            self.__dict__["_episode_index_cache"] = index
        return index

    # --- lazily loaded text --------------------------------------------------------------

    @property
    def notes(self) -> list[Loaded]:
        """The raw notes: for the audit trail and the reviewers' own look-ups, never for what
        the analysis shows as a practitioner's account, and never for an export."""
        if self._notes is None:
            self._notes = load(self.store, "note", validate=False, first_created=False)
        return self._notes

    @property
    def captures(self) -> dict[str, list[Loaded]]:
        """Quotes, what went well, queries and suggested changes from the accounts, and the
        divergences the reviewers noted (on the analysis screen only)."""
        assert self._captures is not None
        return {**self._captures, "divergence": self.divergences}

    def refresh_analysis(self) -> None:
        """Re-read the team's own records after a write."""
        self.links = load(self.store, "episode_link")
        self.kpes = load(self.store, "kpe")
        self.mappings = load(self.store, "pattern_mapping")
        self.findings = load(self.store, "finding")
        self.meetings = load(self.store, "meeting")


def load_case(store: Store, scope: Scope = "all") -> CaseData:
    """The case as the analysis reads it. `scope` picks the accounts: "all" (the analysis
    screen: every conversation, drafts and captured-only ones marked), "typed_up" (an export
    asked for drafts) or "agreed" (an export). Outside "all", the divergences the reviewers
    noted are left out too: they are working notes, never exported."""
    from lt_interview.storage.lookups import review_record, structure_of

    review_id, review = review_record(store)
    framework = store.one(CaseFramework)
    practitioners = [(item.record_id, item.record) for item in load(store, "practitioner")]
    conversations = {item.record_id: item.record for item in load(store, "conversation")}
    visible = chronology_visible(store)
    captured = {kind: load(store, kind) for kind in LIVE_KINDS} if scope == "all" else {}
    sources = account_sources(store, conversations, captured, scope)  # type: ignore[arg-type]
    flat = flatten(sources)
    divergences = [
        item if flat.aliases.get(item.record.episode_id or "") is None else  # type: ignore[attr-defined]
        Loaded(item.record_id, item.record.model_copy(update={
            "episode_id": flat.aliases[item.record.episode_id]}), item.conversation_id,  # type: ignore[attr-defined]
            item.created_at, item.conflict)
        for item in load(store, "divergence")] if scope == "all" else []
    data = CaseData(
        store=store, review_id=store.review_id or review_id, review=review,
        framework=framework[1] if framework else None, structure=structure_of(store),
        practitioners=practitioners, labels=role_labels(practitioners),  # type: ignore[arg-type]
        conversations=conversations,  # type: ignore[arg-type]
        episodes=flat.episodes, factors=flat.factors,
        links=load(store, "episode_link"), kpes=load(store, "kpe"),
        mappings=load(store, "pattern_mapping"), findings=load(store, "finding"),
        meetings=load(store, "meeting"), divergences=divergences,
        chronology=load(store, "chronology") if visible else [],
        chronology_visible=visible,
        default_year=_period_year(framework[1] if framework else None),
        accounts=sources, scope=scope, aliases=flat.aliases, _captures=flat.captures,
    )
    return data


def _period_year(framework: CaseFramework | None) -> int | None:
    if framework is None:
        return None
    for text in (framework.period_start, framework.period_end):
        found = re.search(r"\b(19|20)\d\d\b", text or "")
        if found:
            return int(found.group())
    return None
