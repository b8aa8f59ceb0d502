"""`lt-interview demo`: build the fictional demo review in a temporary folder."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import (
    Conversation, Episode, FactorTag, Note, NotedDivergence, Practitioner, Reviewer,
)
from lt_interview.operations import demo_data
from lt_interview.operations.pack import pack
from lt_interview.operations.review import create_review
from lt_interview.paths import private_dir
from lt_interview.storage.store import CONVERSATION, REVIEW, Store


def build_demo(directory: Path | None = None) -> tuple[Path, list[Path]]:
    directory = private_dir(Path(directory) if directory else Path(tempfile.mkdtemp(prefix="lt-demo-")))
    secret = demo_data.DEMO_PASSPHRASE
    review_path = directory / "demo-review.ltr"
    conversations = []
    with create_review(review_path, secret, framework=demo_data.FRAMEWORK, actor="demo") as review:
        for _, practitioner in review.records(Practitioner):
            out = directory / f"{practitioner.role.lower().replace(' ', '-')}.ltc"
            pack(review, secret, practitioner.name, out)
            conversations.append(out)
    _fill_health_visitor(conversations[0], secret)
    by_name = {path.stem: path for path in conversations}
    if "gp" in by_name:
        _fill_conversation(by_name["gp"], secret, demo_data.GP_NOTES, demo_data.GP_EPISODES, date(2026, 1, 20))
    if "emergency-department-nurse" in by_name:
        _fill_conversation(by_name["emergency-department-nurse"], secret, demo_data.ED_NURSE_NOTES,
                           demo_data.ED_NURSE_EPISODES, date(2026, 1, 22))
    _merge_and_add_chronology(review_path, conversations, secret, directory)
    return review_path, conversations


def _merge_and_add_chronology(review_path: Path, conversations: list[Path], secret: str, directory: Path) -> None:
    """Bring every conversation file into the review, then the fictional agency chronology,
    through the same importers a review team uses."""
    from lt_interview.merge.importer import merge_files
    from lt_interview.operations.chronology import import_csv

    merge_files(review_path, conversations, secret)
    csv_path = directory / "demo-chronology.csv"
    csv_path.write_text(demo_data.CHRONOLOGY_CSV, encoding="utf-8")
    with Store.open(review_path, secret, expect_kind=REVIEW, actor_id="demo") as review:
        import_csv(review, csv_path)


def _fill_conversation(path: Path, secret: str, notes: dict, episodes: list, held_on: date) -> None:
    """A held conversation with notes, episodes and contributory factors (fictional)."""
    with Store.open(path, secret, expect_kind=CONVERSATION) as store:
        conversation_id = store.meta("conversation_id")
        reviewers = store.records(Reviewer)
        lead_id, notetaker_id = reviewers[-1][0], reviewers[0][0]
        store.actor_id = notetaker_id
        conversation: Conversation = store.get(conversation_id).record  # type: ignore[assignment]
        with store.transaction():
            store.put(conversation.model_copy(update={
                "lead_reviewer_id": lead_id, "notetaker_id": notetaker_id,
                "held_on": held_on, "status": Status.HELD,
            }), conversation_id)
            for stage_id, text in notes.items():
                store.put(Note(conversation_id=conversation_id, stage_id=stage_id,
                               author_id=notetaker_id, text=text))
            for position, data in enumerate(episodes):
                fields = {k: v for k, v in data.items() if k not in ("factors", "divergences")}
                episode = store.put(Episode(conversation_id=conversation_id, position=position, **fields))
                for heading_id, item, text in data["factors"]:
                    store.put(FactorTag(conversation_id=conversation_id, heading_id=heading_id, item=item,
                                        text=text, episode_id=episode.record_id))
                for differs_from, text in data.get("divergences", ()):
                    store.put(NotedDivergence(conversation_id=conversation_id, text=text, differs_from=differs_from,
                                              stage_id="episodes", episode_id=episode.record_id))


def _fill_health_visitor(path: Path, secret: str) -> None:
    with Store.open(path, secret, expect_kind=CONVERSATION) as store:
        conversation_id = store.meta("conversation_id")
        reviewers = store.records(Reviewer)
        lead_id, notetaker_id = reviewers[0][0], reviewers[1][0]
        store.actor_id = notetaker_id
        current = store.get(conversation_id)
        conversation: Conversation = current.record  # type: ignore[assignment]
        with store.transaction():
            store.put(conversation.model_copy(update={
                "lead_reviewer_id": lead_id, "notetaker_id": notetaker_id,
                "held_on": date(2026, 1, 14), "status": Status.IN_PROGRESS,
            }), conversation_id)
            for stage_id, text in demo_data.HEALTH_VISITOR_NOTES.items():
                store.put(Note(conversation_id=conversation_id, stage_id=stage_id,
                               author_id=notetaker_id, text=text))
            for position, data in enumerate(demo_data.HEALTH_VISITOR_EPISODES):
                fields = {k: v for k, v in data.items() if k != "factors"}
                episode = store.put(Episode(conversation_id=conversation_id, position=position, **fields))
                for heading_id, item, text in data["factors"]:
                    store.put(FactorTag(conversation_id=conversation_id, heading_id=heading_id, item=item,
                                        text=text, episode_id=episode.record_id))
