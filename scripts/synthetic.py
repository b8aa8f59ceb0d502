"""Synthetic, wholly fictional reviews of any size for benchmarks (fixed seed).

    python scripts/synthetic.py OUT_DIR --conversations 10 --notes 500
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lt_interview.domain.lifecycle import Status  # noqa: E402
from lt_interview.domain.models import (  # noqa: E402
    Episode, FactorTag, Note, Practitioner, Query, Quote, Reviewer, SuggestedChange, WentWell,
)
from lt_interview.review.framework_file import FrameworkFile  # noqa: E402
from lt_interview.review.conversation_files import pack  # noqa: E402
from lt_interview.review.setup import create_review  # noqa: E402
from lt_interview.storage.store import CONVERSATION, Store  # noqa: E402

PASSPHRASE = "synthetic benchmark passphrase"
WORDS = (
    "visit home baby nursery referral worry plan record call back supervisor caseload team health "
    "visitor social worker police school appointment bruise weight feeding sleep tired partner mother "
    "meeting strategy threshold screened assessment cooperative engaged missed rebooked advice letter "
    "duty manager workload holiday weekend phone text message notes shared concern reassured uneasy "
    "thought felt knew did made sense time pressure system form guidance training chronology family"
).split()
ROLES = ["Health visitor", "GP", "Emergency department nurse", "Duty social worker", "Nursery key worker",
         "Response officer", "Midwife", "School nurse", "Family support worker", "Team manager"]
FRAMEWORK_PRACTITIONERS = 500  # a framework file lists at most 500 practitioners
STAGES = ["introduction", "overview", "episodes", "went_well", "queries", "changes"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def note_text(rng: random.Random, words: int) -> str:
    lines, count, minute = [], 0, 0
    while count < words:
        line = sentence(rng, 8, 40)
        minute += rng.randint(0, 2)
        lines.append(f"{10 + minute // 60:02d}:{minute % 60:02d} {line}")
        count += len(line.split())
    return "\n".join(lines)


def build(out_dir: Path, conversations: int, notes: int, seed: int = 1) -> tuple[Path, list[Path]]:
    """A review with `conversations` conversation files of about `notes` records each."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    people = [{"name": f"Practitioner {i:04d}", "role": ROLES[i % len(ROLES)]} for i in range(conversations)]
    framework = FrameworkFile.model_validate({
        "review": {"name": f"Synthetic review {conversations}x{notes}"},
        "framework": {"children": [{"pseudonym": "Child S"}], "agencies": ["Health", "Police", "Nursery"]},
        "reviewer": [{"name": "Reviewer One"}, {"name": "Reviewer Two"}],
        "practitioner": people[:FRAMEWORK_PRACTITIONERS],
    })
    review_path = out_dir / "review.ltr"
    paths = []
    with create_review(review_path, PASSPHRASE, framework=framework, actor="bench") as review:
        if len(people) > FRAMEWORK_PRACTITIONERS:  # beyond a framework file's limit: added as create_review does
            with review.transaction():
                for person in people[FRAMEWORK_PRACTITIONERS:]:
                    review.put(Practitioner(**person))
        for i in range(conversations):
            path = out_dir / f"conversation-{i:04d}.ltc"
            pack(review, PASSPHRASE, f"Practitioner {i:04d}", path)
            paths.append(path)
    for path in paths:
        fill(path, notes, rng)
    return review_path, paths


def fill(path: Path, records: int, rng: random.Random) -> None:
    """About `records` revisions: notes per section (edited as autosave seals them), episodes,
    factors and captures, in the proportions of a long conversation."""
    with Store.open(path, PASSPHRASE, expect_kind=CONVERSATION) as store:
        conversation_id = store.meta("conversation_id")
        author = store.records(Reviewer)[0][0]
        store.actor_id = author
        written = 0
        with store.transaction():
            episodes = []
            for position in range(3):
                episodes.append(store.put(Episode(
                    conversation_id=conversation_id, title=sentence(rng, 3, 7), position=position,
                    when=rng.choice(["early summer 2025", "July 2025", "after the strategy meeting", "spring"]),
                    knew=sentence(rng, 10, 30), thought=sentence(rng, 10, 30), did=sentence(rng, 10, 30),
                    why_it_made_sense=sentence(rng, 10, 30)), audit=False).record_id)
                written += 1
            note_ids = {}
            while written < records:
                choice = rng.random()
                if choice < 0.7:
                    # Mostly separate notes; some are edits of an earlier one (a sealed draft).
                    stage = rng.choice(STAGES)
                    previous = note_ids.get(stage) if rng.random() < 0.2 else None
                    revision = store.put(Note(conversation_id=conversation_id, stage_id=stage, author_id=author,
                                              text=note_text(rng, rng.randint(20, 200))), previous, audit=False)
                    note_ids[stage] = revision.record_id
                elif choice < 0.85:
                    store.put(FactorTag(conversation_id=conversation_id, heading_id=rng.choice(
                        ["family", "role", "conditions", "own_team", "inter_agency"]), text=sentence(rng, 5, 20),
                        episode_id=rng.choice(episodes)), audit=False)
                else:
                    model = rng.choice([Quote, WentWell, SuggestedChange])
                    store.put(model(conversation_id=conversation_id, text=sentence(rng, 5, 25)), audit=False)
                written += 1
            store.put(Query(conversation_id=conversation_id, question=sentence(rng, 5, 12)), audit=False)
            current = store.get(conversation_id)
            store.put(current.record.model_copy(update={"status": Status.HELD, "held_on": date(2026, 1, 14)}),
                      conversation_id, audit=False)
        # Typed up, sent and agreed through the type-up service, as a review's accounts are: the
        # analysis and every export read the agreed accounts, so the figures measure real work.
        from lt_interview.typeup import service

        service.send_for_checking(store, date(2026, 1, 20))
        service.agree(store, date(2026, 1, 27))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    review, paths = build(args.out_dir, args.conversations, args.notes, args.seed)
    print(f"{review} and {len(paths)} conversation files (passphrase: {PASSPHRASE!r})")


if __name__ == "__main__":
    main()
