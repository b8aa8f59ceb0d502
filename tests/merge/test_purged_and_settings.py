"""A purged review takes nothing back, and a merge never changes the review's own settings
(retention date, legal hold...): RELIABILITY.md §3.2 and §9."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from lt_interview.cli import main
from lt_interview.domain.models import Review
from lt_interview.errors import BadInput
from lt_interview.merge.importer import merge_files
from lt_interview.review.purge import purge
from lt_interview.storage.lookups import review_record
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import CONVERSATION, REVIEW, Store

from .conftest import sha256

PURGED = "was purged on 1 June 2026 after its retention date; nothing can be added to it"


def _set(path, passphrase, kind, **changes) -> None:
    with Store.open(path, passphrase, expect_kind=kind) as store:
        record_id, review = review_record(store)
        store.put(review.model_copy(update=changes), record_id)


def _settings(path, passphrase) -> Review:
    with Store.open(path, passphrase, expect_kind=REVIEW) as store:
        return review_record(store)[1]


def _purged(case):
    """A conversation file packed (with notes), then the review purged after its retention date."""
    path = case.pack(case.practitioners()[0], "nurse.ltc")
    case.add_notes(path, ["a note (fictional)"])
    _set(case.review, case.passphrase, REVIEW, retain_until=date(2020, 1, 1))
    with Store.open(case.review, case.passphrase, expect_kind=REVIEW) as store:
        purge(store, date(2026, 6, 1))
    return path


def test_a_purged_review_refuses_every_merge(case, capsys):
    path = _purged(case)
    before = sha256(case.review)
    with pytest.raises(BadInput, match=PURGED):
        merge_files(case.review, [path], case.passphrase)
    with pytest.raises(BadInput, match=PURGED):
        merge_files(case.review, [path], case.passphrase, dry_run=True)
    assert main(["merge", str(case.review), str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].endswith(PURGED)
    assert sha256(case.review) == before
    with Store.open(case.review, case.passphrase, expect_kind=REVIEW) as store:
        assert store.count_revisions() == 0
        assert store.conn.execute("SELECT count(*) FROM import_ledger").fetchone()[0] == 0


def test_a_purged_review_refuses_chronology_pack_and_settings(case, capsys, tmp_path):
    _purged(case)
    csv = tmp_path / "chronology.csv"
    csv.write_text("date,agency,event\n2024-01-01,School,A visit (fictional)\n", encoding="utf-8")
    before = sha256(case.review)
    for argv in (["chronology", "import", str(case.review), str(csv)],
                 ["chronology", "unlock", str(case.review), "--reason", "test"],
                 ["pack", str(case.review), "--practitioner", "Jo Hartley", "-o", str(tmp_path / "x.ltc")],
                 ["review", "set", str(case.review), "--retain-until", "2040-01-01"],
                 ["review", "person", str(case.review), "Someone", "--role", "Nurse"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].endswith(PURGED), (argv, err)
    assert not (tmp_path / "x.ltc").exists()
    assert sha256(case.review) == before
    assert main(["review", "show", str(case.review)]) == 2
    assert "was purged on 1 June 2026 after its retention date" in capsys.readouterr().err
    with Store.open(case.review, case.passphrase, expect_kind=REVIEW) as store:  # the store's own guard too
        with pytest.raises(BadInput, match=PURGED):
            store.put(Review(name="Back again"))
        assert store.count_revisions() == 0


def test_a_merge_never_changes_the_reviews_settings(case, capsys):
    """The review's settings are its own: a conversation file's copy never wins, whether older
    (packed before the review's retention date and legal hold were set) or, against normal use,
    edited in the conversation file."""
    path = case.pack(case.practitioners()[0], "nurse.ltc")
    case.add_notes(path, ["a note (fictional)"])
    _set(case.review, case.passphrase, REVIEW, retain_until=date(2031, 3, 31), legal_hold=True)
    _set(path, case.passphrase, CONVERSATION, retain_until=date(2020, 1, 1), legal_hold=False, blind_mode=False)
    with Store.open(case.review, case.passphrase) as store:
        revisions_before = store.count_revisions()
        settings_revisions = store.history(review_record(store)[0])
    assert main(["merge", str(case.review), str(path)]) == 0
    out = capsys.readouterr().out
    assert "nurse.ltc: added 1," in out and "review settings was not taken (the review keeps its own)" in out
    review = _settings(case.review, case.passphrase)
    assert review.retain_until == date(2031, 3, 31) and review.legal_hold and review.blind_mode
    with Store.open(case.review, case.passphrase) as store:
        record_id = review_record(store)[0]
        assert store.count_revisions() == revisions_before + 1  # the note only
        assert store.history(record_id) == settings_revisions and len(store.heads(record_id)) == 1
        assert store.conflicts() == []
    # A copy of the review, with settings of its own, does not change them either.
    copy = case.directory / "copy.ltr"
    with Store.open(case.review, case.passphrase) as store:
        store.backup_to(copy, case.passphrase)
    _set(copy, case.passphrase, REVIEW, retain_until=date(2021, 1, 1), legal_hold=False)
    report = merge_files(case.review, [copy], case.passphrase)
    assert report.added == 0 and report.inputs[0].settings_not_taken == 1
    review = _settings(case.review, case.passphrase)
    assert review.retain_until == date(2031, 3, 31) and review.legal_hold


def test_a_settings_revision_altered_in_a_conversation_file_is_still_refused(case, capsys):
    path = case.pack(case.practitioners()[0], "nurse.ltc")
    conn = case.raw(path)
    try:
        cursor = conn.execute("SELECT * FROM revision WHERE kind = 'review'")
        names = [c[0] for c in cursor.description]
        altered = Revision.from_row(dict(zip(names, cursor.fetchone())))
        altered = dataclasses.replace(altered, body=altered.body.replace('"legal_hold":false', '"legal_hold":true'))
        assert '"legal_hold":true' in altered.body
        altered = dataclasses.replace(altered, digest=Revision.compute_digest(dataclasses.asdict(altered)))
        conn.execute("UPDATE revision SET body = ?, digest = ? WHERE revision_id = ?",
                     (altered.body, altered.digest, altered.revision_id))
    finally:
        conn.close()
    before = sha256(case.review)
    assert main(["merge", str(case.review), str(path)]) == 2
    assert "already known with different content" in capsys.readouterr().err
    assert sha256(case.review) == before
