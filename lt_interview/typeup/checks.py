"""Gentle writing checks for an account: wording that judges rather than explains, real names
that should have been pseudonyms, and lines the notes marked as coming from the reviewers. They
never block; they remind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lt_interview.domain import wording
from lt_interview.domain.account import Account
from lt_interview.domain.marks import marked_spans
from lt_interview.domain.models import Practitioner, Reviewer
from lt_interview.domain.names import find_guarded_names, words_as_written
from lt_interview.storage.lookups import name_guard_digests
from lt_interview.storage.store import Store
from lt_interview.domain.account_parts import iter_parts
from lt_interview.typeup.versions import first_mark

# The phrase list and the check live in domain/wording.py (data in prompts/wording.toml), shared
# with the analysis forms and the exports.
JUDGING_PHRASES: dict[str, str] = wording.phrases()


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
    """(start, end, phrase as written) for each phrase in `text` that can read as judging."""
    return [(hit.start, hit.end, hit.phrase) for hit in wording.blame_hits(text)]


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
    """Wording that can read as judging; the practitioner's quoted words are their own and left alone."""
    notices = []
    for part in iter_parts(account, heading_title):
        if "_quote:" in part.key:
            continue
        for hit in wording.blame_hits(part.text):
            line, column = _line_col(part.text, hit.start)
            notices.append(Notice("wording", part.key, part.section_title, part.label, hit.start, hit.end,
                                  f"{part.label}, line {line} column {column}: {hit.message}"))
    return notices


def reviewer_notices(account: Account, heading_title=lambda h: h) -> list[Notice]:
    return _notices(account, heading_title, "reviewers", marked_spans, lambda part, start, end, line, column: (
        f"{part.label}, line {line}: the notes mark this as information from the reviewers, not "
        "the practitioner's own account. Could the account say so, or leave it out?"))


def name_notices(account: Account, review_id: str, digests: set[str], heading_title=lambda h: h) -> list[Notice]:
    if not digests:
        return []
    return _notices(account, heading_title, "name",
                    lambda text: find_guarded_names(text, review_id, digests),
                    lambda part, start, end, line, column: (
                        f"{part.label}, line {line} column {column}: this looks like a real name from the "
                        "pseudonym map; please use the pseudonym."))


# --- the names of the people in the file: the practitioner and the reviewers ------------------
#
# The file holds their names in plain text (the team refers to them by name among themselves),
# so they are matched directly: whole words, any case. A name that is also an ordinary English
# word ("Robin", "Mark", "Will", "Hill") would be flagged in ordinary sentences, so such a word
# counts only next to another part of the same person's name ("Robin Ashdown") or written with
# a capital in the middle of a sentence ("we spoke to Robin").

# Titles, and words of the method, roles and agencies, are never part of what is matched.
_TITLES = frozenset("dr mr mrs ms miss mx pc dc ds di sgt prof rev sir dame lady lord".split())
# Ordinary English words that are also given names or surnames.
ORDINARY_WORDS = frozenset("""
april august june may march summer autumn winter spring dawn eve noon
amber angel berry bill bird black bloom brook brown bunny bush butler candy carter chance
charity chase clay cliff cook crane crow dale day dean dell duke earl ernest fair faith
field fields fisher ford forest fox frank free gardener gay gem glen golden grace green
guy hall hardy harper hart hay heath heather herb hill holly hope hunter iris ivy jack
jay jewel joy judge june king knight lake lamb lane lark laurel lee long love lucky mark
marsh mason may meadow mercy miles mill miller moon moore morning nick north olive page
park parker pat pearl penny pepper pine piper poppy porter pound price prince rain ray
reed rich rivers robin rock rose rowan ruby rush sage savage scott sharp shepherd short
sky smart snow sparrow spencer stone storm strong summer sunny swan sweet taylor temple
terry thorn towns trinity true turner violet wade walker ward warren waters wells west
white will willow winter wise wolf wood woods worth wren young
""".split())
_MONTHS_AND_DAYS = frozenset("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split())
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n“\"‘(]\s*)$")


_SHORT_WORDS = frozenset("an as at be by do go he if in is it me my no of on or so to up us we".split())


@dataclass(frozen=True)
class Person:
    whose: str  # "practitioner", "other practitioner" or "reviewer": never the name itself
    tokens: frozenset[str]  # the name's words, casefolded, without titles or method words


def people_in(store: Store) -> list[Person]:
    """The practitioners and reviewers whose names the file holds, with titles and the words
    of the method, their roles and their agencies left out (a "Health visitor" is no name)."""
    from lt_interview.export.guard import NOT_NAMES  # the exports' list of method words

    practitioners = store.records(Practitioner)
    reviewers = store.records(Reviewer)
    common = set(NOT_NAMES) | _TITLES
    everyone: list[tuple[str, Practitioner | Reviewer]] = [*practitioners, *reviewers]
    for _, record in everyone:
        common |= _words(f"{record.role} {getattr(record, 'agency', '')}")
    own = store.meta("practitioner_id") or ""
    people = [Person("practitioner" if pid == own else "other practitioner", _words(p.name) - common)
              for pid, p in practitioners]
    people += [Person("reviewer", _words(r.name) - common) for _, r in reviewers]
    return [p for p in people if p.tokens]


def _words(text: str) -> frozenset[str]:
    return frozenset(folded for _, _, _, folded in words_as_written(text or "")
                     if len(folded) >= 2 and not _JOINED.search(folded))


_JOINED = re.compile(r"['’-]")


def _counts(text: str, words: list[tuple[int, int, str, str]], index: int, person: Person) -> bool:
    """Whether the word at `index` is used as this person's name (see the note above)."""
    start, _, word, key = words[index]
    if len(key) < 3:  # "Jo": only capitalised, and never a common two-letter word
        return word[:1].isupper() and key not in _SHORT_WORDS
    if key not in ORDINARY_WORDS:
        return True
    neighbours = {folded for _, _, _, folded in words[max(index - 1, 0):index] + words[index + 1:index + 2]}
    if neighbours & (person.tokens - {key}):
        return True
    return (word[:1].isupper() and not word.isupper() and key not in _MONTHS_AND_DAYS
            and not _SENTENCE_END.search(text[:start]))


def people_spans(text: str, people: list[Person]) -> list[tuple[int, int, str]]:
    """(start, end, whose) for each word of `text` used as a registered person's name."""
    words = list(words_as_written(text))
    found: dict[tuple[int, int], str] = {}
    for index, (start, end, _, folded) in enumerate(words):
        for person in people:
            if folded in person.tokens and _counts(text, words, index, person):
                found.setdefault((start, end), person.whose)
                break
    return sorted((start, end, whose) for (start, end), whose in found.items())


PERSON_ADVICE = {
    "practitioner": "this looks like the practitioner's own name; the account calls them “you” or by their role.",
    "other practitioner": "this looks like a practitioner's name; please use their role.",
    "reviewer": "this looks like a reviewer's name; please say “we” or “the reviewers”.",
}


def people_notices(account: Account, people: list[Person], heading_title=lambda h: h) -> list[Notice]:
    if not people:
        return []
    return _notices(account, heading_title, "name",
                    lambda text: [(start, end) for start, end, _ in people_spans(text, people)],
                    lambda part, start, end, line, column: (
                        f"{part.label}, line {line} column {column}: "
                        + PERSON_ADVICE[next(w for s, e, w in people_spans(part.text, people) if s == start)]))


def versions_notices(account: Account, heading_title=lambda h: h) -> list[Notice]:
    """Parts holding more than one version (or both reviewers' notes) after combining copies."""
    return _notices(account, heading_title, "versions", first_mark, lambda part, start, end, line, column: (
        f"{part.label}: this part holds both reviewers' texts, each under a line marked ⟦ ⟧. "
        "Combine them into one and delete the marked lines; until then the account cannot move on "
        "to the accuracy check."))


def all_notices(store: Store, account: Account, heading_title=lambda h: h) -> list[Notice]:
    return (versions_notices(account, heading_title)
            + name_notices(account, store.review_id, name_guard_digests(store), heading_title)
            + people_notices(account, people_in(store), heading_title)
            + reviewer_notices(account, heading_title) + wording_notices(account, heading_title))
