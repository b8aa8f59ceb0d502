"""`lt-interview demo`: build the fictional demo review in a temporary folder.

Each conversation goes the way a review team's does: captured as the live screen captures it
(notes with time stamps, each episode's title, the contributory factors and divergences noted),
typed up through the type-up service (the episode's date and what the practitioner knew,
thought and did are written in the account, from the notes), taken through the accuracy
check (with a correction from the practitioner for the health visitor), then merged. The
health visitor's and the GP's accounts are agreed; the nurse's is still out for checking.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from lt_interview.demo import data as demo_data
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import (
    Conversation, Episode, FactorTag, Note, NotedDivergence, Practitioner, Reviewer,
)
from lt_interview.paths import private_dir
from lt_interview.review.conversation_files import pack
from lt_interview.review.setup import create_review
from lt_interview.storage.store import CONVERSATION, REVIEW, Store

# What the notes hold for an episode, in the order the reviewers asked (type-up turns them into
# the account's fields).
_NOTED_FIELDS = ("knew", "thought", "felt", "did", "why_it_made_sense")


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
    _type_up(conversations[0], secret, demo_data.HEALTH_VISITOR_EPISODES, agree=True,
             correction=demo_data.HEALTH_VISITOR_CORRECTION, dates=(date(2026, 1, 16), date(2026, 1, 19),
                                                                    date(2026, 1, 26), date(2026, 1, 28)))
    by_name = {path.stem: path for path in conversations}
    if "gp" in by_name:
        _fill_conversation(by_name["gp"], secret, demo_data.GP_NOTES, demo_data.GP_EPISODES, date(2026, 1, 20))
        _type_up(by_name["gp"], secret, demo_data.GP_EPISODES, agree=True,
                 dates=(date(2026, 1, 21), date(2026, 1, 22), None, date(2026, 1, 29)))
    if "emergency-department-nurse" in by_name:
        _fill_conversation(by_name["emergency-department-nurse"], secret, demo_data.ED_NURSE_NOTES,
                           demo_data.ED_NURSE_EPISODES, date(2026, 1, 22))
        _type_up(by_name["emergency-department-nurse"], secret, demo_data.ED_NURSE_EPISODES, agree=False,
                 dates=(date(2026, 1, 23), date(2026, 1, 26), None, None))
    _merge_and_add_chronology(review_path, conversations, secret, directory)
    return review_path, conversations


def _merge_and_add_chronology(review_path: Path, conversations: list[Path], secret: str, directory: Path) -> None:
    """Bring every conversation file into the review, then the fictional agency chronology,
    through the same importers a review team uses."""
    from lt_interview.merge.importer import merge_files
    from lt_interview.review.chronology import import_csv

    merge_files(review_path, conversations, secret)
    csv_path = directory / "demo-chronology.csv"
    csv_path.write_text(demo_data.CHRONOLOGY_CSV, encoding="utf-8")
    with Store.open(review_path, secret, expect_kind=REVIEW, actor_id="demo") as review:
        import_csv(review, csv_path)


def _capture(store: Store, conversation_id: str, author_id: str, notes: dict, episodes: list) -> None:
    """What the live screen writes: the notes of each stage, each episode's title and date as
    said, the notes taken on it, its contributory factors and any divergence noted."""
    for stage_id, text in notes.items():
        store.put(Note(conversation_id=conversation_id, stage_id=stage_id, author_id=author_id, text=text))
    for position, data in enumerate(episodes):
        episode = store.put(Episode(conversation_id=conversation_id, title=data["title"], position=position))
        noted = [data["noted"]] if "noted" in data else [data[field] for field in _NOTED_FIELDS if data.get(field)]
        store.put(Note(conversation_id=conversation_id, stage_id="mindset", episode_id=episode.record_id,
                       author_id=author_id, text="\n".join(noted)))
        for heading_id, item, text in data["factors"]:
            store.put(FactorTag(conversation_id=conversation_id, heading_id=heading_id, item=item,
                                text=text, episode_id=episode.record_id))
        for differs_from, text in data.get("divergences", ()):
            store.put(NotedDivergence(conversation_id=conversation_id, text=text, differs_from=differs_from,
                                      stage_id="episodes", episode_id=episode.record_id))


def _packed_conversation(store: Store) -> tuple[str, Conversation]:
    """The conversation a file was packed for (the demo packs every file itself)."""
    conversation_id = store.meta("conversation_id")
    current = store.get(conversation_id) if conversation_id else None
    assert conversation_id and current is not None and isinstance(current.record, Conversation)
    return conversation_id, current.record


def _fill_conversation(path: Path, secret: str, notes: dict, episodes: list, held_on: date) -> None:
    """A held conversation with notes, episodes and contributory factors (fictional)."""
    with Store.open(path, secret, expect_kind=CONVERSATION) as store:
        conversation_id, conversation = _packed_conversation(store)
        reviewers = store.records(Reviewer)
        lead_id, notetaker_id = reviewers[-1][0], reviewers[0][0]
        store.actor_id = notetaker_id
        with store.transaction():
            store.put(conversation.model_copy(update={
                "lead_reviewer_id": lead_id, "notetaker_id": notetaker_id,
                "held_on": held_on, "status": Status.HELD,
            }), conversation_id)
            _capture(store, conversation_id, notetaker_id, notes, episodes)


def _fill_health_visitor(path: Path, secret: str) -> None:
    """The health visitor's conversation as captured live (still in progress): what type-up starts from."""
    with Store.open(path, secret, expect_kind=CONVERSATION) as store:
        conversation_id, conversation = _packed_conversation(store)
        reviewers = store.records(Reviewer)
        lead_id, notetaker_id = reviewers[0][0], reviewers[1][0]
        store.actor_id = notetaker_id
        with store.transaction():
            store.put(conversation.model_copy(update={
                "lead_reviewer_id": lead_id, "notetaker_id": notetaker_id,
                "held_on": date(2026, 1, 14), "status": Status.IN_PROGRESS,
            }), conversation_id)
            _capture(store, conversation_id, notetaker_id, demo_data.HEALTH_VISITOR_NOTES,
                     demo_data.HEALTH_VISITOR_EPISODES)


def _type_up(path: Path, secret: str, episodes: list, *, agree: bool, dates: tuple,
             correction: dict | None = None) -> None:
    """Type the account up from the notes (each episode's date and what the practitioner knew,
    thought, felt and did, and why it made sense), mark it typed up and send it for checking;
    enter the practitioner's correction when there is one, and record it agreed when `agree`.
    `dates`: typed up, sent, comments received, agreed."""
    from lt_interview.typeup import service
    from lt_interview.domain.account_parts import set_text

    typed_on, sent_on, comments_on, agreed_on = dates
    with Store.open(path, secret, expect_kind=CONVERSATION) as store:
        type_up_episodes(store, episodes)
        service.mark_typed_up(store, typed_on)
        service.send_for_checking(store, sent_on)
        if correction is not None:
            service.comments_received(store, comments_on, correction["comments"])
            account = service.load(store).account
            episode = account.episodes[correction["episode"]]
            account = set_text(account, f"episode:{episode.part_id}:{correction['field']}", correction["text"])
            service.save(store, account)
        if agree:
            service.agree(store, agreed_on)


def type_up_episodes(store: Store, episodes: list) -> None:
    """Write each episode's date and what the practitioner knew, thought, felt and did, and why
    it made sense, into the account from the notes, as a reviewer does on the type-up screen
    (saved as a revision of the account; the conversation's status is left as it is)."""
    from lt_interview.typeup import service
    from lt_interview.domain.account_parts import set_text

    store.actor_id = store.records(Reviewer)[0][0]
    account = service.ensure_saved(store).account
    for episode, data in zip(account.episodes, episodes):
        for field in ("when", *_NOTED_FIELDS):
            if data.get(field):
                account = set_text(account, f"episode:{episode.part_id}:{field}", data[field])
    service.save(store, account)
