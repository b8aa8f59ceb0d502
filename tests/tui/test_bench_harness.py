"""The benchmark's start-up child still runs the real `converse` path: it patches the app's
modules by name as they are imported, so a module moved without it (issue 21 moved the preload
to lt_interview/unlock.py) made it crash while the suite stayed green. Speed is not asserted
here; scripts/bench.py measures it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_start_up_child_opens_the_conversation_screen(captured_typeup, tmp_path):
    """A conversation already under way (its writer chosen), as the benchmark's file is."""
    conversation_file, _ = captured_typeup
    out = tmp_path / "startup.json"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_tui.py"), "startup", "ours",
                           str(conversation_file), str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    marks = json.loads(out.read_text(encoding="utf-8"))
    assert marks["code"] == 0 and marks["screen_s"] > marks["app_run_s"] > 0
