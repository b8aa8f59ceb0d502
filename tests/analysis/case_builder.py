"""A fictional review with four conversations, for the analysis and export tests.

Nothing here describes a real case (DOMAIN.md §11). Conversation files are packed from the
review; on "their own laptop" each conversation is captured as the live screen captures it
(notes, episode titles, contributory factors, a quote, what went well), then typed up through
the type-up service (the episode's date and what the practitioner knew, thought and did are
written in the account, not in the captured records) and moved through the accuracy check as
far as its status says. Their revisions are then copied into the review the way a merge does
(a set union keyed by revision id, then heads rebuilt).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import (
    Conversation, Episode, FactorTag, Note, NotedDivergence, Practitioner, Quote, Reviewer, WentWell,
)
from lt_interview.demo.data import FRAMEWORK
from lt_interview.review.conversation_files import pack
from lt_interview.review.setup import create_review
from lt_interview.storage.store import CONVERSATION, REVIEW, Store
from lt_interview.typeup import service
from lt_interview.domain.account_parts import set_text

# role -> (status, notes by stage, episodes [(title, when, fields, factors [(heading, item, text)])])
ACCOUNTS = {
    "Health visitor": (Status.AGREED, {
        "overview": "Took over the family in spring. Mr B often at visits and did a lot of the talking.",
        "went_well": "The GP rang back the same day.",
    }, [
        ("Small bruise seen at the 8-month review", "early summer 2025",
         {"knew": "A small mark on the cheek; told M had rolled into the cot side.",
          "why_it_made_sense": "Bruising guidance was for non-mobile babies."},
         [("family", "Relationship with the professional", "Mr B answered most questions."),
          ("conditions", "Workload", "Caseload of over 400 families that month.")]),
        ("Missed visit in July", "after the summer holidays started",
         {"did": "Rebooked for three weeks later."},
         [("inter_agency", "", "Did not know about the police call-out.")]),
    ]),
    "GP": (Status.HELD, {
        "overview": "Saw M twice; the health visitor's message arrived before the appointment.",
    }, [
        ("Appointment about the bruise", "June 2025",
         {"knew": "The health visitor had flagged a mark on the cheek.",
          "thought": "A plausible account from a calm parent; the mark had faded."},
         [("conditions", "Workload", "Ten-minute slots, running late."),
          ("inter_agency", "", "No reply from children's social care to the practice's query.")]),
        ("Repeat prescription review", "after the strategy discussion", {}, []),
    ]),
    "Duty social worker": (Status.SENT_FOR_CHECKING, {
        "overview": "Covered the duty desk for two weeks in June.",
    }, [
        ("Referral screened out", "mid-June 2025",
         {"thought": "The referral described one faded mark with an explanation that fitted.",
          "why_it_made_sense": "Threshold guidance and eleven other referrals that morning."},
         [("conditions", "Workload", "Eleven referrals waiting."),
          ("organisation", "", "Pressure to keep the front door moving.")]),
    ]),
    "Emergency department nurse": (Status.AGREED, {}, [
        ("Attendance with a head bump", "2025-09-12",
         {"did": "Completed the safeguarding checklist; no flags on the system."},
         [("role", "Focus of concern", "Triage focused on the injury in front of them.")]),
    ]),
}

# Divergences the reviewers noted during a conversation: role -> [(episode title, differs from, text)]
DIVERGENCES = {
    "GP": [("Appointment about the bruise", "the health visitor",
            "Says the message arrived before the appointment; the health visitor thought it came after.")],
}


def copy_into_review(review: Store, conversation_file: Path, passphrase: str) -> int:
    """Union the conversation file's revisions into the review (what merge does, minus checks)."""
    with Store.open(conversation_file, passphrase, expect_kind=CONVERSATION) as source:
        cursor = source.conn.execute("SELECT * FROM revision")
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    marks = ", ".join("?" for _ in names)
    with review.transaction():
        before = review.count_revisions()
        review.conn.executemany(
            f"INSERT OR IGNORE INTO revision ({', '.join(names)}) VALUES ({marks})", rows)
        review.rebuild_heads()
    return review.count_revisions() - before


def fill_conversation(path: Path, passphrase: str, status: Status, notes: dict, episodes: list,
                      divergences: list = ()) -> None:
    capture_conversation(path, passphrase, notes, episodes, divergences)
    type_up(path, passphrase, status, episodes)


def capture_conversation(path: Path, passphrase: str, notes: dict, episodes: list, divergences: list = ()) -> None:
    """What the live screen writes: notes, each episode's title (its detail goes in the notes),
    contributory factors, a quote and what went well."""
    with Store.open(path, passphrase, expect_kind=CONVERSATION) as store:
        conversation_id = store.meta("conversation_id")
        lead_id = store.records(Reviewer)[0][0]
        store.actor_id = lead_id
        conversation: Conversation = store.get(conversation_id).record  # type: ignore[union-attr, assignment]
        with store.transaction():
            store.put(conversation.model_copy(update={
                "lead_reviewer_id": lead_id, "held_on": date(2026, 1, 14), "status": Status.HELD}), conversation_id)
            for stage_id, text in notes.items():
                store.put(Note(conversation_id=conversation_id, stage_id=stage_id, author_id=lead_id, text=text))
            for position, (title, _when, fields, factors) in enumerate(episodes):
                episode = store.put(Episode(conversation_id=conversation_id, title=title, position=position))
                if fields:
                    store.put(Note(conversation_id=conversation_id, stage_id="mindset", episode_id=episode.record_id,
                                   author_id=lead_id, text="\n".join(f"10:1{n} {text}" for n, text in
                                                                    enumerate(fields.values()))))
                for _, differs_from, text in [d for d in divergences if d[0] == title]:
                    store.put(NotedDivergence(conversation_id=conversation_id, text=text, differs_from=differs_from,
                                              stage_id="mindset", episode_id=episode.record_id))
                for heading_id, item, text in factors:
                    store.put(FactorTag(conversation_id=conversation_id, heading_id=heading_id, item=item,
                                        text=text, episode_id=episode.record_id))
                if factors:
                    store.put(Note(conversation_id=conversation_id, stage_id="factors",
                                   episode_id=episode.record_id, author_id=lead_id,
                                   text=f"Factors noted for '{title}'."))
            store.put(Quote(conversation_id=conversation_id, text="We all thought someone else had it in hand."))
            store.put(WentWell(conversation_id=conversation_id, text="Quick call back between agencies."))


def type_up(path: Path, passphrase: str, status: Status, episodes: list, overview: str | None = None) -> None:
    """Type the account up from the notes, as a reviewer does on the type-up screen, then take
    it through the accuracy check as far as `status`: HELD leaves a typed-up draft."""
    with Store.open(path, passphrase, expect_kind=CONVERSATION) as store:
        store.actor_id = store.records(Reviewer)[0][0]
        account = service.ensure_saved(store).account
        for episode, (title, when, fields, _) in zip(account.episodes, episodes):
            assert episode.title == title
            for field, text in {"when": when, **fields}.items():
                account = set_text(account, f"episode:{episode.part_id}:{field}", text)
        if overview is not None:
            account = set_text(account, "overview", overview)
        service.save(store, account)
        if status == Status.HELD:
            return
        service.mark_typed_up(store, date(2026, 1, 16))
        if status == Status.TYPED_UP:
            return
        service.send_for_checking(store, date(2026, 1, 17))
        if status == Status.SENT_FOR_CHECKING:
            return
        service.agree(store, date(2026, 1, 24))


def build_case(directory: Path, passphrase: str, accounts: dict = ACCOUNTS) -> Path:
    review_path = directory / "case.ltr"
    with create_review(review_path, passphrase, framework=FRAMEWORK, actor="tester") as review:
        roles = {p.role: p.name for _, p in review.records(Practitioner)}
        for role, (status, notes, episodes) in accounts.items():
            out = directory / f"{role.lower().replace(' ', '-')}.ltc"
            pack(review, passphrase, roles[role], out)
            fill_conversation(out, passphrase, status, notes, episodes, DIVERGENCES.get(role, []))
            copy_into_review(review, out, passphrase)
    return review_path


def open_review(path: Path, passphrase: str) -> Store:
    return Store.open(path, passphrase, expect_kind=REVIEW, actor_id="tester")


def agreed_again(review: Store, role: str, change) -> str:
    """A new agreed version of the `role` practitioner's account, as a merge brings it in after
    type-up on a laptop: `change(account)` returns the edited account. Returns its
    conversation id."""
    from lt_interview.analysis.data import load_case
    from lt_interview.domain.account import AccountVersion, account_id_for

    data = load_case(review)
    [conversation_id] = [cid for cid in data.accounts if data.label_of_conversation(cid) == role]
    source = data.accounts[conversation_id]
    number = max((v.number for _, v in review.records(AccountVersion, conversation_id)), default=0)
    with review.transaction():
        revision = review.put(change(source.account), account_id_for(conversation_id))
        review.put(AccountVersion(conversation_id=conversation_id, status="agreed", number=number + 1,
                                  revision_ids=[revision.revision_id], on=date(2026, 2, 3)))
    return conversation_id


def episode_ids(review: Store) -> dict[str, str]:
    """Episode title -> the id analysis records use for it (the account part id)."""
    from lt_interview.analysis.data import load_case

    return {item.record.title: item.record_id for item in load_case(review).episodes}
