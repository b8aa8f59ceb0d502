"""A crafted 2 MB note in a conversation file (#18 item 5): `check`, `converse` and `typeup`
agree. Each refuses the file with the same one line and exit 2; none says "sound" while another
stops with an internal error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lt_interview.demo import data as demo_data
from lt_interview.domain.models import Note
from lt_interview.domain.text import MAX_TEXT
from lt_interview.storage.connection import connect
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import Store

pytestmark = pytest.mark.reliability

SECRET = demo_data.DEMO_PASSPHRASE
EXE = str(Path(sys.executable).with_name("lt-interview"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("oversized")
    env = {**os.environ, "LT_INTERVIEW_HOME": str(folder / "home"), "LT_INTERVIEW_PASSPHRASE": SECRET}
    subprocess.run([EXE, "demo", "--no-open", "--dir", str(folder / "demo")], check=True, capture_output=True,
                   env=env)
    return folder / "demo"


def _craft(path: Path, *, draft: bool) -> None:
    """A newer head (or a draft) of a note, 2 MB of text, written with SQL and a recomputed digest."""
    with Store.open(path, SECRET) as store:
        record_id = store.records(Note)[0][0]
        head = store.heads(record_id)[0]
    body = json.loads(head.body)
    body["text"] = "word " * (2 * MAX_TEXT // 5)
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    conn = connect(path, SECRET)
    try:
        if draft:
            conn.execute("INSERT OR REPLACE INTO draft (record_id, kind, base_revision_id, body, saved_at) "
                         "VALUES (?, 'note', ?, ?, '2026-02-01T00:00:00.000000Z')",
                         (record_id, head.revision_id, text))
            return
        revision = Revision.build(
            revision_id="rev-oversized", record_id=record_id, kind="note", conversation_id=head.conversation_id,
            parents=[head.revision_id], reviewer_id=head.reviewer_id, device_id="crafted",
            created_at="2026-02-01T00:00:00.000000Z", deleted=0, schema_version=1, body=text)
        row = revision.to_row()
        conn.execute(f"INSERT INTO revision ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                     tuple(row.values()))
        conn.execute("DELETE FROM head WHERE record_id = ?", (record_id,))
        conn.execute("INSERT INTO head (revision_id, record_id, kind, conversation_id, deleted) "
                     "VALUES ('rev-oversized', ?, 'note', ?, 0)", (record_id, head.conversation_id))
    finally:
        conn.close()


def _run(args: list[str], home: Path) -> tuple[int, str]:
    env = {**os.environ, "LT_INTERVIEW_HOME": str(home), "LT_INTERVIEW_PASSPHRASE": SECRET, "TERM": "dumb"}
    result = subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=60,
                            stdin=subprocess.DEVNULL)
    lines = [line for line in result.stderr.splitlines() if "lt-interview:" in line]
    return result.returncode, (lines[-1][lines[-1].index("lt-interview:"):] if lines else result.stderr)


@pytest.mark.parametrize("draft", [False, True], ids=["revision", "draft"])
def test_check_and_open_agree_on_a_2_mb_note(demo, tmp_path, draft):
    import shutil

    path = tmp_path / "gp.ltc"
    shutil.copyfile(demo / "gp.ltc", path)
    _craft(path, draft=draft)
    results = {verb: _run([verb, str(path), *extra], tmp_path / "home") for verb, extra in (
        ("check", []), ("converse", ["--reviewer", "Robin Ashdown"]), ("typeup", []))}
    for verb, (code, line) in results.items():
        assert code == 2, (verb, code, line)
        assert "does not validate" in line and f"at most {MAX_TEXT}" in line, (verb, line)
        assert "Traceback" not in line and "something went wrong" not in line
    assert len({line for _, line in results.values()}) == 1  # the same reason, word for word

