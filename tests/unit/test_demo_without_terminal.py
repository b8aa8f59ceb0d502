"""`lt-interview demo` with no terminal (stdin not a tty, output to a pipe) used to open the
conversation screen anyway and wait for keys for ever."""

from __future__ import annotations

import os
import subprocess
import sys

from lt_interview.demo.data import DEMO_PASSPHRASE


def test_demo_without_a_terminal_prints_the_passphrase_and_ends(tmp_path):
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("LT_INTERVIEW_PASSPHRASE", None)
    done = subprocess.run([sys.executable, "-m", "lt_interview", "demo", "--dir", str(tmp_path / "demo")],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert f"Passphrase for the demo files: {DEMO_PASSPHRASE}" in done.stdout
    assert f"Demo review: {tmp_path / 'demo' / 'demo-review.ltr'}" in done.stdout
    last = done.stdout.strip().splitlines()[-2:]
    assert last[0].startswith("No screen opened (no terminal: input or output is redirected)")
    assert last[1].strip().startswith("lt-interview converse ") and last[1].strip().endswith(".ltc")
    assert done.stderr == ""
