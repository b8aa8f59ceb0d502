"""Record kinds the review team writes in the analysis workspace (DOMAIN.md §7).

They live only in the review database and are stored as revisions like every other record,
so two reviewers' analysis merges without loss and concurrent edits show as conflicts.

Bias tags belong to the *explanation* of a key practice episode (DOMAIN.md §7.6): there is
deliberately no field anywhere that attaches a bias to a practitioner.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from lt_interview.domain.models import Id, Record
from lt_interview.domain.text import SafeLine, SafeText

# Built on first use (pydantic defer_build): these kinds are not needed when a conversation
# starts, and every record kind is imported with the table (domain/record_kinds.py).
LATE = ConfigDict(defer_build=True)

EvidenceKind = Literal["excerpt", "episode", "chronology", "note"]
Appraisal = Literal["good", "problematic", "mixed"]

APPRAISAL_LABELS = {"good": "Good", "problematic": "Problematic", "mixed": "Mixed"}
EVIDENCE_LABELS = {
    "excerpt": "Conversation excerpt",
    "episode": "Practitioner's episode",
    "chronology": "Chronology entry",
    "note": "Conversation notes",
}


class Evidence(BaseModel):
    """One piece of evidence: a reference to a record and, optionally, the words relied on."""

    model_config = ConfigDict(defer_build=True, extra="forbid")
    kind: EvidenceKind
    ref_id: Id | None = None
    excerpt: SafeText = ""


class EpisodeLink(Record):
    """Practitioners' episodes the team sees as the same event, seen by several people."""

    model_config = LATE
    kind: ClassVar[str] = "episode_link"
    episode_ids: list[Id] = Field(min_length=2)
    label: SafeLine = ""
    note: SafeText = ""


class KeyPracticeEpisode(Record):
    model_config = LATE
    kind: ClassVar[str] = "kpe"
    number: int = Field(ge=1)
    period: SafeLine = ""
    title: SafeLine = Field(min_length=1)
    description: SafeText = ""
    practitioner_ids: list[Id] = []
    evidence: list[Evidence] = []
    appraisal: Appraisal | None = None
    appraisal_rationale: SafeText = ""
    standard: SafeText = ""  # the standard, guidance or research referred to
    explanation: SafeText = ""
    factor_ids: list[Id] = []  # heading ids, or Heading.item_id(item) for framework items
    bias_ids: list[Id] = []  # tags on the explanation, never on a person


class PatternMapping(Record):
    """An explanation mapped to one of the six typology categories."""

    model_config = LATE
    kind: ClassVar[str] = "pattern_mapping"
    kpe_id: Id
    category_id: Id
    rationale: SafeText = ""


class Finding(Record):
    model_config = LATE
    kind: ClassVar[str] = "finding"
    title: SafeLine = Field(min_length=1)  # the statement: a general, system-level claim
    summary: SafeText = ""
    how_it_showed: SafeText = ""
    kpe_ids: list[Id] = []
    evidence: list[Evidence] = []
    why_not_one_off: SafeText = ""
    why_it_matters: SafeText = ""
    board_questions: list[SafeText] = []
    category_ids: list[Id] = []
    priority: int = Field(default=0, ge=0)  # 1 is the highest; 0 not yet prioritised


MeetingType = Literal["review_team", "case_group_1", "case_group_2", "case_group", "other"]
MEETING_TYPE_LABELS = {
    "review_team": "Review-team meeting",
    # The two joint meetings with the case group (DOMAIN.md §3.2; Guide 24's follow-on meetings).
    "case_group_1": "First meeting with the case group (the emerging analysis)",
    "case_group_2": "Second meeting with the case group (underlying patterns and findings)",
    "case_group": "Meeting with the case group",
    "other": "Other meeting",
}
CASE_GROUP_MEETINGS = ("case_group_1", "case_group_2", "case_group")


class Meeting(Record):
    """A review-team meeting or a joint meeting with the case group (DOMAIN.md §3.2, §13.10):
    what was presented, the feedback, and what changed because of it. Who attended is written
    by role or agency: there is no field for names."""

    model_config = LATE
    kind: ClassVar[str] = "meeting"
    held_on: date
    meeting_type: MeetingType = "review_team"
    title: SafeLine = ""
    attended: SafeLine = ""  # roles or agencies, never names
    presented: SafeText = ""
    handouts: list[SafeLine] = []  # what was handed out (file names of handouts made from the analysis)
    feedback: SafeText = ""
    changed: SafeText = ""


ANALYSIS_KINDS = (EpisodeLink, KeyPracticeEpisode, PatternMapping, Finding, Meeting)
