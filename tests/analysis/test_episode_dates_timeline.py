"""Episodes dated as practitioners said them (issue #17) are placed on the story of the case by
that date, and interleave with the agency chronology once it is unlocked. Captured, typed up and
agreed, then merged into the review as reviewers do."""

from __future__ import annotations

from datetime import date

from lt_interview.analysis.workspace import open_workspace_model
from lt_interview.domain.models import ChronologyEntry, Conversation, Episode, Reviewer
from lt_interview.domain.lifecycle import Status
from lt_interview.merge.importer import merge_files
from lt_interview.review import chronology
from lt_interview.review.conversation_files import pack
from lt_interview.storage.store import CONVERSATION, REVIEW, Store
from lt_interview.typeup import service

DATED = [("The first home visit", "early March 2025"), ("The strategy discussion", "04/2025"),
         ("No date in it", "after the strategy discussion"), ("The Christmas visit", "around Christmas 2025")]


def test_dated_episodes_interleave_with_the_unlocked_chronology(review_path, passphrase, tmp_path):
    out = tmp_path / "health-visitor.ltc"
    with Store.open(review_path, passphrase, expect_kind=REVIEW, actor_id="tester") as review:
        pack(review, passphrase, "Health visitor", out)
        with review.transaction():
            for when, event in ((date(2025, 3, 15), "Referral received"), (date(2025, 5, 2), "Police call-out"),
                                (date(2025, 12, 1), "Case closed")):
                review.put(ChronologyEntry(when=when, agency="Police", event=event))
    with Store.open(out, passphrase, expect_kind=CONVERSATION) as store:
        conversation_id = store.meta("conversation_id")
        lead = store.records(Reviewer)[0][0]
        store.actor_id = lead
        conversation: Conversation = store.get(conversation_id).record  # type: ignore[assignment]
        store.put(conversation.model_copy(update={"lead_reviewer_id": lead, "status": Status.HELD,
                                                  "held_on": date(2026, 1, 14)}), conversation_id)
        for position, (title, when) in enumerate(DATED):
            store.put(Episode(conversation_id=conversation_id, title=title, when=when, position=position,
                              did=f"What happened at {title.lower()}."))
        account = service.ensure_saved(store).account
        assert [e.when for e in account.episodes] == [when for _, when in DATED]  # the date reaches the account
        service.send_for_checking(store, date(2026, 1, 20))
        service.agree(store, date(2026, 1, 27))
    with Store.open(review_path, passphrase, expect_kind=REVIEW, actor_id="tester") as review:
        merge_files(review, [out], passphrase)
        chronology.unlock(review, "Second review-team meeting")  # (every account agreed shows it too)
        timeline = open_workspace_model(review).timeline
    order = [item.title for item in timeline.items]
    assert order == ["The first home visit", "Referral received", "The strategy discussion",
                     "No date in it", "Police call-out", "Case closed", "The Christmas visit"]
    placed = {item.title: item.placed_by for item in timeline.items}
    assert placed["The strategy discussion"] == "their date" and placed["No date in it"] == "their order"
