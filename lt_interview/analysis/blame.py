"""Where the review team's own writing can read as blame or hindsight (domain/wording.py):
the KPE register, the findings and their questions for the board, and the meeting records.
Used by the analysis forms (a gentle reminder after saving) and the exports (one warning line
listing the places). Never a block. Evidence excerpts are the practitioners' words and are left
alone."""

from __future__ import annotations

from collections.abc import Sequence

from lt_interview.domain.analysis import Finding, KeyPracticeEpisode, Meeting
from lt_interview.domain.wording import Place, places

KPE_FIELDS = (("title", "title"), ("description", "description"), ("appraisal_rationale", "rationale"),
              ("standard", "standard"), ("explanation", "explanation"))
FINDING_FIELDS = (("title", "statement"), ("summary", "summary"), ("how_it_showed", "how it showed"),
                  ("why_not_one_off", "why it is not a one-off"), ("why_it_matters", "why it matters"))


def kpe_places(fields: dict, label: str = "KPE") -> list[Place]:
    """`fields` as a KPE's (a form's values or a record's model_dump())."""
    return places([(f"{label}, {name}", str(fields.get(key) or "")) for key, name in KPE_FIELDS])


def finding_places(fields: dict, label: str = "Finding", board: str = "board") -> list[Place]:
    found = [(f"{label}, {name}", str(fields.get(key) or "")) for key, name in FINDING_FIELDS]
    found += [(f"{label}, question for the {board} {number}", question)
              for number, question in enumerate(fields.get("board_questions") or [], start=1)]
    return places(found)


def meeting_places(meeting: Meeting, label: str = "Meeting") -> list[Place]:
    """What the review team wrote about a meeting (the feedback is others' words, left alone)."""
    return places([(f"{label}, what was presented", meeting.presented), (f"{label}, what changed", meeting.changed)])


def analysis_places(kpes: list[tuple[str, KeyPracticeEpisode]], findings: list[tuple[str, Finding]],
                    board: str = "board", meetings: Sequence[tuple[str, Meeting]] = ()) -> list[Place]:
    """Every place in the KPE register, the findings and the meetings, in that order."""
    found: list[Place] = []
    for _, kpe in kpes:
        found += kpe_places(kpe.model_dump(), f"KPE {kpe.number}")
    for number, (_, finding) in enumerate(findings, start=1):
        found += finding_places(finding.model_dump(), f"Finding {finding.priority or number}", board)
    for _, meeting in meetings:
        found += meeting_places(meeting, f"Meeting of {meeting.held_on.isoformat()}")
    return found


def export_reminder(model, limit: int = 6) -> str:
    """One line for the export command: where the KPE register and findings hold wording that
    can read as blame ("" when nowhere). The pack is written all the same."""
    board = model.data.review.commissioner_term
    found = analysis_places(model.kpes(), model.findings(), board, model.meetings())
    if not found:
        return ""
    shown = "; ".join(place.line() for place in found[:limit])
    more = f"; and {len(found) - limit} more" if len(found) > limit else ""
    return (f"Reminder: some wording can read as blame or hindsight ({shown}{more}). Consider describing what "
            "happened and why it made sense at the time (the pack was written all the same).")
