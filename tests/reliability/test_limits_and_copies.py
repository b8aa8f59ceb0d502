"""I2 (size limits before parsing, time and memory), D6 (copies during writes), S1 (modes while open)."""

import json
import os
import stat
import subprocess
import sys

import pytest

from lt_interview.domain.models import Note, WentWell
from lt_interview.review.conversation_files import pack
from lt_interview.storage.connection import connect
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import Store

pytestmark = pytest.mark.reliability

MEASURE = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.stderr.write(r.stderr)\n"
)


def run_measured(*args: str) -> tuple[int, int, str]:
    """(exit code, peak RSS in KiB, stderr) of `lt-interview ARGS` in a fresh process."""
    result = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "lt_interview", *args],
                            capture_output=True, text=True, timeout=120)
    code, rss = result.stdout.split()
    return int(code), int(rss), result.stderr


def oversized_text_file(review_path, passphrase, folder):
    with Store.open(review_path, passphrase) as review:
        path = pack(review, passphrase, "Jo Hartley", folder / "big.ltc")
    with Store.open(path, passphrase) as store:
        conversation_id = store.meta("conversation_id")
    revision = Revision.build(
        revision_id="rev-big", record_id="rec-big", kind="note", conversation_id=conversation_id, parents=[],
        reviewer_id="", device_id="d", created_at="2026-01-01T00:00:00.000000Z", deleted=0, schema_version=1,
        body=json.dumps({"conversation_id": conversation_id, "stage_id": "overview", "author_id": "x",
                         "episode_id": None, "text": "y" * 1_200_000}, sort_keys=True, separators=(",", ":")))
    conn = connect(path, passphrase)
    row = revision.to_row()
    conn.execute(f"INSERT INTO revision ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", tuple(row.values()))
    conn.close()
    return path


def test_oversized_inputs_are_refused_in_one_line_and_small(review_path, passphrase, tmp_path):
    """Refused with one line and little memory. That the sparse file is refused unread is held by
    bytes read in tests/merge/test_importer.py; how quickly, by no test (scripts/bench.py measures)."""
    sparse = tmp_path / "sparse.ltc"
    with open(sparse, "wb") as handle:
        handle.truncate(10 * 1024**3)
    code, rss_kib, err = run_measured("merge", str(review_path), str(sparse))
    assert code == 2 and "too large" in err and err.count("\n") == 1
    assert rss_kib < 500 * 1024
    big = oversized_text_file(review_path, passphrase, tmp_path)
    code, rss_kib, err = run_measured("merge", str(review_path), str(big))
    assert code == 2 and "1000000 characters" in err and err.count("\n") == 1
    assert rss_kib < 500 * 1024


def test_backup_copies_taken_during_a_write_loop_hold_every_committed_row(review_path, passphrase, tmp_path):
    copies = []
    with Store.open(review_path, passphrase) as store:
        for i in range(60):
            store.put(WentWell(conversation_id="c", text=f"row {i}"))
            if i % 15 == 7:
                target = tmp_path / f"copy-{i}.ltr"
                store.backup_to(target, passphrase)
                copies.append((target, i + 1))
            store.save_draft("draft", Note(conversation_id="c", stage_id="overview", author_id="a", text=str(i)))
    for target, committed in copies:
        with Store.open(target, passphrase) as copy:
            assert copy.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert len(copy.records(WentWell)) == committed


def test_database_and_wal_are_private_while_open_under_umask_022(tmp_path, passphrase):
    from lt_interview.review.setup import create_review

    os.umask(0o022)
    folder = tmp_path / "open"
    folder.mkdir()
    with create_review(folder / "r.ltr", passphrase, name="Modes") as store:
        store.put(WentWell(conversation_id="c", text="x"))
        files = list(folder.iterdir())
        assert {p.name for p in files} >= {"r.ltr", "r.ltr-wal"}
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
