"""The copies lt-interview makes beside a database file: the backup before each merge and the
temporary backup a merge writes first. Purge removes them all (RELIABILITY.md §9), so no copy
of a review outlives its retention date."""

from __future__ import annotations

import glob
import uuid
from pathlib import Path

BACKUP_SUFFIX = ".before-merge"
UNFINISHED_SUFFIX = ".tmp"
# Files SQLite may keep beside a database, which go wherever the database goes.
COMPANIONS = ("", "-wal", "-journal", "-shm")


def backup_path(path: Path) -> Path:
    """The copy of `path` as it was before its last merge."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def new_unfinished_backup(path: Path) -> Path:
    """A name of its own for one merge's temporary backup: <file>.before-merge.<id>.tmp."""
    return path.with_name(f"{backup_path(path).name}.{uuid.uuid4().hex[:12]}{UNFINISHED_SUFFIX}")


def unfinished_backups(path: Path) -> list[Path]:
    """Temporary backups of `path` (and their companions) left by a merge that was stopped before
    it could remove its own."""
    pattern = glob.escape(backup_path(path).name) + ".*" + UNFINISHED_SUFFIX
    return sorted(found for companion in COMPANIONS for found in path.parent.glob(pattern + companion))


def remove_copy(path: Path) -> None:
    """A copy of a database and its companions, whichever exist."""
    for companion in COMPANIONS:
        Path(str(path) + companion).unlink(missing_ok=True)


def copies_of(path: Path) -> list[Path]:
    """Every copy of `path` lt-interview has made beside it (with companions) that exists now."""
    backup = backup_path(path)
    kept = [Path(str(backup) + companion) for companion in COMPANIONS]
    return [found for found in kept if found.exists()] + unfinished_backups(path)


def remove_copies(path: Path) -> int:
    """Remove every copy of `path` lt-interview made beside it; returns how many files went.
    Only while `path` is held open (locked), so that no merge is writing one."""
    removed = 0
    for found in copies_of(path):
        try:
            found.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed
