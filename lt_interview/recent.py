"""The recent-files list for the home screen: paths only, in a 0600 file in the data folder."""

from __future__ import annotations

import json
from pathlib import Path

from lt_interview.paths import data_dir, write_private_text

MAX_RECENT = 20


def _path() -> Path:
    return data_dir() / "recent.json"


def recent_files() -> list[Path]:
    try:
        values = json.loads(_path().read_text(encoding="utf-8"))
        return [Path(value) for value in values if isinstance(value, str)]
    except (OSError, ValueError):
        return []


def add_recent(path: Path) -> None:
    resolved = str(Path(path).resolve())
    values = [resolved] + [str(p) for p in recent_files() if str(p) != resolved]
    try:
        write_private_text(_path(), json.dumps(values[:MAX_RECENT], indent=1), replace=True)
    except OSError:
        pass  # the list is a convenience; never fail the user's action over it
