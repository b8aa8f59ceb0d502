"""Gentle writing checks for an account: wording that judges rather than explains, real names
that should have been pseudonyms, and lines the notes marked as coming from the reviewers. They
never block; they remind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lt_interview.domain.marks import marked_spans
from lt_interview.operations.names import find_guarded_names
from lt_interview.storage.store import Store
from lt_interview.typeup.model import Account
from lt_interview.typeup.parts import iter_parts
from lt_interview.typeup.versions import first_mark

# Phrase -> a gentle suggestion. Word boundaries are added around each phrase.
_EXPLAIN = "Could it say what they did and why it made sense at the time?"
_POSSIBLE = "Could it say what seemed possible and sensible then?"
_HINDSIGHT = "This may read with hindsight: what could be seen at the time?"
_CONDITIONS = "Could it describe the conditions they were working in?"
_LIKELY = "Could it say what made that course of action likely?"
_VERDICT = "Could it say what happened without a verdict?"

JUDGING_PHRASES: dict[str, str] = {
    "failed to": _EXPLAIN,
    "failure to": _EXPLAIN,
    "should have": _POSSIBLE,
    "should not have": _POSSIBLE,
    "shouldn't have": _POSSIBLE,
    "ought to have": _POSSIBLE,
    "could have prevented": _HINDSIGHT,
    "neglected": "Could it say what else was taking their time and attention?",
    "negligent": _CONDITIONS,
    "negligence": _CONDITIONS,
    "careless": _CONDITIONS,
    "error": _VERDICT,
    "errors": _VERDICT,
    "mistake": _VERDICT,
    "mistakes": _VERDICT,
    "fault": _LIKELY,
    "at fault": _LIKELY,
    "blame": _LIKELY,
    "to blame": _LIKELY,
    "poor practice": _LIKELY,
    "inexcusable": "Could it say how things looked from inside the situation?",
    "obviously": _HINDSIGHT,
    "obvious": _HINDSIGHT,
    "clearly missed": _HINDSIGHT,
    "missed the signs": _HINDSIGHT,
}

_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in
                     sorted(JUDGING_PHRASES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Notice:
    kind: str  # "wording", "name", "reviewers" or "versions"
    part_key: str
    section_title: str
    part_label: str
    start: int
    end: int
    message: str  # never contains a real name


def judging_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase as written) for each judging phrase in `text`."""
    return [(m.start(), m.end(), m.group(0)) for m in _PATTERN.finditer(text)]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _notices(account: Account, heading_title, kind: str, spans_of, message) -> list[Notice]:
    """A Notice for each (start, end) span `spans_of` finds in each part's text, worded by
    message(part, start, line, column)."""
    notices = []
    for part in iter_parts(account, heading_title):
        for start, end in spans_of(part.text):
            line, column = _line_col(part.text, start)
            notices.append(Notice(kind, part.key, part.section_title, part.label, start, end,
                                  message(part, start, end, line, column)))
    return notices


def wording_notices(account: Account, heading_title=lambda h: h) -> list[Notice]:
    def message(part, start, end, line, column) -> str:
        phrase = part.text[start:end]
        suggestion = JUDGING_PHRASES.get(" ".join(phrase.lower().split()), _EXPLAIN)
        return f"{part.label}, line {line} column {column}: “{phrase}” can read as judging. {suggestion}"

    return _notices(account, heading_title, "wording",
                    lambda text: [(start, end) for start, end, _ in judging_spans(text)], message)


def reviewer_notices(account: Account, heading_title=lambda h: h) -> list[Notice]:
    return _notices(account, heading_title, "reviewers", marked_spans, lambda part, start, end, line, column: (
        f"{part.label}, line {line}: the notes mark this as information from the reviewers, not "
        "the practitioner's own account. Could the account say so, or leave it out?"))


def guard_digests(store: Store) -> set[str]:
    return {row[0] for row in store.conn.execute("SELECT digest FROM name_guard")}


def name_notices(account: Account, review_id: str, digests: set[str], heading_title=lambda h: h) -> list[Notice]:
    if not digests:
        return []
    return _notices(account, heading_title, "name",
                    lambda text: find_guarded_names(text, review_id, digests),
                    lambda part, start, end, line, column: (
                        f"{part.label}, line {line} column {column}: this looks like a real name from the "
                        "pseudonym map; please use the pseudonym."))


def versions_notices(account: Account, heading_title=lambda h: h) -> list[Notice]:
    """Parts holding more than one version (or both reviewers' notes) after combining copies."""
    return _notices(account, heading_title, "versions", first_mark, lambda part, start, end, line, column: (
        f"{part.label}: this part holds both reviewers' texts, each under a line marked ⟦ ⟧. "
        "Combine them into one and delete the marked lines; until then the account cannot move on "
        "to the accuracy check."))


def all_notices(store: Store, account: Account, heading_title=lambda h: h) -> list[Notice]:
    return (versions_notices(account, heading_title)
            + name_notices(account, store.review_id, guard_digests(store), heading_title)
            + reviewer_notices(account, heading_title) + wording_notices(account, heading_title))
