"""The session's autosave bookkeeping across the writer thread (no screen needed)."""

from __future__ import annotations

from lt_interview.domain.models import Note
from lt_interview.domain.structure import load_structure
from lt_interview.errors import SaveFailed
from lt_interview.conversation.session import ConversationSession

from tui_helpers import open_file

KEY = ("introduction", None)


def session_for(store) -> ConversationSession:
    session = ConversationSession(store, load_structure())
    session.set_author(session.reviewers()[1][0])
    return session


def test_a_failed_background_write_is_written_again_by_the_next_save(conversation_file):
    reports = []
    with open_file(conversation_file) as store:
        session = session_for(store)
        real = store._write_draft

        def broken(row):
            raise SaveFailed("disk full")

        store._write_draft = broken
        assert session.save_draft_soon(KEY, "words typed while the disk was full",
                                       lambda *report: reports.append(report))
        store.settle_drafts()
        assert [(key, type(failure)) for key, _, failure in reports] == [(KEY, SaveFailed)]
        store._write_draft = real
        # The text has not changed since, but it never reached the file: it is written now.
        assert session.save_draft(KEY, "words typed while the disk was full")
        assert not session.is_latest_write(KEY, reports[0][1])  # the old report is stale
        assert session.save_draft(KEY, "words typed while the disk was full") is False
    with open_file(conversation_file) as store:
        drafts = [record for _, record, _ in store.pending_drafts() if isinstance(record, Note)]
        assert [note.text for note in drafts] == ["words typed while the disk was full"]


def test_only_the_newest_write_of_a_section_is_reported_as_current(conversation_file):
    reports = []
    with open_file(conversation_file) as store:
        session = session_for(store)
        for text in ("one", "one two", "one two three"):
            session.save_draft_soon(KEY, text, lambda *report: reports.append(report))
        store.settle_drafts()
        current = [ticket for key, ticket, failure in reports if session.is_latest_write(key, ticket)]
        assert len(current) == 1 and all(failure is None for _, _, failure in reports)
        assert session.save_draft_soon(KEY, "one two three", lambda *report: None) is False


def test_a_write_is_pending_until_the_writer_finishes_it(conversation_file):
    import threading

    gate = threading.Event()
    with open_file(conversation_file) as store:
        session = session_for(store)
        real = store._write_draft

        def slow(row):
            gate.wait(5)
            real(row)

        store._write_draft = slow
        assert not session.write_pending(KEY)
        session.save_draft_soon(KEY, "still on its way", lambda *report: None)
        assert session.write_pending(KEY)
        assert session.save_draft_soon(KEY, "still on its way", lambda *report: None) is False
        assert session.write_pending(KEY)  # unchanged text, but not yet on disk
        gate.set()
        store.settle_drafts()
        assert not session.write_pending(KEY)
