"""The streamed merge (compact planning from the staging copies, heads rebuilt from a temporary
table) agrees with the reference implementations: the pure planner over every revision held in
memory, and Store.rebuild_heads over the whole revision log. All data fictional."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from lt_interview.merge import importer
from lt_interview.merge.importer import merge_files
from lt_interview.merge.plan import Rev, plan
from lt_interview.storage.store import Store


def _revs(path: Path, passphrase: str, *, merged_only: bool = False) -> dict[str, Rev]:
    """A file's revisions; `merged_only`: those a merge takes from it (never the review settings
    record, which stays the target's own)."""
    with Store.open(path, passphrase) as store:
        rows = store.conn.execute("SELECT revision_id, record_id, parents, digest, deleted FROM revision"
                                  + (" WHERE kind <> 'review'" if merged_only else ""))
        return {row[0]: Rev(row[0], row[1], frozenset(json.loads(row[2])), row[3], bool(row[4])) for row in rows}


def _head_rows(path: Path, passphrase: str) -> set[tuple]:
    with Store.open(path, passphrase) as store:
        return set(store.conn.execute("SELECT revision_id, record_id, kind, conversation_id, deleted FROM head"))


def _histories(case) -> list[Path]:
    """Edits on three devices and in the review itself (a head no input carries), a removal
    against an edit, new notes, and one input given twice."""
    names = case.practitioners()
    lead = case.pack(names[0], "lead.ltc")
    (shared,) = case.add_notes(lead, ["shared note (fictional)"])
    merge_files(case.review, [lead], case.passphrase)
    notes, third = case.pack(names[0], "notes.ltc"), case.pack(names[0], "third.ltc")
    case.edit_note(lead, shared, "the lead's version (fictional)", device="lead")
    case.edit_note(notes, shared, "the notetaker's version (fictional)", device="notes")
    case.delete(third, shared)
    case.edit_note(case.review, shared, "the review's own version (fictional)", device="review")
    other = case.pack(names[1], "other.ltc")
    (mine,) = case.add_notes(other, ["first words (fictional)"])
    case.edit_note(other, mine, "second words (fictional)", device="other")
    case.add_notes(notes, ["a note only the notetaker wrote (fictional)"])
    return [lead, notes, third, other, notes]


@pytest.mark.parametrize("preload", [True, False], ids=["review-keys-read-once", "looked-up-per-input"])
def test_plan_and_heads_match_the_reference_implementations(case, monkeypatch, preload):
    monkeypatch.setattr(importer, "_preload_review", lambda review, inputs: preload)
    inputs = _histories(case)
    existing = _revs(case.review, case.passphrase)
    expected = plan(existing, [(str(path), _revs(path, case.passphrase, merged_only=True)) for path in inputs])
    in_files = [len(_revs(path, case.passphrase)) for path in inputs]

    dry = merge_files(case.review, inputs, case.passphrase, dry_run=True)
    report = merge_files(case.review, inputs, case.passphrase)
    for got in (dry, report):
        assert [(i.seen, i.added, i.duplicate, i.conflicts, i.result) for i in got.inputs] == [
            (p.seen, p.added, p.duplicate, p.conflicts, p.result) for p in expected.inputs]
    assert dry.conflicts == len(expected.conflict_records) == report.conflicts == 1
    assert report.added == expected.added > 0

    merged = _head_rows(case.review, case.passphrase)
    with Store.open(case.review, case.passphrase) as store:
        with store.transaction():
            store.rebuild_heads()  # the whole log, the reference
        assert store.conflicts() == list(expected.conflict_records)
        ledger = store.conn.execute("SELECT rows_seen, rows_added FROM import_ledger ORDER BY rowid").fetchall()
    assert merged == _head_rows(case.review, case.passphrase)
    # The ledger counts every revision the file held, its copy of the review settings included.
    assert ledger[-len(inputs):] == [(seen, p.added) for seen, p in zip(in_files, expected.inputs)]


def test_merge_leaves_the_connection_as_it_found_it(case):
    path = case.pack(case.practitioners()[0], "hv.ltc")
    case.add_notes(path, ["a note (fictional)"])
    with Store.open(case.review, case.passphrase) as store:
        cache = store.conn.execute("PRAGMA main.cache_size").fetchone()[0]
        merge_files(store, [path], case.passphrase)
        assert store.conn.execute("PRAGMA main.cache_size").fetchone()[0] == cache
        temp = {row[0] for row in store.conn.execute("SELECT name FROM temp.sqlite_schema WHERE type = 'table'")}
        assert not temp & {"merge_rev", "merge_audit", "merge_cand", "merge_named", "merge_keys"}
        assert "mergework" not in {row[1] for row in store.conn.execute("PRAGMA database_list")}


@pytest.mark.parametrize("preload", [True, False], ids=["review-keys-read-once", "looked-up-per-input"])
def test_a_known_revision_with_other_content_is_refused_either_way(case, monkeypatch, preload):
    from tests.merge.conftest import sha256
    from tests.merge.test_importer import _valid, h_known_id_other_digest

    monkeypatch.setattr(importer, "_preload_review", lambda review, inputs: preload)
    good = _valid(case, "good.ltc")
    bad, expected = h_known_id_other_digest(case)
    before = sha256(case.review)
    with pytest.raises(importer.ImportRefused) as caught:
        merge_files(case.review, [good, bad], case.passphrase)
    assert str(bad) in str(caught.value) and expected in str(caught.value)
    assert sha256(case.review) == before


def test_checked_rows_handed_over_give_the_same_merge_as_the_staging_copies(case, monkeypatch, tmp_path):
    """A conversation file is checked in a keyed in-memory copy and its rows, as the check read
    and validated them, go into the review; a review copy (or a large input) is read from a
    staging file. Both paths give the same revisions, heads and audit trail."""
    from lt_interview.merge import checks, union

    inputs = _histories(case)
    review_copy = tmp_path / "review-copy.ltr"
    with Store.open(case.review, case.passphrase) as store:
        store.backup_to(review_copy, case.passphrase)
    inputs.append(review_copy)
    targets = {}
    real_open = union.StagingCopy.open
    for mode in ("handed over", "from staging"):
        target = tmp_path / f"{mode.replace(' ', '-')}.ltr"
        with Store.open(case.review, case.passphrase) as store:
            store.backup_to(target, case.passphrase)
        opened = []
        monkeypatch.setattr(union, "StagingCopy", SimpleNamespace(
            open=lambda path, *a, _opened=opened, **k: _opened.append(path) or real_open(path, *a, **k)))
        if mode == "from staging":
            monkeypatch.setattr(checks, "ROWS_HANDED_OVER_BYTES", 0)
        merge_files(target, inputs, case.passphrase)
        # Only the review copy is read again from staging when rows are handed over.
        assert len(opened) == (1 if mode == "handed over" else len(inputs))
        targets[mode] = target
    one, two = targets["handed over"], targets["from staging"]
    assert _revs(one, case.passphrase) == _revs(two, case.passphrase)
    assert _head_rows(one, case.passphrase) == _head_rows(two, case.passphrase)
    with Store.open(one, case.passphrase) as a, Store.open(two, case.passphrase) as b:
        # Every entry but each target's own record of this merge (its own id and time).
        query = "SELECT audit_id, hash FROM audit WHERE action <> 'merge' ORDER BY audit_id"
        assert a.conn.execute(query).fetchall() == b.conn.execute(query).fetchall()
