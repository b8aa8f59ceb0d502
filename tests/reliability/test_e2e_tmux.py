"""The tmux end-to-end scenario (scripts/e2e_tmux.py) as a test: SIGKILL mid-typing loses at
most the last 300 ms; SIGHUP loses nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "e2e_tmux.py"


@pytest.mark.reliability
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_kill_and_hangup_in_a_real_terminal(tmp_path):
    env = {**os.environ, "LT_INTERVIEW_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=90, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout
