"""Store behaviour: every write path written, closed, reopened and read back (D5)."""

import os
import stat
import subprocess
import sys
from datetime import date

import pytest

from lt_interview.domain.models import (
    ChronologyEntry, Episode, FactorTag, Note, NotedDivergence, Query, Quote,
    SuggestedChange, WentWell,
)
from lt_interview.errors import SaveFailed
from lt_interview.storage import _sqlite
from lt_interview.storage.store import CONVERSATION, REVIEW, Store

from tests.storage.helpers import written_files

CONV = "conv-1"


def reopen(path, passphrase):
    return Store.open(path, passphrase, actor_id="tester")


def test_every_record_kind_round_trips(review_path, passphrase):
    records = [
        Note(conversation_id=CONV, stage_id="overview", author_id="a", text="Line one\nLine two"),
        Episode(conversation_id=CONV, title="Home visit", when="early summer 2025", knew="little"),
        FactorTag(conversation_id=CONV, heading_id="conditions", item="Workload", text="busy"),
        Quote(conversation_id=CONV, text="'it felt normal then'"),
        WentWell(conversation_id=CONV, text="quick call back"),
        Query(conversation_id=CONV, question="Who chaired?", from_reviewers=True),
        SuggestedChange(conversation_id=CONV, text="shared record"),
        NotedDivergence(conversation_id=CONV, text="thought the GP knew", differs_from="the health visitor"),
        ChronologyEntry(when=date(2025, 6, 3), agency="GP practice", event="Appointment"),
    ]
    with reopen(review_path, passphrase) as store:
        ids = [store.put(record).record_id for record in records]
    with reopen(review_path, passphrase) as store:
        for record_id, record in zip(ids, records):
            assert store.get(record_id).record == record


def test_edit_delete_and_history_persist(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        first = store.put(Note(conversation_id=CONV, stage_id="overview", author_id="a", text="v1"))
        second = store.put(Note(conversation_id=CONV, stage_id="overview", author_id="a", text="v2"), first.record_id)
        assert second.parents == (first.revision_id,)
        gone = store.put(Note(conversation_id=CONV, stage_id="went_well", author_id="a", text="x"))
        store.delete(gone.record_id)
    with reopen(review_path, passphrase) as store:
        assert store.get(first.record_id).record.text == "v2"
        assert [r.revision_id for r in store.history(first.record_id)] == [first.revision_id, second.revision_id]
        assert store.get(gone.record_id) is None
        assert [r.deleted for r in store.history(gone.record_id)] == [0, 1]
        assert store.conflicts() == []
        assert all(r.digest_ok() for r in store.history(first.record_id))


def test_draft_autosave_seal_and_recovery_persist(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        note = Note(conversation_id=CONV, stage_id="overview", author_id="a", text="sealed")
        record_id = store.put(note).record_id
        store.save_draft(record_id, note.model_copy(update={"text": "sealed and more"}))
    # Reopened as after a crash: the draft is there, newer than the sealed text.
    with reopen(review_path, passphrase) as store:
        pending = store.pending_drafts()
        assert [(rid, rec.text) for rid, rec, _ in pending] == [(record_id, "sealed and more")]
        store.seal(record_id)
    with reopen(review_path, passphrase) as store:
        assert store.pending_drafts() == []
        assert store.get(record_id).record.text == "sealed and more"


def test_a_draft_equal_to_its_sealed_text_is_not_recovered(review_path, passphrase):
    """Drafts are written in pydantic's JSON, revisions in canonical JSON: recovery compares the
    records, not the bytes. A draft in the older canonical form still reads."""
    from lt_interview.storage.revisions import body_of

    with reopen(review_path, passphrase) as store:
        note = Note(conversation_id=CONV, stage_id="overview", author_id="a", text="same words")
        record_id = store.put(note).record_id
        store.save_draft(record_id, note)
        body = store.conn.execute("SELECT body FROM draft WHERE record_id = ?", (record_id,)).fetchone()[0]
        assert body != body_of(note)  # not canonical, yet the same record
        assert store.pending_drafts() == []
        older = note.model_copy(update={"text": "same words, then more"})
        store.conn.execute("UPDATE draft SET body = ? WHERE record_id = ?", (body_of(older), record_id))
        store.conn.commit()
    with reopen(review_path, passphrase) as store:
        assert [rec.text for _, rec, _ in store.pending_drafts()] == ["same words, then more"]


def test_discarding_a_draft_keeps_it_in_history(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        note = Note(conversation_id=CONV, stage_id="overview", author_id="a", text="kept")
        record_id = store.put(note).record_id
        store.save_draft(record_id, note.model_copy(update={"text": "discarded"}))
        store.discard_draft(record_id)
    with reopen(review_path, passphrase) as store:
        assert store.get(record_id).record.text == "kept"
        assert "discarded" in [r.record().text for r in store.history(record_id)]


def test_transaction_rolls_back_everything_on_error(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        before = store.count_revisions()
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.put(WentWell(conversation_id=CONV, text="one"))
                raise RuntimeError("boom")
        assert store.count_revisions() == before
    with reopen(review_path, passphrase) as store:
        assert store.count_revisions() == before


def test_insert_returning_through_sqlite_utils_on_an_encrypted_file(review_path, passphrase):
    # Regression for sqlite-utils catching the wrong exception class (RELIABILITY.md §2.3).
    with reopen(review_path, passphrase) as store:
        rows = list(store.db.query("INSERT INTO meta (key, value) VALUES ('probe', 'x') RETURNING key"))
        assert rows == [{"key": "probe"}]
    with reopen(review_path, passphrase) as store:
        assert store.meta("probe") == "x"


def test_wal_full_exclusive_and_fixed_sqlite(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store.conn.execute("PRAGMA locking_mode").fetchone()[0] == "exclusive"
        assert store.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert _sqlite.has_wal_reset_fix()
    assert not _sqlite.has_wal_reset_fix((3, 40, 1)) and _sqlite.has_wal_reset_fix((3, 44, 6))
    assert not _sqlite.has_wal_reset_fix((3, 51, 2)) and _sqlite.has_wal_reset_fix((3, 50, 7))


def test_files_are_private_under_umask_022(tmp_path, passphrase):
    os.umask(0o022)
    code = (
        "import os, sys; os.umask(0o022);"
        "from lt_interview.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    folder = tmp_path / "reviews"
    folder.mkdir(mode=0o755)
    result = subprocess.run([sys.executable, "-c", code, "demo", "--no-open", "--dir", str(folder / "demo")],
                            capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 0, result.stderr
    home = os.environ["LT_INTERVIEW_HOME"]
    for path in written_files(folder / "demo", home):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for directory in [folder / "demo", *[p for p in (folder / "demo").rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory


def test_canary_appears_in_no_file_the_app_wrote(tmp_path, passphrase, isolated_home):
    canary = "CANARY-7f3a-zebra-lantern"
    path = tmp_path / "c.ltr"
    from lt_interview.review.setup import create_review

    store = create_review(path, passphrase, name="Canary review")
    note = Note(conversation_id=CONV, stage_id="overview", author_id="a", text=f"said {canary} twice")
    record_id = store.put(note).record_id
    store.save_draft(record_id, note.model_copy(update={"text": canary * 3}))
    # Check while open too: the -wal holds the newest pages.
    files = written_files(tmp_path, isolated_home)
    assert any(p.name.endswith("-wal") for p in files)
    for file in files:
        assert canary.encode() not in file.read_bytes(), file
    store.close()
    for file in written_files(tmp_path, isolated_home):
        assert canary.encode() not in file.read_bytes(), file


def test_save_failure_is_typed(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        store.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(SaveFailed):
            store.put(WentWell(conversation_id=CONV, text="x"))


def test_second_instance_is_refused_and_first_unaffected(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        store.put(WentWell(conversation_id=CONV, text="first instance"))
        result = subprocess.run(
            [sys.executable, "-m", "lt_interview", "review", "show", str(review_path)],
            capture_output=True, text=True, timeout=20,
        )
        assert result.returncode == 3
        assert result.stderr.strip().endswith("already open in another window")
        assert result.stderr.count("\n") == 1
        store.put(WentWell(conversation_id=CONV, text="still writing"))
    with reopen(review_path, passphrase) as store:
        assert {r.text for _, r in store.records(WentWell)} == {"first instance", "still writing"}


def test_audit_records_actions_without_content_and_detects_tampering(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        store.put(WentWell(conversation_id=CONV, text="AUDIT-SECRET"))
        rows = list(store.db["audit"].rows)
        assert rows and not any("AUDIT-SECRET" in str(row) for row in rows)
        assert store.verify_audit() == len(rows)
        store.conn.execute("UPDATE audit SET action = 'record.view' WHERE seq = 2")
    from lt_interview.errors import CorruptFile

    with pytest.raises(CorruptFile, match="audit trail has been altered"):
        reopen(review_path, passphrase)


def test_audit_truncation_is_detected(review_path, passphrase):
    with reopen(review_path, passphrase) as store:
        store.put(WentWell(conversation_id=CONV, text="x"))
        last = store.conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
        store.conn.execute("DELETE FROM audit WHERE seq = ?", (last,))
    from lt_interview.errors import CorruptFile

    with pytest.raises(CorruptFile):
        reopen(review_path, passphrase)


def test_backup_copy_opens_with_the_same_passphrase(review_path, passphrase, tmp_path):
    with reopen(review_path, passphrase) as store:
        store.put(WentWell(conversation_id=CONV, text="copied"))
        store.backup_to(tmp_path / "copy.ltr", passphrase)
    with Store.open(tmp_path / "copy.ltr", passphrase, expect_kind=REVIEW) as copy:
        assert copy.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [r.text for _, r in copy.records(WentWell)] == ["copied"]


def test_wrong_kind_is_refused(review_path, passphrase):
    from lt_interview.errors import WrongKind

    with pytest.raises(WrongKind, match="expected a conversation file"):
        Store.open(review_path, passphrase, expect_kind=CONVERSATION)
