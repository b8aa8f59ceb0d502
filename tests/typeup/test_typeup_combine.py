"""Combining the lead's and the notetaker's copies of one conversation."""

from __future__ import annotations


import pytest

from conftest import open_conversation
from lt_interview.domain.models import Note, Reviewer
from lt_interview.errors import ImportRefused
from lt_interview.typeup.combine import combine_copies
from lt_interview.typeup import service


def _two_copies(captured, passphrase, tmp_path):
    """The lead's and the notetaker's copies of one conversation, each packed from the review
    (so they share the conversation's revisions), each with notes by a different author."""
    from lt_interview.review.conversation_files import pack
    from lt_interview.storage.store import REVIEW, Store

    lead_copy = captured
    note_copy = tmp_path / "notetaker.ltc"
    with Store.open(tmp_path / "review.ltr", passphrase, expect_kind=REVIEW) as review:
        pack(review, passphrase, "Health visitor", note_copy)
    with open_conversation(lead_copy, passphrase) as store:
        (lead_id, _), (notetaker_id, _) = store.records(Reviewer)[:2]
        conversation_id = store.meta("conversation_id")
    with open_conversation(lead_copy, passphrase, actor_id=lead_id) as store:
        store.put(Note(conversation_id=conversation_id, stage_id="queries", author_id=lead_id,
                       text="11:10 Asked about the GP letter; Jo had not seen it."))
    with open_conversation(note_copy, passphrase, actor_id=notetaker_id) as store:
        store.put(Note(conversation_id=conversation_id, stage_id="queries", author_id=notetaker_id,
                       text="11:11 GP letter not received by HV team."))
    return lead_copy, note_copy, lead_id, notetaker_id


def _revision_ids(path, passphrase):
    with open_conversation(path, passphrase) as store:
        return {row[0] for row in store.conn.execute("SELECT revision_id FROM revision")}


def test_two_copies_combine_without_loss_or_doubling(captured, passphrase, tmp_path):
    lead_copy, note_copy, lead_id, notetaker_id = _two_copies(captured, passphrase, tmp_path)
    before_lead = _revision_ids(lead_copy, passphrase)
    before_note = _revision_ids(note_copy, passphrase)
    shared = before_lead & before_note
    assert shared and before_lead - shared and before_note - shared

    with open_conversation(lead_copy, passphrase) as store:
        [result] = combine_copies(store, [note_copy], passphrase)
        assert result.added == len(before_note - shared) == 1
        assert result.already_held == len(shared)
    after = _revision_ids(lead_copy, passphrase)
    assert after == before_lead | before_note  # nothing lost, nothing doubled
    with open_conversation(lead_copy, passphrase) as store:
        authors = {n.author_id for _, n in store.records(Note) if n.stage_id == "queries"}
        assert authors == {lead_id, notetaker_id}
        # the notes from the live conversation appear once each
        texts = [n.text for _, n in store.records(Note)]
        assert len(texts) == len(set(texts))
        # merging again changes nothing
        [again] = combine_copies(store, [note_copy], passphrase)
        assert again.added == 0 and again.already_held == again.seen
        ledger = [r[0] for r in store.conn.execute("SELECT result FROM import_ledger ORDER BY imported_at")]
        assert ledger == ["added", "duplicate"]
        # the account is built from the combined notes
        assert service.load(store).account.episodes
    assert _revision_ids(lead_copy, passphrase) == after


def test_both_typed_up_gives_a_conflict_not_a_silent_winner(captured, passphrase, tmp_path):
    lead_copy, note_copy, *_ = _two_copies(captured, passphrase, tmp_path)
    for path, words in ((lead_copy, "Lead's version."), (note_copy, "Notetaker's version.")):
        with open_conversation(path, passphrase) as store:
            state = service.ensure_saved(store)
            service.save(store, state.account.model_copy(update={"overview": words}))
    with open_conversation(lead_copy, passphrase) as store:
        [result] = combine_copies(store, [note_copy], passphrase)
        assert result.conflicts == 1
        state = service.load(store)
        assert state.competing == 2
        with pytest.raises(Exception, match="competing versions"):
            service.send_for_checking(store)
        # settling: a save names both heads as parents
        service.save(store, state.account.model_copy(update={"overview": "Both, settled."}))
        assert service.load(store).competing == 1
        assert store.conflicts() == []


def test_copy_of_another_conversation_is_refused_and_nothing_changes(captured, passphrase, tmp_path, review_path):
    from lt_interview.review.conversation_files import pack
    from lt_interview.storage.store import REVIEW, Store

    other = tmp_path / "gp.ltc"
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as review:
        pack(review, passphrase, "GP", other)
    before = _revision_ids(captured, passphrase)
    with open_conversation(captured, passphrase) as store:
        with pytest.raises(ImportRefused, match="same conversation"):
            combine_copies(store, [other], passphrase)
    assert _revision_ids(captured, passphrase) == before


def test_tampered_revision_refuses_the_whole_copy(captured, passphrase, tmp_path):
    lead_copy, note_copy, *_ = _two_copies(captured, passphrase, tmp_path)
    with open_conversation(note_copy, passphrase) as store:
        store.conn.execute("UPDATE revision SET body = replace(body, 'Health visitor', 'Health visitar') WHERE kind = 'practitioner'")
    before = _revision_ids(lead_copy, passphrase)
    with open_conversation(lead_copy, passphrase) as store:
        with pytest.raises(ImportRefused, match="digest"):
            combine_copies(store, [note_copy], passphrase)
    assert _revision_ids(lead_copy, passphrase) == before
