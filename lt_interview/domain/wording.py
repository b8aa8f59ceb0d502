"""Wording that can read as blame or hindsight, checked wherever a reviewer writes: type-up,
the KPE appraisal and explanation, findings, questions for the board, and the exports. It never
blocks; each phrase found comes with a gentle suggestion.

The phrases and suggestions are data (`prompts/wording.toml`), read once. Text inside double
quotation marks is someone's own words and is not checked, and a few phrases are left alone
after a word of feeling ("I felt ignored"). Hindsight is a bias of the reviewers' reading, so the
word "hindsight" in a practitioner's explanation is never flagged.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from lt_interview.errors import StructureError

WORDING_FILE = "wording.toml"


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    phrases: list[str] = Field(min_length=1)
    suggestion: str = Field(min_length=1)
    not_after: list[str] = []


class _WordingFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    group: list[_Group] = Field(min_length=1)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    phrase: str  # as written
    suggestion: str

    @property
    def message(self) -> str:
        return f"“{self.phrase}” can read as judging. {self.suggestion}"


@dataclass(frozen=True)
class _Rules:
    suggestions: dict[str, str]  # normalised phrase -> suggestion
    not_after: dict[str, frozenset[str]]
    pattern: re.Pattern[str]


def _normal(phrase: str) -> str:
    return " ".join(phrase.casefold().split())


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    from lt_interview.domain.structure import shipped_prompts_dir

    path = shipped_prompts_dir() / WORDING_FILE
    try:
        data = _WordingFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise StructureError(f"{path}: cannot be used ({type(exc).__name__})") from None
    suggestions: dict[str, str] = {}
    not_after: dict[str, frozenset[str]] = {}
    for group in data.group:
        for phrase in group.phrases:
            suggestions[_normal(phrase)] = group.suggestion
            not_after[_normal(phrase)] = frozenset(word.casefold() for word in group.not_after)
    alternatives = sorted(suggestions, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in alternatives)
                         + r")(?![\w-])", re.IGNORECASE)
    return _Rules(suggestions, not_after, pattern)


def phrases() -> dict[str, str]:
    """Every phrase checked -> its suggestion."""
    return dict(_rules().suggestions)


_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")


def _quoted(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def blame_hits(text: str) -> list[Hit]:
    """Each phrase in `text` that can read as blame or hindsight, with its suggestion."""
    rules = _rules()
    quoted = _quoted(text)
    hits = []
    for match in rules.pattern.finditer(text or ""):
        start, end = match.span()
        if any(q_start < start and end < q_end for q_start, q_end in quoted):
            continue  # someone's own words, in quotation marks
        key = _normal(match.group(0))
        before = _WORD_BEFORE.search(text[max(0, start - 40):start])
        if before and before.group(1).casefold() in rules.not_after.get(key, frozenset()):
            continue
        hits.append(Hit(start, end, match.group(0), rules.suggestions[key]))
    return hits


@dataclass(frozen=True)
class Place:
    """Where a reviewer wrote something that can read as blame: "KPE 2, rationale"."""

    where: str
    hits: tuple[Hit, ...]

    def line(self) -> str:
        found = ", ".join(f"“{hit.phrase}”" for hit in self.hits)
        return f"{self.where}: {found}"


def places(fields: list[tuple[str, str]]) -> list[Place]:
    """(where, text) pairs -> a Place for each that holds wording that can read as blame."""
    found = []
    for where, text in fields:
        hits = blame_hits(text)
        if hits:
            found.append(Place(where, tuple(hits)))
    return found


def gentle_notice(found: list[Place], limit: int = 3) -> str:
    """One gentle line for a form that was saved all the same ("" when nothing was found)."""
    if not found:
        return ""
    first = found[0].hits[0]
    shown = "; ".join(place.line() for place in found[:limit])
    more = f"; and {len(found) - limit} more" if len(found) > limit else ""
    return f"Some wording can read as blame ({shown}{more}). {first.suggestion}"
