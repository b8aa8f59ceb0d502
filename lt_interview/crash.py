"""Crash reports that never hold user text or local variables (RELIABILITY.md §5.3)."""

from __future__ import annotations

import platform
import traceback
import uuid
from datetime import datetime, timezone

from lt_interview import __version__
from lt_interview.paths import log_dir, write_private_text


def describe(exc: BaseException) -> str:
    """Exception types and code locations only: messages can quote user text, so they are dropped."""
    lines = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  at {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines)


def write_crash_report(exc: BaseException) -> str:
    error_id = uuid.uuid4().hex[:8]
    report = "\n".join([
        f"lt-interview {__version__} crash report {error_id}",
        f"time: {datetime.now(timezone.utc).isoformat()}",
        f"python: {platform.python_version()} on {platform.system()}",
        "(no message text, no local variables, no note text are recorded)",
        describe(exc),
        "",
    ])
    try:
        write_private_text(log_dir() / f"crash-{error_id}.txt", report)
    except OSError:
        pass
    return error_id
