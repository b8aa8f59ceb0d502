"""S6: purge after the retention date leaves no trace of the content; legal hold blocks it."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lt_interview.domain.models import Note, Review
from lt_interview.errors import BadInput
from lt_interview.review.purge import purge, retention_warning
from lt_interview.review.setup import add_pseudonym
from lt_interview.storage.lookups import review_record
from lt_interview.storage.store import REVIEW, Store

pytestmark = pytest.mark.reliability
CANARY = "PURGE-CANARY-quartz-heron"


def make_review(path, passphrase, *, encrypt=True, retain=date(2026, 1, 1), hold=False):
    store = Store.create(path, passphrase, file_kind=REVIEW, review_id="r1", actor_id="t", encrypt=encrypt)
    store.put(Review(name="Purge test", retain_until=retain, legal_hold=hold), "r1")
    for i in range(200):
        store.put(Note(conversation_id="c1", stage_id="overview", author_id="a", text=f"{CANARY} line {i} " * 20))
    add_pseudonym(store, "Child P", f"{CANARY} Realname", "child")
    note = Note(conversation_id="c1", stage_id="went_well", author_id="a", text=CANARY)
    store.save_draft("draft-1", note)
    return store


def test_purge_leaves_no_canary_in_database_or_wal_bytes(tmp_path, passphrase):
    path = tmp_path / "plain.ltr"
    store = make_review(path, passphrase, encrypt=False)
    assert CANARY.encode() in path.read_bytes() + (tmp_path / "plain.ltr-wal").read_bytes()
    counts = purge(store, date(2026, 6, 1))
    assert counts["revision"] >= 201 and counts["pseudonym_map"] == 1
    for name in ("plain.ltr", "plain.ltr-wal"):
        file = tmp_path / name
        if file.exists():
            assert CANARY.encode() not in file.read_bytes(), name
    store.close()
    data = path.read_bytes()
    assert CANARY.encode() not in data and b"Realname" not in data
    with Store.open(path, passphrase, encrypt=False) as reopened:
        assert reopened.count_revisions() == 0
        (entry,) = [r for r in reopened.db["audit"].rows if r["action"] == "review.purge"]
        assert CANARY not in str(entry) and '"revision":' in entry["detail"]
        assert reopened.verify_audit() > 0


def test_legal_hold_and_retention_block_purge(tmp_path, passphrase):
    with make_review(tmp_path / "held.ltr", passphrase, hold=True) as store:
        with pytest.raises(BadInput, match="legal hold"):
            purge(store, date(2030, 1, 1))
        assert store.count_revisions() > 200
    with make_review(tmp_path / "kept.ltr", passphrase, retain=date(2031, 1, 1)) as store:
        with pytest.raises(BadInput, match="kept until"):
            purge(store, date(2030, 1, 1))
        _, review = review_record(store)
        assert retention_warning(review, date(2030, 1, 1)) is None
        assert "has passed" in retention_warning(review, date(2031, 1, 2))


def test_purge_and_legal_hold_from_the_command_line(review_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "lt_interview", *a], capture_output=True,  # noqa: E731
                                    text=True, timeout=60, env=dict(os.environ))
    assert run("review", "set", str(review_path), "--legal-hold", "on").returncode == 0
    blocked = run("purge", str(review_path), "--yes")
    assert blocked.returncode == 2 and "legal hold" in blocked.stderr and blocked.stderr.count("\n") == 1
    assert run("review", "set", str(review_path), "--legal-hold", "off", "--retain-until", "2020-01-01").returncode == 0
    done = run("purge", str(review_path), "--yes")
    assert done.returncode == 0, done.stderr
    assert "revisions removed" in done.stdout


def test_purge_removes_every_copy_made_beside_the_review(tmp_path, passphrase):
    """The backup before the last merge (and a killed merge's temporary one) held the notes,
    the chronology and the real names after the review itself was purged."""
    from lt_interview.merge.importer import merge_files
    from lt_interview.storage.copies import backup_path, copies_of, new_unfinished_backup
    from tests.reliability.overlap_helpers import build_case

    case = build_case(tmp_path / "case", passphrase)
    review = case / "review.ltr"
    with Store.open(review, passphrase, expect_kind=REVIEW) as store:
        add_pseudonym(store, "Child P", f"{CANARY} Realname", "child")
    merge_files(review, [case / "c0.ltc"], passphrase)
    merge_files(review, [case / "c1.ltc"], passphrase)
    assert backup_path(review).exists()
    stale = new_unfinished_backup(review)
    stale.write_bytes(b"left by a merge that was stopped")
    Path(str(stale) + "-wal").write_bytes(b"its log")
    assert len(copies_of(review)) == 3
    others = sorted(path.name for path in case.iterdir() if path not in copies_of(review))
    result = subprocess.run([sys.executable, "-m", "lt_interview", "review", "set", str(review),
                             "--retain-until", "2020-01-01"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-m", "lt_interview", "purge", str(review), "--yes"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Removed 3 backup files" in result.stdout
    assert copies_of(review) == []
    assert sorted(path.name for path in case.iterdir()) == others
    with Store.open(review, passphrase) as store:
        actions = [row["action"] for row in store.db["audit"].rows]
        assert actions[-2:] == ["review.purge", "review.purge_copies"]
