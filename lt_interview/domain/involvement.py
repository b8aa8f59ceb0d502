"""The case group's part in the review and the family's (DOMAIN.md §2, §3.2, §5.1), as records
in the review database, stored as revisions and merged like every other record:

- `ReportCheck`: the case group's check of the draft report (when it was sent, who checked it, by
  role or agency, their comments, the outcome and what changed).
- `FamilyInvolvement`: how a family member was informed about the review and involved in it
  (when and how informed, whether they took part and how, their views as recorded).

The two joint meetings with the case group are `Meeting` records (domain/analysis.py) of type
"case_group_1" and "case_group_2". Nothing here holds a real name: people are written by role,
relationship or the case framework's pseudonym, and the exports' real-name guard checks every
text as usual. Recording and describing them: analysis/involvement.py.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import ConfigDict, Field

from lt_interview.domain.models import Record
from lt_interview.domain.text import SafeLine, SafeText

# Built on first use (pydantic defer_build): these kinds are not needed when a conversation
# starts, and every record kind is imported with the table (domain/record_kinds.py).
LATE = ConfigDict(defer_build=True)

ReportOutcome = Literal["awaiting", "agreed", "agreed_with_changes", "disagreement_recorded"]
REPORT_OUTCOME_LABELS = {
    "awaiting": "Awaiting comments",
    "agreed": "Agreed as accurate",
    "agreed_with_changes": "Agreed once changes were made",
    "disagreement_recorded": "A different view recorded in the report",
}

TookPart = Literal["not_yet_asked", "considering", "yes", "declined", "not_appropriate"]
TOOK_PART_LABELS = {
    "not_yet_asked": "Not yet asked",
    "considering": "Considering it",
    "yes": "Took part",
    "declined": "Declined",
    "not_appropriate": "Not appropriate to involve",
}


class ReportCheck(Record):
    """The case group's check of the draft report before it goes to the commissioner."""

    model_config = LATE
    kind: ClassVar[str] = "report_check"
    draft: SafeLine = ""  # which draft: "Draft 2, 3 June 2026"
    sent_on: date
    checked_by: SafeLine = ""  # roles or agencies, never names
    comments: SafeText = ""
    outcome: ReportOutcome = "awaiting"
    changes_made: SafeText = ""


class FamilyInvolvement(Record):
    """How one family member was informed about the review and involved in it."""

    model_config = LATE
    kind: ClassVar[str] = "family_involvement"
    member: SafeLine = Field(min_length=1)  # relationship and pseudonym, as in the case framework
    informed_on: date | None = None
    informed_how: SafeLine = ""  # "letter from the lead reviewer, then a home visit"
    took_part: TookPart = "not_yet_asked"
    how_took_part: SafeLine = ""  # "a conversation at home", "written views", "met the lead reviewers"
    views: SafeText = ""  # their views as recorded, in their words where possible
    fed_back: SafeText = ""  # how the findings were shared with them, and their response


INVOLVEMENT_KINDS = (ReportCheck, FamilyInvolvement)
