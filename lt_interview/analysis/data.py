"""Everything the analysis reads from a review database, loaded once.

Practitioners are named by role (analysis/people.py). Accounts whose conversation is not yet
agreed are drafts (DOMAIN.md §5.4). The chronology is loaded only when it is visible: in
blind mode, after every conversation is agreed or a reviewer has unlocked it
(operations/chronology.py, `chronology_visible(store)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lt_interview.analysis.loader import Loaded, load
from lt_interview.analysis.people import role_labels
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import CaseFramework, Conversation, Practitioner, Review
from lt_interview.domain.structure import MethodStructure
from lt_interview.storage.store import Store

CAPTURE_KINDS = ("quote", "went_well", "query", "change", "divergence")


def chronology_visible(store: Store) -> bool:
    """Ask the chronology module; without it (not built yet) the chronology stays hidden."""
    try:
        from lt_interview.operations.chronology import chronology_visible as visible
    except ImportError:
        return False
    return bool(visible(store))


def chronology_unlocker(store: Store):
    """The chronology module's unlock function, if it has one: unlock(store, reason)."""
    try:
        from lt_interview.operations import chronology
    except ImportError:
        return None
    for name in ("unlock_chronology", "unlock"):
        function = getattr(chronology, name, None)
        if callable(function):
            return function
    return None


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
        conversation = self.conversations.get(conversation_id or "")
        return conversation is None or conversation.status != Status.AGREED

    def episode(self, episode_id: str) -> Loaded | None:
        return self._episode_index.get(episode_id)

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
        if self._notes is None:
            self._notes = load(self.store, "note", validate=False, first_created=False)
        return self._notes

    @property
    def captures(self) -> dict[str, list[Loaded]]:
        if self._captures is None:
            self._captures = {kind: self.divergences if kind == "divergence" else
                              load(self.store, kind, first_created=False) for kind in CAPTURE_KINDS}
        return self._captures

    def refresh_analysis(self) -> None:
        """Re-read the team's own records after a write."""
        self.links = load(self.store, "episode_link")
        self.kpes = load(self.store, "kpe")
        self.mappings = load(self.store, "pattern_mapping")
        self.findings = load(self.store, "finding")
        self.meetings = load(self.store, "meeting")


def load_case(store: Store) -> CaseData:
    from lt_interview.operations.review import review_record, structure_of

    review_id, review = review_record(store)
    framework = store.one(CaseFramework)
    practitioners = [(item.record_id, item.record) for item in load(store, "practitioner")]
    conversations = {item.record_id: item.record for item in load(store, "conversation")}
    visible = chronology_visible(store)
    data = CaseData(
        store=store, review_id=store.review_id or review_id, review=review,
        framework=framework[1] if framework else None, structure=structure_of(store),
        practitioners=practitioners, labels=role_labels(practitioners),  # type: ignore[arg-type]
        conversations=conversations,  # type: ignore[arg-type]
        episodes=load(store, "episode"), factors=load(store, "factor"),
        links=load(store, "episode_link"), kpes=load(store, "kpe"),
        mappings=load(store, "pattern_mapping"), findings=load(store, "finding"),
        meetings=load(store, "meeting"), divergences=load(store, "divergence"),
        chronology=load(store, "chronology") if visible else [],
        chronology_visible=visible,
        default_year=_period_year(framework[1] if framework else None),
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
