"""Issue #18 item 8: a merge's checking workers hold the derived key, so they must not outlive
the merge. Before, after a SIGKILLed merge they lived on for minutes. Fictional data only."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from lt_interview.merge.workers import WORKERS_FROM_BYTES
from tests.reliability.overlap_helpers import add_notes, build_case, cli, note_texts, sound, start_held

pytestmark = [pytest.mark.reliability,
              pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                                 reason="workers are forked, on two cores or more")]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie waiting for a reaper that a container may not have is gone all the same
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def test_workers_die_when_the_merge_is_killed(tmp_path, passphrase):
    case = build_case(tmp_path / "case", passphrase)
    # Enough input for checking workers (WORKERS_FROM_BYTES) in two files: fictional filler text.
    filler = "a long fictional note about nothing in particular " * 16_000
    for name in ("c0.ltc", "c1.ltc"):
        add_notes(case / name, passphrase, [filler] * 3, device="device-a")
    assert sum((case / name).stat().st_size for name in ("c0.ltc", "c1.ltc")) >= WORKERS_FROM_BYTES
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    review = case / "review.ltr"
    held = start_held("merge.checking", "merge", review, case / "c0.ltc", case / "c1.ltc", work=tmp_path,
                      env_extra={"TMPDIR": str(temporary)})
    workers = set()
    try:
        reached = Path(str(held.base) + ".reached")
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:  # both workers checking
            workers = {int(line) for line in reached.read_text().split()}
            time.sleep(0.02)
        assert held.process.pid not in workers and len(workers) == 2
        held.kill()  # SIGKILL: no clean-up code of the merge runs
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, 9)
    sound(review)  # the merge never committed
    again = cli("merge", review, case / "c0.ltc", case / "c1.ltc")
    assert again.returncode == 0, again.stderr
    assert {"c0 note 0", "c1 note 0"} <= note_texts(review, passphrase)
    shutil.rmtree(temporary)
