"""Full-text search across every conversation's account: its episodes, contributory factors,
quotes, what went well, queries, suggested changes and overview (the agreed version, or a draft
marked as such), and the divergences the reviewers noted. The raw notes are not searched: they
stay in the file for the audit trail, and may hold what the agreed account left out.

A careful scan of the current records rather than an FTS table: nothing derived is written
to the review database (no schema change, nothing for a merge to check), and a review's
text is small enough (100 conversations of 500 notes scan in well under a second). Every
word of the query must appear (case- and accent-insensitive) in the same field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lt_interview.analysis.data import CaseData
from lt_interview.domain.episode_fields import EPISODE_FIELD_NAMES

CAPTURE_FIELDS = {"quote": ("text",), "went_well": ("text",), "query": ("question", "answer"),
                  "change": ("text",), "factor": ("item", "text"), "divergence": ("text", "differs_from")}
KIND_LABELS = {"overview": "Overview", "episode": "Episode", "factor": "Contributory factor", "quote": "Quote",
               "went_well": "What went well", "query": "Query", "change": "Suggested change",
               "divergence": "Divergence"}
SNIPPET = 60


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: str
    conversation_id: str | None
    who: str
    field: str
    snippet: str
    match_start: int  # span of the first matched word inside `snippet`
    match_end: int
    draft: bool

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
    lowered = (base or char)[0].lower()
    return lowered[:1] or char


def _fold(text: str) -> str:
    """Lower-case and strip accents, one output character per input character so that
    positions found in the folded text are positions in the original."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(char) for char in text)


def terms_of(query: str) -> list[str]:
    """Words of the query; a "quoted phrase" is one term."""
    terms = [_fold(" ".join(phrase.split())) for phrase in re.findall(r'"([^"]+)"', query)]
    rest = re.sub(r'"[^"]*"?', " ", query)
    terms += [_fold(word) for word in re.findall(r"\w[\w'’-]*", rest)]
    return [term for term in terms if term.strip()]


def _snippet(text: str, start: int, end: int) -> tuple[str, int, int]:
    left = max(0, start - SNIPPET)
    right = min(len(text), end + SNIPPET)
    prefix = "…" if left else ""
    suffix = "…" if right < len(text) else ""
    body = " ".join(text[left:right].split("\n"))
    return prefix + body + suffix, len(prefix) + (start - left), len(prefix) + (end - left)


def search(data: CaseData, query: str, *, limit: int = 500) -> list[Hit]:
    terms = terms_of(query)
    if not terms:
        return []
    hits: list[Hit] = []

    def scan(kind: str, record_id: str, conversation_id: str | None, field: str, text: str) -> bool:
        if not text:
            return False
        text = unicodedata.normalize("NFC", text)
        folded = _fold(text)
        first = -1
        for term in terms:
            position = folded.find(term)
            if position < 0:
                return False
            if first < 0:
                first = position
        snippet, start, end = _snippet(text, first, first + len(terms[0]))
        pid = data.practitioner_of(conversation_id)
        hits.append(Hit(kind, record_id, conversation_id, data.labels.get(pid or "", "Unknown practitioner"),
                        field, snippet, start, end, data.is_draft(conversation_id)))
        return len(hits) >= limit

    for loaded in data.episodes:
        for field in EPISODE_FIELD_NAMES:
            if scan("episode", loaded.record_id, loaded.conversation_id, field, getattr(loaded.record, field, "")):
                return hits
    for loaded in data.factors:
        for field in CAPTURE_FIELDS["factor"]:
            if scan("factor", loaded.record_id, loaded.conversation_id, field, getattr(loaded.record, field, "")):
                return hits
    for kind, items in data.captures.items():
        for loaded in items:
            for field in CAPTURE_FIELDS[kind]:
                if scan(kind, loaded.record_id, loaded.conversation_id, field, getattr(loaded.record, field, "") or ""):
                    return hits
    for conversation_id, source in data.accounts.items():
        if scan("overview", conversation_id, conversation_id, "overview", source.account.overview or ""):
            return hits
    return hits
    return hits
