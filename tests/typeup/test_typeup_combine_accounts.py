"""Combining copies when one or both reviewers already typed up: nothing captured or typed is
left out, competing versions are shown part by part (never only the latest), a conversation
record both copies wrote the same way is not a conflict, and the overview pre-fill keeps both
reviewers' notes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from conftest import open_conversation
from lt_interview.domain.account import Account, AccountEpisode, AccountFactor, AccountItem, account_id_for
from lt_interview.domain.models import (
    Episode, FactorTag, Note, Query, Quote, Reviewer, SuggestedChange, WentWell,
)
from lt_interview.domain.lifecycle import Status
from lt_interview.errors import BadInput
from lt_interview.merge.describe import conflicts as describe_conflicts
from lt_interview.typeup import service
from lt_interview.typeup.build import build_account
from lt_interview.typeup.checks import all_notices
from lt_interview.typeup.combine import combine_copies
from lt_interview.domain.account_parts import iter_parts, set_text
from lt_interview.typeup.versions import marked_parts, merge_versions


def _pair(review_path, passphrase, tmp_path):
    """Two copies of one conversation, packed from the review like `pack` then `cp`; returns
    the paths, the conversation id and the lead's and the notetaker's reviewer ids."""
    from lt_interview.review.conversation_files import pack
    from lt_interview.storage.store import REVIEW, Store

    lead_copy, note_copy = tmp_path / "sw-lead.ltc", tmp_path / "sw-notes.ltc"
    with Store.open(review_path, passphrase, expect_kind=REVIEW, actor_id="tester") as review:
        pack(review, passphrase, "Health visitor", lead_copy)
    note_copy.write_bytes(lead_copy.read_bytes())
    with open_conversation(lead_copy, passphrase) as store:
        (lead_id, _), (notetaker_id, _) = store.records(Reviewer)[:2]
        conversation_id = store.meta("conversation_id")
    return lead_copy, note_copy, conversation_id, lead_id, notetaker_id


def _open_with_role(path, passphrase, conversation_id, reviewer_id, role):
    """What `converse --role ... --reviewer ...` writes on opening: the conversation record
    names its lead or notetaker and is in progress."""
    store = open_conversation(path, passphrase, actor_id=reviewer_id)
    conversation = store.get(conversation_id).record
    field = "lead_reviewer_id" if role == "lead" else "notetaker_id"
    store.put(conversation.model_copy(update={field: reviewer_id, "status": Status.IN_PROGRESS}), conversation_id)
    return store


def _lead_captures(store, conversation_id, lead_id):
    episode = store.put(Episode(conversation_id=conversation_id, title="The Friday referral", position=1))
    store.put(Note(conversation_id=conversation_id, stage_id="overview", author_id=lead_id,
                   text="10:02 Referral came on a Friday with three other cases waiting."))
    store.put(Quote(conversation_id=conversation_id, text="I just had to get through the list.",
                    episode_id=episode.record_id))
    store.put(FactorTag(conversation_id=conversation_id, heading_id="conditions", item="Workload",
                        text="Caseload was 28 that week.", episode_id=episode.record_id))
    return episode.record_id


def _notes_captures(store, conversation_id, notetaker_id):
    store.put(Note(conversation_id=conversation_id, stage_id="overview", author_id=notetaker_id,
                   text="10:03 In the duty team since 2023; first met the family in June."))
    store.put(WentWell(conversation_id=conversation_id, text="The joint visit with the health visitor."))
    store.put(Query(conversation_id=conversation_id, question="Was the GP letter received?"))
    store.put(SuggestedChange(conversation_id=conversation_id, text="A second duty worker on Fridays."))


def _head_account(path, passphrase) -> tuple[Account, int]:
    """The account as stored in the file: its latest head and how many heads it has."""
    with open_conversation(path, passphrase) as store:
        account_id = account_id_for(store.meta("conversation_id"))
        heads = store.heads(account_id)
        latest = max(heads, key=lambda rev: (rev.created_at, rev.revision_id))
        return Account.model_validate(json.loads(latest.body)), len(heads)


def test_items_from_the_other_copy_reach_an_account_already_saved(review_path, passphrase, tmp_path):
    lead_copy, note_copy, cid, lead_id, notetaker_id = _pair(review_path, passphrase, tmp_path)
    with _open_with_role(lead_copy, passphrase, cid, lead_id, "lead") as store:
        _lead_captures(store, cid, lead_id)
        state = service.ensure_saved(store)
        service.save(store, set_text(state.account, "overview", "Typed by the lead. " + state.account.overview))
    with _open_with_role(note_copy, passphrase, cid, notetaker_id, "notes") as store:
        _notes_captures(store, cid, notetaker_id)

    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        [result] = combine_copies(store, [note_copy], passphrase)
    assert result.account_added  # the reviewer is told what was added
    assert any("what went well" in line for line in result.account_lines())

    account, heads = _head_account(lead_copy, passphrase)
    assert heads == 1
    assert [item.text for item in account.went_well] == ["The joint visit with the health visitor."]
    assert [query.question for query in account.queries] == ["Was the GP letter received?"]
    assert [item.text for item in account.changes] == ["A second duty worker on Fridays."]
    assert account.overview.startswith("Typed by the lead. ")  # the typed wording is untouched
    assert [e.title for e in account.episodes] == ["The Friday referral"]
    assert [f.text for f in account.episodes[0].factors] == ["Caseload was 28 that week."]

    # combining again adds nothing more, and nothing is doubled
    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        [again] = combine_copies(store, [note_copy], passphrase)
        assert again.added == 0 and again.account_added == ()
    account_again, _ = _head_account(lead_copy, passphrase)
    assert account_again == account


def test_a_capture_made_after_typing_up_is_shown_and_then_saved(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        cid = store.meta("conversation_id")
        service.ensure_saved(store)
        store.put(WentWell(conversation_id=cid, text="Found a quiet room for the visit."))
        state = service.load(store)
        assert state.added == ("1 item of what went well",)
        assert "Found a quiet room for the visit." in [i.text for i in state.account.went_well]
        service.mark_typed_up(store)  # the version recorded holds it
    account, _ = _head_account(captured, passphrase)
    assert "Found a quiet room for the visit." in [i.text for i in account.went_well]


def _both_typed_up(review_path, passphrase, tmp_path):
    lead_copy, note_copy, cid, lead_id, notetaker_id = _pair(review_path, passphrase, tmp_path)
    with _open_with_role(lead_copy, passphrase, cid, lead_id, "lead") as store:
        _lead_captures(store, cid, lead_id)
        state = service.ensure_saved(store)
        episode = state.account.episodes[0]
        account = set_text(state.account, "overview", "The lead's overview.")
        account = set_text(account, f"episode:{episode.part_id}:knew", "Knew three other cases were waiting.")
        service.save(store, account)
    with _open_with_role(note_copy, passphrase, cid, notetaker_id, "notes") as store:
        _notes_captures(store, cid, notetaker_id)
        state = service.ensure_saved(store)
        account = set_text(state.account, "overview", "The notetaker's overview.")
        account = set_text(account, f"went_well:{account.went_well[0].part_id}", "The joint visit went well.")
        service.save(store, account)
    return lead_copy, note_copy, cid, lead_id, notetaker_id


def test_both_typed_up_shows_every_part_and_both_texts_where_they_differ(review_path, passphrase, tmp_path):
    lead_copy, note_copy, cid, lead_id, notetaker_id = _both_typed_up(review_path, passphrase, tmp_path)
    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        [result] = combine_copies(store, [note_copy], passphrase)
        assert result.account_versions == 2 and result.account_clashes == 1
        assert any("Both reviewers typed up" in line for line in result.account_lines())
        state = service.load(store)
        assert state.competing == 2  # still a conflict in the file: no code path picked a winner
        account = state.account
        # the lead's episode, its factor and quote, and the lead's typed wording are all there
        [episode] = account.episodes
        assert episode.title == "The Friday referral"
        assert episode.knew == "Knew three other cases were waiting."
        assert [f.item for f in episode.factors] == ["Workload"]
        assert [q.text for q in episode.quotes] == ["I just had to get through the list."]
        # the notetaker's items and typed wording too
        assert [i.text for i in account.went_well] == ["The joint visit went well."]
        assert [q.question for q in account.queries] == ["Was the GP letter received?"]
        # where both wrote differently, both texts, each marked with whose it is
        assert "The lead's overview." in account.overview and "The notetaker's overview." in account.overview
        names = {rid: r.name for rid, r in store.records(Reviewer)}
        assert f"⟦{names[lead_id]}'s version⟧" in account.overview
        assert f"⟦{names[notetaker_id]}'s version⟧" in account.overview
        assert state.marked_parts == ["overview"]
        # a persistent reminder on the part, not only a toast
        assert [n.part_key for n in all_notices(store, account) if n.kind == "versions"] == ["overview"]
        with pytest.raises(BadInput, match="competing versions"):
            service.send_for_checking(store)

        # the reviewer's next save settles the conflict with the combined account
        service.save(store, set_text(account, f"episode:{episode.part_id}:when", "June"))
        assert store.conflicts() == []
        settled = store.get(account_id_for(cid)).revision
        assert len(settled.parents) == 2  # names both versions; both stay in the history
    account, heads = _head_account(lead_copy, passphrase)
    assert heads == 1
    assert account.episodes[0].knew == "Knew three other cases were waiting."
    assert [i.text for i in account.went_well] == ["The joint visit went well."]
    assert "The lead's overview." in account.overview and "The notetaker's overview." in account.overview

    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        with pytest.raises(BadInput, match="more than one version"):
            service.mark_typed_up(store)  # the marked versions must be combined first
        state = service.load(store)
        service.save(store, set_text(state.account, "overview", "Both overviews, combined."))
        service.mark_typed_up(store)
        assert service.load(store).conversation.status.value == "typed_up"


def test_opening_both_copies_with_their_roles_is_not_a_conflict(review_path, passphrase, tmp_path):
    lead_copy, note_copy, cid, lead_id, notetaker_id = _pair(review_path, passphrase, tmp_path)
    _open_with_role(lead_copy, passphrase, cid, lead_id, "lead").close()
    _open_with_role(note_copy, passphrase, cid, notetaker_id, "notes").close()
    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        [result] = combine_copies(store, [note_copy], passphrase)
        assert result.conflicts == 0 and result.settled == 1
        assert "competing" not in result.describe()
        assert store.conflicts() == []
        conversation = store.get(cid).record
        assert conversation.lead_reviewer_id == lead_id and conversation.notetaker_id == notetaker_id
        history = store.history(cid)
        assert len(history[-1].parents) == 2  # both versions kept in the history
        assert {rev.revision_id for rev in history[:-1]} >= set(history[-1].parents)


def test_a_field_changed_two_ways_stays_a_conflict_shown_in_words(review_path, passphrase, tmp_path):
    lead_copy, note_copy, cid, lead_id, notetaker_id = _pair(review_path, passphrase, tmp_path)
    with _open_with_role(lead_copy, passphrase, cid, lead_id, "lead") as store:
        conversation = store.get(cid).record
        store.put(conversation.model_copy(update={"status": Status.HELD}), cid)
    _open_with_role(note_copy, passphrase, cid, notetaker_id, "notes").close()
    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        [result] = combine_copies(store, [note_copy], passphrase)
        assert result.conflicts == 1 and result.settled == 0
        [conflict] = describe_conflicts(store)
        statuses = sorted(dict(version.fields)["status"] for version in conflict.versions)
        assert statuses == ["Held", "In progress"]


def test_overview_prefill_keeps_both_reviewers_notes(review_path, passphrase, tmp_path):
    lead_copy, note_copy, cid, lead_id, notetaker_id = _pair(review_path, passphrase, tmp_path)
    with _open_with_role(lead_copy, passphrase, cid, lead_id, "lead") as store:
        _lead_captures(store, cid, lead_id)
    with _open_with_role(note_copy, passphrase, cid, notetaker_id, "notes") as store:
        _notes_captures(store, cid, notetaker_id)
    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        combine_copies(store, [note_copy], passphrase)
        names = {rid: r.name for rid, r in store.records(Reviewer)}
        service.ensure_saved(store)
    account, _ = _head_account(lead_copy, passphrase)
    overview = account.overview
    assert "Referral came on a Friday with three other cases waiting." in overview
    assert "In the duty team since 2023; first met the family in June." in overview
    assert f"⟦{names[notetaker_id]}'s notes (notetaker)⟧" in overview
    assert f"⟦{names[lead_id]}'s notes (lead reviewer)⟧" in overview
    assert overview.index(names[notetaker_id]) < overview.index(names[lead_id])
    assert marked_parts(account) == ["overview"]


def test_one_reviewers_overview_notes_are_not_marked(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        account = build_account(store, store.meta("conversation_id"))
        authors = {n.author_id for _, n in store.records(Note) if n.stage_id == "overview" and n.text.strip()}
    if len(authors) == 1:
        assert "⟦" not in account.overview


# --- the part-by-part union, as a property ----------------------------------------------------

_words = st.text(alphabet="abc xyz\n", max_size=12)
_ids = st.sampled_from([f"00000000-0000-4000-8000-00000000000{i}" for i in range(6)])


@st.composite
def _accounts(draw):
    def items(kind):
        ids = draw(st.lists(_ids, unique=True, max_size=4))
        return [kind(part_id=i, text=draw(_words)) if kind is AccountItem else
                kind(part_id=i, heading_id="conditions", text=draw(_words)) for i in ids]

    episodes = [AccountEpisode(part_id=i, title=draw(_words), knew=draw(_words), factors=items(AccountFactor),
                               quotes=items(AccountItem))
                for i in draw(st.lists(_ids, unique=True, max_size=3))]
    return Account(conversation_id="00000000-0000-4000-8000-0000000000aa", overview=draw(_words),
                   episodes=episodes, went_well=items(AccountItem), changes=items(AccountItem),
                   factors=items(AccountFactor))


def _texts(account: Account) -> dict[str, str]:
    return {part.key: part.text for part in iter_parts(account)}


@given(_accounts(), _accounts(), st.booleans())
def test_union_keeps_every_part_and_every_text(first, second, with_base):
    base = first if with_base else None
    merged, clashes = merge_versions([("Robin", first), ("Sam", second)], base)
    texts = _texts(merged)
    for version in (first, second):
        for key, text in _texts(version).items():
            assert key in texts  # no part drops out
            if text.strip() and not (base is not None and version is first):
                assert text in texts[key] or " ".join(text.split()) in texts[key]  # no wording lost
    assert clashes == len(marked_parts(merged))  # each part both changed is marked, and only those


@given(_accounts())
def test_union_of_one_version_with_itself_is_that_version(account):
    merged, clashes = merge_versions([("Robin", account), ("Sam", account)], None)
    assert merged == account and clashes == 0


def test_each_version_names_who_typed_it_up(review_path, passphrase, tmp_path):
    """Type-up records its author: the one reviewer the copy was opened by in conversation."""
    lead_copy, note_copy, cid, lead_id, notetaker_id = _pair(review_path, passphrase, tmp_path)
    _open_with_role(lead_copy, passphrase, cid, lead_id, "lead").close()
    with open_conversation(lead_copy, passphrase) as store:
        assert service.typist(store) == lead_id
        assert service.typist(store, "  " + store.records(Reviewer)[1][1].name.upper()) == notetaker_id
        with pytest.raises(BadInput, match="no single reviewer"):
            service.typist(store, "Nobody Known")
    _open_with_role(note_copy, passphrase, cid, notetaker_id, "notes").close()
    with open_conversation(lead_copy, passphrase) as store:
        combine_copies(store, [note_copy], passphrase)
        assert service.typist(store) == ""  # both named now: not known without --reviewer


def test_no_accuracy_check_document_while_versions_are_marked(review_path, passphrase, tmp_path):
    from lt_interview.typeup.accuracy import build_document

    lead_copy, note_copy, cid, lead_id, notetaker_id = _pair(review_path, passphrase, tmp_path)
    with _open_with_role(lead_copy, passphrase, cid, lead_id, "lead") as store:
        _lead_captures(store, cid, lead_id)
    with _open_with_role(note_copy, passphrase, cid, notetaker_id, "notes") as store:
        _notes_captures(store, cid, notetaker_id)
    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        combine_copies(store, [note_copy], passphrase)
        service.ensure_saved(store)  # the overview holds both reviewers' notes, marked
        with pytest.raises(BadInput, match="more than one version"):
            build_document(store)
        state = service.load(store)
        service.save(store, set_text(state.account, "overview", "One overview."))
        assert build_document(store) is not None
