"""Merging real encrypted files: round trips, ledger, audit chains, and hostile inputs
(RELIABILITY.md §3, §6; acceptance M1-M4, I1, I2)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from pathlib import Path

import pytest

from lt_interview.cli import main
from lt_interview.domain.ids import short_id
from lt_interview.domain.models import ChronologyEntry, Note, Practitioner
from lt_interview.errors import ImportRefused
from lt_interview.merge.checks import MAX_IMPORT_BYTES
from lt_interview.merge.conflicts import resolve_conflict
from lt_interview.merge.importer import backup_path, merge_files
from lt_interview.storage.audit import verify_chains
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import REVIEW, Store, Store as _Store

from .conftest import sha256


def copy_review(case, name: str) -> Path:
    target = case.directory / name
    with Store.open(case.review, case.passphrase) as store:
        store.backup_to(target, case.passphrase)
    return target


# --- round trips ---------------------------------------------------------------------------


def test_merge_adds_notes_and_is_order_independent(case):
    names = case.practitioners()
    files = [case.pack(names[i], f"c{i}.ltc") for i in range(3)]
    for i, path in enumerate(files):
        case.add_notes(path, [f"note {i}.{j} (fictional)" for j in range(3)])
    one, two = copy_review(case, "one.ltr"), copy_review(case, "two.ltr")
    report = merge_files(one, files, case.passphrase)
    assert report.added == 9 + 0  # three notes each; the conversation records were packed from the review
    for order in ([files[2]], [files[0], files[1]]):
        merge_files(two, order, case.passphrase)
    assert case.revisions(one) == case.revisions(two)
    assert case.heads(one) == case.heads(two)
    with Store.open(one, case.passphrase) as store:
        texts = sorted(note.text for _, note in store.records(Note))
        assert texts == sorted(f"note {i}.{j} (fictional)" for i in range(3) for j in range(3))
        assert store.conflicts() == []
        ledger = store.conn.execute("SELECT result, rows_added FROM import_ledger ORDER BY rowid").fetchall()
        assert sorted(ledger) == [("added", 3)] * 3


def test_reimport_adds_nothing_and_records_a_duplicate(case):
    path = case.pack(case.practitioners()[0], "hv.ltc")
    case.add_notes(path, ["first (fictional)", "second (fictional)"])
    merge_files(case.review, [path], case.passphrase)
    before = case.revisions(case.review)
    report = merge_files(case.review, [path], case.passphrase)
    assert report.added == 0 and report.inputs[0].result == "duplicate"
    assert case.revisions(case.review) == before
    with Store.open(case.review, case.passphrase) as store:
        rows = store.conn.execute(
            "SELECT file_sha256, rows_added, result FROM import_ledger ORDER BY imported_at, rowid").fetchall()
    assert [row[1:] for row in rows] == [(2, "added"), (0, "duplicate")]
    assert rows[0][0] == rows[1][0] == sha256(path)


def test_audit_chains_of_each_input_are_kept_and_verify(case):
    files = [case.pack(name, f"{i}.ltc") for i, name in enumerate(case.practitioners()[:2])]
    for path in files:
        case.add_notes(path, ["a note (fictional)"])
    merge_files(case.review, files, case.passphrase)
    with Store.open(case.review, case.passphrase) as store:  # Store.open re-verifies every chain
        chains = {row[0] for row in store.conn.execute("SELECT DISTINCT chain_id FROM audit")}
        assert store.file_id in chains
        for path in files:
            with Store.open(path, case.passphrase) as source:
                assert source.file_id in chains
        assert verify_chains(store.conn, source="review") > 0
        assert store.conn.execute("SELECT count(*) FROM audit WHERE action = 'merge'").fetchone()[0] == 1


def test_concurrent_edits_and_edit_against_delete_become_conflicts(case):
    name = case.practitioners()[0]
    lead, notes, third = (case.pack(name, f"{who}.ltc") for who in ("lead", "notes", "third"))
    # The same note reaches all three devices through the review.
    (note_id,) = case.add_notes(lead, ["shared note (fictional)"])
    merge_files(case.review, [lead], case.passphrase)
    notes, third = case.pack(name, "notes2.ltc"), case.pack(name, "third2.ltc")
    case.edit_note(lead, note_id, "the lead's version", device="lead")
    case.edit_note(notes, note_id, "the notetaker's version", device="notes")
    case.delete(third, note_id)
    report = merge_files(case.review, [lead, notes, third], case.passphrase)
    assert report.conflicts == 1
    with Store.open(case.review, case.passphrase) as store:
        assert store.conflicts() == [note_id]
        heads = store.heads(note_id)
        assert len(heads) == 3 and sum(rev.deleted for rev in heads) == 1
        assert {rev.record().text for rev in heads} >= {"the lead's version", "the notetaker's version"}
        current = store.get(note_id)
        assert current.conflict  # shown as a conflict, never silently settled
        settled = resolve_conflict(store, note_id, Note(**{**current.record.model_dump(), "text": "agreed text"}))
        assert set(settled.parents) == {rev.revision_id for rev in heads}
        assert store.conflicts() == []
        assert store.get(note_id).record.text == "agreed text"
        assert len(store.history(note_id)) == 5  # every version kept


def test_cli_conflicts_listing_and_dry_run(case, capsys):
    name = case.practitioners()[0]
    a = case.pack(name, "a.ltc")
    (note_id,) = case.add_notes(a, ["shared (fictional)"])
    merge_files(case.review, [a], case.passphrase)
    b = case.pack(name, "b.ltc")
    case.edit_note(a, note_id, "version a", device="a")
    case.edit_note(b, note_id, "version b", device="b")
    before = sha256(case.review)
    assert main(["merge", str(case.review), str(a), str(b), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("would merge a.ltc: added 1")
    assert out[1].startswith("would merge b.ltc: added 1") and out[1].endswith("conflicts 1")
    assert "1 record in conflict" in out[-1]
    assert sha256(case.review) == before
    assert main(["merge", str(case.review), str(a), str(b)]) == 0
    capsys.readouterr()
    assert main(["merge", str(case.review), "--conflicts"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(short_id(note_id)) and "note" in out[0] and "2 versions" in out[0]
    assert out[-1] == f"1 record in conflict; settle them with: lt-interview conflicts {case.review}"
    assert "version a" not in "\n".join(out)  # ids and counts only


def test_backup_beside_the_review(case):
    path = case.pack(case.practitioners()[0], "hv.ltc")
    case.add_notes(path, ["x (fictional)"])
    before = case.revisions(case.review)
    merge_files(case.review, [path], case.passphrase)
    backup = backup_path(case.review)
    assert backup.exists() and (backup.stat().st_mode & 0o777) == 0o600
    assert case.revisions(backup) == before
    merge_files(case.review, [path], case.passphrase)
    assert [p.name for p in case.directory.iterdir() if ".before-merge" in p.name] == [backup.name]


def test_drafts_are_not_merged(case):
    path = case.pack(case.practitioners()[0], "hv.ltc")
    (note_id,) = case.add_notes(path, ["sealed text (fictional)"])
    with Store.open(path, case.passphrase) as store:
        note = store.get(note_id).record
        store.save_draft(note_id, note.model_copy(update={"text": "unsaved draft text"}))
    report = merge_files(case.review, [path], case.passphrase)
    assert report.inputs[0].drafts == 1 and "not merged" in report.inputs[0].line()
    with Store.open(case.review, case.passphrase) as store:
        assert store.get(note_id).record.text == "sealed text (fictional)"
        assert store.conn.execute("SELECT count(*) FROM draft").fetchone()[0] == 0


def test_a_pack_never_contains_the_chronology(case):
    from lt_interview.review.chronology import import_entries

    with Store.open(case.review, case.passphrase) as store:
        import_entries(store, [ChronologyEntry(when="2025-05-01", agency="GP practice", event="Seen (fictional)")])
    path = case.pack(case.practitioners()[0], "hv.ltc")
    with Store.open(path, case.passphrase) as store:
        assert store.conn.execute("SELECT count(*) FROM revision WHERE kind LIKE 'chronology%'").fetchone()[0] == 0


# --- hostile inputs -------------------------------------------------------------------------


def _valid(case, name: str | None = None) -> Path:
    name = name or f"input-{len(list(case.directory.glob('input-*.ltc')))}.ltc"
    path = case.pack(case.practitioners()[0], name)
    case.add_notes(path, ["a note (fictional)"])
    return path


def _exec(case, path, *statements):
    conn = case.raw(path)
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def h_random_bytes(case):
    path = case.directory / "random.ltc"
    path.write_bytes(os.urandom(64 * 1024))
    return path, "wrong passphrase"


def h_truncated(case):
    path = _valid(case)
    os.truncate(path, path.stat().st_size // 2)
    return path, ""


def h_byte_flipped(case):
    path = _valid(case)
    data = bytearray(path.read_bytes())
    data[5000] ^= 0xFF
    path.write_bytes(bytes(data))
    return path, ""


def h_wrong_passphrase(case):
    path = case.directory / "other-key.ltc"
    with Store.open(case.review, case.passphrase) as review:
        review_id = review.review_id
    from lt_interview.storage.connection import read_salt

    Store.create(path, "a different passphrase", file_kind="conversation", review_id=review_id,
                 salt=read_salt(case.review)).close()
    return path, "wrong passphrase, or not an lt-interview file"


def h_plaintext(case):
    path = case.directory / "plain.ltc"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE revision (x)")
    conn.execute("INSERT INTO revision VALUES (zeroblob(5000))")
    conn.commit()
    conn.close()
    return path, "unencrypted"


def h_newer_schema(case):
    path = _valid(case)
    _exec(case, path, "PRAGMA user_version = 99")
    return path, "newer lt-interview"


def h_other_application(case):
    path = _valid(case)
    _exec(case, path, "PRAGMA application_id = 1234")
    return path, "not an lt-interview file"


def h_extra_table(case):
    path = _valid(case)
    _exec(case, path, "CREATE TABLE payload (x TEXT)")
    return path, "unexpected table 'payload'"


def h_extra_trigger(case):
    path = _valid(case)
    _exec(case, path, "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM revision; END")
    return path, "unexpected trigger 't'"


def h_extra_view(case):
    path = _valid(case)
    _exec(case, path, "CREATE VIEW v AS SELECT * FROM revision")
    return path, "unexpected view 'v'"


def h_extra_index(case):
    path = _valid(case)
    _exec(case, path, "CREATE INDEX sneaky ON revision(body)")
    return path, "unexpected index 'sneaky'"


def h_extra_column(case):
    path = _valid(case)
    _exec(case, path, "ALTER TABLE revision ADD COLUMN extra TEXT")
    return path, "the table 'revision' does not have the expected layout"


def h_tampered_digest(case):
    path = _valid(case)
    _exec(case, path, "UPDATE revision SET body = replace(body, 'a note', 'A NOTE') WHERE kind = 'note'")
    return path, "does not match its digest"


def h_known_id_other_digest(case):
    path = _valid(case)
    conn = case.raw(path)
    try:
        cursor = conn.execute("SELECT * FROM revision WHERE kind = 'practitioner'")
        names = [c[0] for c in cursor.description]
        row = dict(zip(names, cursor.fetchone()))
        altered = Revision.from_row(row)
        altered = dataclasses.replace(altered, reviewer_id="someone else")
        altered = dataclasses.replace(altered, digest=Revision.compute_digest(dataclasses.asdict(altered)))
        conn.execute("UPDATE revision SET reviewer_id = ?, digest = ? WHERE revision_id = ?",
                     (altered.reviewer_id, altered.digest, altered.revision_id))
    finally:
        conn.close()
    return path, "already known with different content"


def h_sparse_over_limit(case):
    path = case.directory / "huge.ltc"
    path.write_bytes(b"")
    os.truncate(path, 10 * 1024**3)  # 10 GB, sparse: costs no disk
    return path, "too large"


def h_text_over_1mb(case):
    path = _valid(case)
    with Store.open(path, case.passphrase) as store:
        conversation_id = store.meta("conversation_id")
    case.insert_revision(path, kind="note", conversation_id=conversation_id, body={
        "conversation_id": conversation_id, "stage_id": "overview", "author_id": "x",
        "episode_id": None, "text": "x" * 1_100_000})
    return path, "at most 1000000 characters"


def h_chronology_in_conversation(case):
    path = _valid(case)
    case.insert_revision(path, kind="chronology", conversation_id=None,
                         body={"when": "2025-01-01", "agency": "GP practice", "event": "fictional"})
    return path, "review-only records"


def h_altered_audit(case):
    path = _valid(case)
    _exec(case, path, "UPDATE audit SET action = 'record.view' WHERE seq = 1")
    return path, "audit trail has been altered"


def h_another_review(case):
    from lt_interview.demo.data import FRAMEWORK
    from lt_interview.review.conversation_files import pack
    from lt_interview.review.setup import create_review

    other = case.directory / "other.ltr"
    with create_review(other, case.passphrase, framework=FRAMEWORK) as store:
        path = case.directory / "other.ltc"
        pack(store, case.passphrase, "Jo Hartley", path)
    return path, "belongs to another review"


def h_wal_beside(case):
    path = _valid(case)
    Path(str(path) + "-wal").write_bytes(b"")
    return path, "not closed properly"


HOSTILE = [value for key, value in sorted(globals().items()) if key.startswith("h_")]


def bytes_read() -> int | None:
    """Bytes this process (and its reaped children: the merge's forked checkers) has read so far,
    from Linux's /proc/self/io; None where that is not available."""
    try:
        with open("/proc/self/io") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("rchar:"))
    except (OSError, StopIteration, ValueError):
        return None


@pytest.mark.parametrize("make", HOSTILE, ids=[f.__name__[2:] for f in HOSTILE])
def test_hostile_input_is_refused_with_one_line_and_the_review_unchanged(case, capsys, make):
    good = _valid(case, "good.ltc")  # all or nothing: a good file alongside is not merged either
    bad, expected = make(case)
    before = sha256(case.review)
    read_before = bytes_read()
    code = main(["merge", str(case.review), str(good), str(bad)])
    read_after = bytes_read()
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert str(bad) in lines[0] and expected in lines[0]
    assert "Traceback" not in captured.err
    assert sha256(case.review) == before
    assert not backup_path(case.review).exists()
    # Bytes read, not seconds, so a slow machine cannot fail it: the 10 GB sparse file is refused by size unread (I2).
    if read_before is not None and read_after is not None:
        assert read_after - read_before < MAX_IMPORT_BYTES, f"the merge read {read_after - read_before} bytes"


def test_refusal_raises_a_typed_error_naming_the_file(case):
    bad, _ = h_extra_trigger(case)
    with pytest.raises(ImportRefused) as caught:
        merge_files(case.review, [bad], case.passphrase)
    assert str(bad) in str(caught.value) and "\n" not in str(caught.value)


def test_review_file_must_be_a_review(case, capsys):
    path = _valid(case)
    assert main(["merge", str(path), str(path)]) == 2
    assert "expected a review file" in capsys.readouterr().err


def test_staging_leaves_no_files_behind(case, tmp_path, monkeypatch):
    import tempfile

    staging_root = tmp_path / "tmp"
    staging_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging_root))
    path = _valid(case)
    merge_files(case.review, [path], case.passphrase)
    with pytest.raises(ImportRefused):
        merge_files(case.review, [h_extra_table(case)[0]], case.passphrase)
    assert list(staging_root.iterdir()) == []


def test_the_input_file_is_not_modified(case):
    path = _valid(case)
    before = sha256(path)
    merge_files(case.review, [path], case.passphrase)
    assert sha256(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_store_alias_is_the_same_class():
    assert _Store is Store and REVIEW == "review"


def test_the_cyclic_collector_is_off_during_a_merge_and_back_on_after(case):
    import gc

    names = case.practitioners()
    good = case.pack(names[0], "gc-good.ltc")
    bad = case.directory / "gc-bad.ltc"
    bad.write_bytes(os.urandom(8192))
    seen = []
    review = copy_review(case, "gc.ltr")
    merge_files(review, [good], case.passphrase, progress=lambda *step: seen.append(gc.isenabled()))
    assert seen and not any(seen) and gc.isenabled()
    with pytest.raises(ImportRefused):
        merge_files(review, [bad], case.passphrase)
    assert gc.isenabled()
    gc.disable()
    try:  # a caller who had switched it off keeps it off
        merge_files(review, [good], case.passphrase)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_conflicts_listing_names_the_conversation_and_stage_and_each_file_counts_its_own(case, capsys):
    names = case.practitioners()
    a = case.pack(names[0], "a.ltc")
    (note_id,) = case.add_notes(a, ["shared (fictional)"])
    merge_files(case.review, [a], case.passphrase)
    b = case.pack(names[0], "b.ltc")
    case.edit_note(a, note_id, "version a", device="a")
    case.edit_note(b, note_id, "version b", device="b")
    other = case.pack(names[1], "other.ltc")
    assert main(["merge", str(case.review), str(a), str(b), str(other)]) == 0
    out = capsys.readouterr().out.splitlines()
    # Each brought a version of the note the other changed too (the order does not matter).
    assert out[0].startswith("a.ltc: added 1") and out[0].endswith("conflicts 1")
    assert out[1].startswith("b.ltc: added 1") and out[1].endswith("conflicts 1")
    assert out[2].startswith("other.ltc:") and out[2].endswith("conflicts 0")
    # Merged again, with one more note in a: neither file brings the conflict again.
    case.add_notes(a, ["another note (fictional)"])
    assert main(["merge", str(case.review), str(a), str(b)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("a.ltc: added 1,") and out[0].endswith("conflicts 0"), out[0]
    assert out[1] == "b.ltc: duplicate (nothing new), conflicts 0"
    assert out[2].startswith("Merged 2 files; added 1 revision; 1 record in conflict")
    with Store.open(case.review, case.passphrase) as store:
        role = next(p.role for _, p in store.records(Practitioner) if p.name == names[0])
        assert store.conflicts() == [note_id]
    assert main(["merge", str(case.review), "--conflicts"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith(f"{short_id(note_id)}  notes, stage 2 Overview, in the conversation with the ")
    assert role.split()[-1].lower() in line.lower() and names[0] not in line  # by role, never by name
    assert "2 versions" in line and "version a" not in line and "version b" not in line


def test_where_a_record_is_described_by_role_and_stage(case):
    from lt_interview.domain.models import Conversation, Episode
    from lt_interview.merge.describe import where

    path = case.pack("Jo Hartley", "hv.ltc")
    (note_id,) = case.add_notes(path, ["words (fictional)"])
    merge_files(case.review, [path], case.passphrase)
    with Store.open(case.review, case.passphrase) as store:
        role = next(p.role for _, p in store.records(Practitioner) if p.name == "Jo Hartley")
        the = f"the {role[0].lower()}{role[1:]}" if not role.split()[0].isupper() else f"the {role}"
        conversation_id, _ = store.records(Conversation)[0]
        assert where(store, store.heads(note_id)[0]) == f"notes, stage 2 Overview, in the conversation with {the}"
        assert where(store, store.heads(conversation_id)[0]) == (
            f"conversation details (status, dates, reviewers), in the conversation with {the}")
        practitioner_id = next(pid for pid, p in store.records(Practitioner) if p.name == "Jo Hartley")
        assert where(store, store.heads(practitioner_id)[0]) == "practitioner"
        episode = store.put(Episode(conversation_id=conversation_id, title="A visit (fictional)"))
        assert where(store, episode).startswith("episode, in the conversation with ")
