"""Every record kind and its model, in one static table (plain imports, no registration).

Storage reads a revision body with `kind_model(kind)`; the merge validator checks every kind
in `KINDS`. A new record kind is added here, and tests/domain/test_record_kinds.py checks that
it round-trips.
"""

from __future__ import annotations

from lt_interview.domain.account import Account, AccountVersion
from lt_interview.domain.analysis import ANALYSIS_KINDS
from lt_interview.domain.involvement import INVOLVEMENT_KINDS
from lt_interview.domain.models import (
    CaseFramework,
    ChronologyEntry,
    ChronologyUnlock,
    Conversation,
    Episode,
    FactorTag,
    Note,
    NotedDivergence,
    Practitioner,
    Query,
    Quote,
    Record,
    Review,
    Reviewer,
    Structure,
    SuggestedChange,
    WentWell,
)

MODELS: tuple[type[Record], ...] = (
    Review, CaseFramework, Reviewer, Practitioner, Conversation, Note, Episode, FactorTag, Quote, WentWell,
    Query, SuggestedChange, NotedDivergence, ChronologyEntry, Structure, ChronologyUnlock,
    Account, AccountVersion, *ANALYSIS_KINDS, *INVOLVEMENT_KINDS,
)

KINDS: dict[str, type[Record]] = {model.kind: model for model in MODELS}

# Held only in the review database and hidden in blind mode: never in a conversation file.
REVIEW_ONLY_KINDS = (ChronologyEntry.kind, ChronologyUnlock.kind)


def kind_model(kind: str) -> type[Record]:
    """The model of a record kind; KeyError for a kind no part of lt-interview defines."""
    return KINDS[kind]
