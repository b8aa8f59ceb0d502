"""Autosave's writer thread: drafts committed off the caller's thread, never racing its other uses."""

from __future__ import annotations

import threading

from lt_interview.domain.models import Note
from lt_interview.errors import SaveFailed
from lt_interview.storage.store import Store

CONV = "conv-1"


def note(text: str) -> Note:
    return Note(conversation_id=CONV, stage_id="overview", author_id="a", text=text)


def draft_body(store: Store, record_id: str) -> str | None:
    found = store.draft(record_id)
    return found[0].text if found else None


def test_draft_is_written_on_the_writer_thread_and_reported(review_path, passphrase):
    reported = []
    with Store.open(review_path, passphrase, actor_id="tester") as store:
        real = store._write_draft

        def watched(row):
            reported.append(("thread", threading.current_thread().name))
            real(row)

        store._write_draft = watched
        store.save_draft_soon("n1", note("first words"), lambda failure: reported.append(("written", failure)))
        assert draft_body(store, "n1") == "first words"  # reading settles the writer first
        assert reported == [("thread", "lt-interview autosave"), ("written", None)]
    with Store.open(review_path, passphrase, actor_id="tester") as store:
        assert draft_body(store, "n1") == "first words"


def test_a_queued_draft_is_replaced_by_a_newer_one_and_close_writes_it(review_path, passphrase):
    entered, gate = threading.Event(), threading.Event()
    written = []
    with Store.open(review_path, passphrase, actor_id="tester") as store:
        real = store._write_draft

        def slow(row):
            entered.set()
            gate.wait(5)
            real(row)
            written.append(row["body"])

        store._write_draft = slow
        store.save_draft_soon("n1", note("one"), lambda failure: None)
        assert entered.wait(5)  # taken by the thread, which waits at the gate
        store.save_draft_soon("n1", note("two"), lambda failure: None)
        store.save_draft_soon("n1", note("three"), lambda failure: None)  # replaces "two", still queued
        gate.set()
    # Closing the store wrote what was queued before closing the connection.
    assert [body.count("one") + body.count("three") for body in written] == [1, 1]
    with Store.open(review_path, passphrase, actor_id="tester") as store:
        assert draft_body(store, "n1") == "three"


def test_a_failed_commit_reaches_the_callback_and_leaves_the_file_as_it_was(review_path, passphrase):
    failures = []
    with Store.open(review_path, passphrase, actor_id="tester") as store:
        store.save_draft("n1", note("kept"))

        def broken(row):
            raise SaveFailed("disk full")

        store._write_draft = broken
        store.save_draft_soon("n1", note("lost"), failures.append)
        store.settle_drafts()
        assert [str(f) for f in failures] == ["disk full"]
        assert draft_body(store, "n1") == "kept"


def test_inside_a_transaction_the_draft_is_part_of_it(review_path, passphrase):
    threads = []
    with Store.open(review_path, passphrase, actor_id="tester") as store:
        real = store._write_draft

        def watched(row):
            threads.append(threading.current_thread().name)
            real(row)

        store._write_draft = watched
        with store.transaction():
            store.save_draft_soon("n1", note("in a transaction"), lambda failure: None)
        assert threads == [threading.current_thread().name]
        assert draft_body(store, "n1") == "in a transaction"
