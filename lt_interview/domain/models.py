"""The review's records as pydantic models. Never imports Textual.

Every user-authored record is stored as immutable revisions (storage/revisions.py); the
models here are the revision bodies; domain/record_kinds.py maps each record kind to its model.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from lt_interview.domain.lifecycle import Status
from lt_interview.domain.text import SafeLine, SafeText

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class Record(BaseModel):
    """Base of every stored record. `kind` names the revision kind."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)
    kind: ClassVar[str] = ""
    # Records that belong to one conversation travel in that conversation's file.
    conversation_scoped: ClassVar[bool] = False


# --- the review and its framework -------------------------------------------------------

REVIEW_TYPES = {
    "SCR": "Serious case review",
    "LCSPR": "Local child safeguarding practice review",
    "SAR": "Safeguarding adults review",
    "rapid": "Rapid review",
    "national": "National review",
    "CMR": "Case management review",
    "learning": "Learning review",
    "SUSR": "Single unified safeguarding review",
}


class Review(Record):
    kind: ClassVar[str] = "review"
    name: SafeLine = Field(min_length=1)
    slug: str = ""
    review_type: Literal["SCR", "LCSPR", "SAR", "rapid", "national", "CMR", "learning", "SUSR"] = "LCSPR"
    commissioner_term: SafeLine = "partnership"  # "questions for the partnership" / "Board"
    guiding_question: SafeText = ""
    variant: SafeLine = "full"
    blind_mode: bool = True
    retain_until: date | None = None
    legal_hold: bool = False
    lawful_basis: SafeLine = ""

    def model_post_init(self, __context: object) -> None:
        if not self.slug:
            from slugify import slugify  # not on converse's start-up (3 ms of imports)

            self.slug = slugify(self.name, max_length=60) or "review"


class HouseholdMember(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pseudonym: SafeLine = Field(min_length=1)
    relationship: SafeLine = ""  # "mother", "mother's partner"...


class CaseFramework(Record):
    """The only case facts a conversation may show (blind mode)."""

    kind: ClassVar[str] = "framework"
    children: list[HouseholdMember] = []
    household: list[HouseholdMember] = []
    agencies: list[SafeLine] = []
    period_start: SafeLine = ""  # free text: "April 2023"
    period_end: SafeLine = ""


class Reviewer(Record):
    kind: ClassVar[str] = "reviewer"
    name: SafeLine = Field(min_length=1)
    role: SafeLine = "Lead reviewer"


PARTICIPANT_TYPES = {"practitioner": "Practitioner", "family member": "Family member"}


class Practitioner(Record):
    """Someone the reviewers hold a conversation with: usually a practitioner; a family member
    takes part the same way (participant_type "family member", role "Mother", no agency), with
    the family variant of the conversation structure (domain/structure.py)."""

    kind: ClassVar[str] = "practitioner"
    name: SafeLine = Field(min_length=1)  # how the review team refers to them; never exported
    role: SafeLine = Field(min_length=1)  # "Health visitor", "Grandmother": how outputs name them
    agency: SafeLine = ""
    information_sent: bool = False
    consent: bool = False
    support_needs: SafeLine = ""
    participant_type: Literal["practitioner", "family member"] = "practitioner"

    @property
    def is_family(self) -> bool:
        return self.participant_type == "family member"


class Conversation(Record):
    kind: ClassVar[str] = "conversation"
    conversation_scoped: ClassVar[bool] = True
    practitioner_id: Id
    lead_reviewer_id: Id | None = None
    notetaker_id: Id | None = None
    held_on: date | None = None
    status: Status = Status.PLANNED
    # ISO dates of each status change that matters ("sent_for_checking": "2026-11-20").
    status_dates: dict[str, date] = {}
    follow_up_of: Id | None = None


# --- what is captured in a conversation -------------------------------------------------


class ConversationPart(Record):
    conversation_scoped: ClassVar[bool] = True
    conversation_id: Id


class Note(ConversationPart):
    """One author's running notes for one section (a stage, or a stage within an episode).

    Lines that begin with a time stamp ("14:05 ") were written at that time.
    """

    kind: ClassVar[str] = "note"
    stage_id: Id
    episode_id: Id | None = None
    author_id: Id
    text: SafeText = ""


class Episode(ConversationPart):
    """A turning point as the practitioner recalls it; not the review's KPE list."""

    kind: ClassVar[str] = "episode"
    title: SafeLine = Field(min_length=1)
    when: SafeLine = ""  # "early summer 2024", "after the strategy discussion"
    position: int = 0  # order the practitioner named them in
    knew: SafeText = ""
    thought: SafeText = ""
    felt: SafeText = ""
    did: SafeText = ""
    why_it_made_sense: SafeText = ""
    helped: SafeText = ""
    hindered: SafeText = ""
    source_excerpt: SafeText = ""


class FactorTag(ConversationPart):
    kind: ClassVar[str] = "factor"
    heading_id: Id
    item: SafeLine = ""  # one of the heading's framework items, or empty
    text: SafeText = ""
    episode_id: Id | None = None


class Quote(ConversationPart):
    kind: ClassVar[str] = "quote"
    text: SafeText = Field(min_length=1)
    stage_id: Id | None = None
    episode_id: Id | None = None


class WentWell(ConversationPart):
    kind: ClassVar[str] = "went_well"
    text: SafeText = Field(min_length=1)
    episode_id: Id | None = None


class Query(ConversationPart):
    """A reviewers' query, or a question to return to later in the conversation."""

    kind: ClassVar[str] = "query"
    question: SafeText = Field(min_length=1)
    answer: SafeText = ""
    return_to: bool = True  # still to return to during the conversation
    from_reviewers: bool = False  # raised from the reviewers' wider view, not the practitioner
    episode_id: Id | None = None


class SuggestedChange(ConversationPart):
    kind: ClassVar[str] = "change"
    text: SafeText = Field(min_length=1)


class NotedDivergence(ConversationPart):
    """Where this practitioner saw something differently from another account the reviewers
    have heard (DOMAIN.md §7.1, §13.3). A reviewers' working note for the story of the case:
    it is not part of the typed-up account sent to the practitioner for checking, because it
    refers to someone else's account."""

    kind: ClassVar[str] = "divergence"
    text: SafeText = Field(min_length=1)  # how this practitioner saw it
    differs_from: SafeLine = ""  # whose account differs, by role or agency, never a name
    stage_id: Id | None = None
    episode_id: Id | None = None


# --- review-only records ----------------------------------------------------------------


class ChronologyEntry(Record):
    """An agency record of what happened. Held only in review databases, never in a
    conversation file, and hidden from conversation screens (blind mode)."""

    kind: ClassVar[str] = "chronology"
    when: date  # the day; or the first day of the month or year given in `when_text`
    when_text: SafeLine = ""  # only the month or year is known, as the agency wrote it ("2024-03")
    agency: SafeLine = Field(min_length=1)
    event: SafeText = Field(min_length=1)


class ChronologyUnlock(Record):
    """A reviewer's recorded decision to show the chronology before every account is agreed.
    Review-only: never in a conversation file."""

    kind: ClassVar[str] = "chronology_unlock"
    reason: SafeText = Field(min_length=1)
    by: SafeLine = ""


class Structure(Record):
    """The review's frozen copy of the method files (see domain/structure.py)."""

    kind: ClassVar[str] = "structure"
    version: SafeLine
    data: dict  # validated by domain.structure.MethodStructure


class Role(str, Enum):
    NOTES = "notes"
    LEAD = "lead"
