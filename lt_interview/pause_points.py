"""Named points where a command can be held, so tests can run two commands over each other
at a known moment with real processes, without sleeping and hoping.

With LT_INTERVIEW_PAUSE_AT=<point> and LT_INTERVIEW_PAUSE_FILE=<path> in its environment, the
first time a process reaches <point> it adds its process id to <path>.reached and waits until
<path>.go exists
(at most PAUSE_LIMIT_S, then goes on). Plain files, so it works the same on Windows. Unset, as
always outside tests, a point costs one environment lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV_POINT = "LT_INTERVIEW_PAUSE_AT"
ENV_FILE = "LT_INTERVIEW_PAUSE_FILE"
PAUSE_LIMIT_S = 60.0

_passed: set[str] = set()


def pause_point(name: str) -> None:
    if os.environ.get(ENV_POINT) != name or name in _passed:
        return
    _passed.add(name)
    base = os.environ.get(ENV_FILE)
    if not base:
        return
    with open(base + ".reached", "a", encoding="ascii") as reached:  # one line per process held
        reached.write(f"{os.getpid()}\n")
    go = Path(base + ".go")
    deadline = time.monotonic() + PAUSE_LIMIT_S
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
