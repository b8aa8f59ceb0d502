"""Reshaping the account's episodes in type-up (issue #17): the lead's and the notetaker's copies
of one episode become one, field by field with nothing lost; split, reorder and delete; each a
new revision; and an episode taken out is not brought back from what was captured."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import open_conversation
from lt_interview.domain.account import Account, AccountEpisode, AccountFactor, Link
from lt_interview.domain.models import Episode, FactorTag, Reviewer
from lt_interview.errors import BadInput
from lt_interview.typeup import episodes as ops
from lt_interview.typeup import service
from lt_interview.typeup.accuracy import build_document
from lt_interview.typeup.combine import combine_copies
from lt_interview.typeup.versions import marked_parts


def _account(*episodes: AccountEpisode) -> Account:
    return Account(conversation_id="c1", episodes=list(episodes))


def test_combine_keeps_every_text_once_and_both_where_they_differ():
    lead = AccountEpisode(title="The home visit", when="May 2025", did="Saw the baby.",
                          felt="Worried about the cold flat.",
                          factors=[AccountFactor(heading_id="conditions", text="Caseload")])
    notes = AccountEpisode(title="Home visit in May", when="", did="Saw the baby.", knew="Nothing of the call-out.",
                           felt="Anxious, the heating was off.",
                           factors=[AccountFactor(heading_id="conditions", text="Caseload"),
                                    AccountFactor(heading_id="inter_agency", text="No call from police")])
    other = AccountEpisode(title="Discharge")
    account = _account(lead, other, notes).model_copy(update={"links": [
        Link(note_id="n1", start=0, end=4, excerpt="Saw", part=f"episode:{notes.part_id}:did")]})
    combined, both = ops.combine(account, notes.part_id, lead.part_id)
    assert [e.part_id for e in combined.episodes] == [lead.part_id, other.part_id]  # in the first one's place
    one = combined.episodes[0]
    assert one.when == "May 2025" and one.did == "Saw the baby." and one.knew == "Nothing of the call-out."
    assert "The home visit" in one.title and "Home visit in May" in one.title and "\n" not in one.title
    assert "Worried about the cold flat." in one.felt and "Anxious, the heating was off." in one.felt
    assert both == ["title", "felt"]
    assert len(marked_parts(combined)) == 2  # the account cannot be sent until they are combined
    assert [f.text for f in one.factors] == ["Caseload", "No call from police"]
    assert combined.links[0].part == f"episode:{lead.part_id}:did"
    assert combined.set_aside == {notes.part_id: lead.part_id}
    assert account.episodes[2].part_id == notes.part_id  # the account given is unchanged
    with pytest.raises(BadInput):
        ops.combine(account, lead.part_id, lead.part_id)


def test_split_move_and_delete():
    first = AccountEpisode(title="Two visits", did="Visited in May. Visited again in June.")
    second = AccountEpisode(title="Discharge", factors=[AccountFactor(heading_id="other", text="x", source_id="f1")],
                            source_id="e2")
    account = _account(first, second)
    offset = first.did.index("Visited again")
    split, new_id = ops.split(account, first.part_id, "did", offset)
    assert [e.title for e in split.episodes] == ["Two visits", "Two visits (second part)", "Discharge"]
    assert split.episodes[0].did == "Visited in May." and split.episodes[1].did == "Visited again in June."
    assert split.episodes[1].part_id == new_id
    moved = ops.move(split, second.part_id, -1)
    assert [e.title for e in moved.episodes] == ["Two visits", "Discharge", "Two visits (second part)"]
    assert ops.move(moved, first.part_id, -1) == moved  # already first
    deleted = ops.delete(moved, second.part_id)
    assert [e.title for e in deleted.episodes] == ["Two visits", "Two visits (second part)"]
    assert deleted.set_aside == {second.part_id: "", "e2": "", "f1": "", second.factors[0].part_id: ""}


def _two_copies_each_with_the_episode(captured, passphrase, tmp_path):
    """The lead and the notetaker each captured the same episode in their own copy."""
    from lt_interview.operations.pack import pack
    from lt_interview.storage.store import REVIEW, Store

    note_copy = tmp_path / "notetaker.ltc"
    with Store.open(tmp_path / "review.ltr", passphrase, expect_kind=REVIEW) as review:
        pack(review, passphrase, "Health visitor", note_copy)
    with open_conversation(captured, passphrase) as store:
        (lead_id, _), (notetaker_id, _) = store.records(Reviewer)[:2]
        conversation_id = store.meta("conversation_id")
    ids = {}
    for path, who, title, did in ((captured, lead_id, "The strategy meeting", "Shared the bruise concern."),
                                  (note_copy, notetaker_id, "Strategy discussion", "Raised the bruise.")):
        with open_conversation(path, passphrase, actor_id=who) as store:
            ids[who] = store.put(Episode(conversation_id=conversation_id, title=title, did=did, position=50)).record_id
            store.put(FactorTag(conversation_id=conversation_id, heading_id="conditions", text=f"{title} factor",
                                episode_id=ids[who]))
    return note_copy, ids[lead_id], ids[notetaker_id]


def test_the_two_copies_of_one_episode_become_one_and_stay_one(captured, passphrase, tmp_path):
    note_copy, lead_episode, note_episode = _two_copies_each_with_the_episode(captured, passphrase, tmp_path)
    with open_conversation(captured, passphrase) as store:
        service.ensure_saved(store)
        combine_copies(store, [note_copy], passphrase)
        account = service.ensure_saved(store).account
        by_source = {e.source_id: e for e in account.episodes}
        count = len(account.episodes)
        lead, notes = by_source[lead_episode], by_source[note_episode]  # the duplicate type-up showed
        combined, _ = ops.combine(account, lead.part_id, notes.part_id)
        before = service.load(store).revision
        revision = service.save(store, combined)
        assert revision is not None and revision.revision_id != before.revision_id  # a new revision
        # Read again (add_captured runs): the notetaker's copy is not brought back as new.
        again = service.load(store)
        assert not again.added and len(again.account.episodes) == count - 1
        one = next(e for e in again.account.episodes if e.source_id == lead_episode)
        assert {f.text for f in one.factors} == {"The strategy meeting factor", "Strategy discussion factor"}
        # A factor the notetaker's copy captured for it afterwards joins the combined episode.
        store.put(FactorTag(conversation_id=account.conversation_id, heading_id="team", text="Later factor",
                            episode_id=note_episode))
        later = service.load(store)
        assert later.added == ("1 contributory factor",)
        assert "Later factor" in {f.text for f in next(e for e in later.account.episodes
                                                        if e.source_id == lead_episode).factors}
        assert len(later.account.episodes) == count - 1
        # Deleted, it stays deleted, and its factors do not come back either.
        gone = ops.delete(later.account, one.part_id)
        service.save(store, gone)
        final = service.load(store)
        assert not final.added and lead_episode not in {e.source_id for e in final.account.episodes}
        assert "Later factor" not in {f.text for f in final.account.factors}
        # The document has neither, and no empty episode.
        assert not marked_parts(final.account)
        text = build_document(store).all_text()
        assert "strategy" not in text.casefold() and "Nothing noted yet" not in text


def test_an_agreed_account_is_reshaped_as_a_new_version(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        account = service.ensure_saved(store).account
        service.send_for_checking(store, date(2026, 2, 3))
        agreed = service.agree(store, date(2026, 2, 9))
        moved = ops.move(account, account.episodes[-1].part_id, -1)
        service.save(store, moved)
        assert service.account_at(store, agreed.revision_ids[0]).episodes == account.episodes  # unchanged
        assert not service.is_agreed(store, account.conversation_id)
        order = [e.part_id for e in account.episodes]
        assert len(order) >= 2
        assert [e.part_id for e in service.load(store).account.episodes] == order[:-2] + [order[-1], order[-2]]


def test_both_reviewers_typed_up_one_combined_the_duplicate_it_stays_combined():
    from lt_interview.typeup.versions import merge_versions

    first, duplicate, other = (AccountEpisode(title="Strategy meeting", did="Shared the concern."),
                               AccountEpisode(title="Strategy discussion", did="Raised it."),
                               AccountEpisode(title="Discharge"))
    base = _account(first, duplicate, other)
    lead, _ = ops.combine(base, first.part_id, duplicate.part_id)
    notetaker = base.model_copy(update={"overview": "The notetaker's overview."})
    merged, _ = merge_versions([("Lead", lead), ("Notetaker", notetaker)], base)
    assert [e.part_id for e in merged.episodes] == [first.part_id, other.part_id]
    assert merged.set_aside == {duplicate.part_id: first.part_id}
    assert merged.overview == "The notetaker's overview."
    # Had the notetaker changed the duplicate since, it would stay, with the change.
    edited = base.model_copy(deep=True)
    edited.episodes[1].felt = "Worried."
    kept, _ = merge_versions([("Lead", lead), ("Notetaker", edited)], base)
    assert duplicate.part_id in [e.part_id for e in kept.episodes]
