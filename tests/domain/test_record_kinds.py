"""The record kinds are one static table (domain/record_kinds.py): every kind round-trips
through a stored body, no kind is named twice, and the table is built from the domain alone
(and the typed errors beneath it)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from lt_interview.domain.record_kinds import (
    KINDS,
    MODELS,
    REVIEW_ONLY_KINDS,
    kind_model,
)
from lt_interview.storage.revisions import body_of, validated

# The smallest valid body of each kind (a new kind must be added here to be tested).
EXAMPLES: dict[str, dict] = {
    "review": {"name": "Child Q"},
    "framework": {},
    "reviewer": {"name": "Alex"},
    "practitioner": {"name": "Sam", "role": "Health visitor"},
    "conversation": {"practitioner_id": "p1"},
    "note": {"conversation_id": "c1", "stage_id": "overview", "author_id": "r1", "text": "14:05 arrived"},
    "episode": {"conversation_id": "c1", "title": "Home visit", "knew": "little"},
    "factor": {"conversation_id": "c1", "heading_id": "h1"},
    "quote": {"conversation_id": "c1", "text": "I was worried"},
    "went_well": {"conversation_id": "c1", "text": "Quick referral"},
    "query": {"conversation_id": "c1", "question": "Who was told?"},
    "change": {"conversation_id": "c1", "text": "Shared notes"},
    "divergence": {"conversation_id": "c1", "text": "Saw it as routine"},
    "chronology": {"when": date(2024, 3, 1), "agency": "Health", "event": "Visit"},
    "structure": {"version": "1", "data": {"stages": []}},
    "chronology_unlock": {"reason": "The case group asked for it"},
    "account": {"conversation_id": "c1", "overview": "It began in spring",
                "episodes": [{"title": "Home visit", "why_it_made_sense": "It was routine"}]},
    "account_version": {"conversation_id": "c1", "status": "typed_up", "revision_ids": ["r1"],
                        "on": date(2026, 5, 1)},
    "episode_link": {"episode_ids": ["e1", "e2"]},
    "kpe": {"number": 1, "title": "The first visit"},
    "pattern_mapping": {"kpe_id": "k1", "category_id": "cat1"},
    "finding": {"title": "Referrals wait for a second concern"},
    "meeting": {"held_on": date(2026, 6, 1)},
    "report_check": {"sent_on": date(2026, 6, 2)},
    "family_involvement": {"member": "Mother (Jo)"},
}


def test_kinds_are_unique_and_every_kind_has_an_example():
    kinds = [model.kind for model in MODELS]
    assert len(kinds) == len(set(kinds)) == len(KINDS)
    assert all(kinds)
    assert set(KINDS) == set(EXAMPLES)
    assert set(REVIEW_ONLY_KINDS) <= set(KINDS)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_kind_round_trips_through_a_stored_body(kind):
    model = kind_model(kind)
    assert model.kind == kind
    record = model.model_validate(EXAMPLES[kind])
    again = validated(kind, body_of(record), kind)
    assert type(again) is model
    assert again == record


def test_an_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        kind_model("no_such_kind")


def test_the_table_imports_nothing_outside_the_domain():
    code = ("import sys\n"
            "import lt_interview.domain.record_kinds\n"
            "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('lt_interview'))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert "lt_interview.domain.record_kinds" in loaded
    # lt_interview.errors is a leaf beneath every layer (tests/unit/test_layering.py)
    allowed = ("lt_interview", "lt_interview.errors")
    assert [name for name in loaded if name not in allowed and not name.startswith("lt_interview.domain")] == []
