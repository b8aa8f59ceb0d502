"""Safe export file names and writing (RELIABILITY.md §7).

`slugify(title, max_length=80) or "export"` plus a short id, confined to the output folder,
created with O_CREAT | O_EXCL | O_NOFOLLOW and mode 0600: never overwrite, never follow a
symbolic link, never leave the folder.
"""

from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path

from slugify import slugify

from lt_interview.errors import BadInput
from lt_interview.platform import make_private

SUFFIXES = (".md", ".html", ".docx", ".csv", ".qdpx")
MAX_NAME_BYTES = 100


def new_id() -> str:
    """A random id for a file name. Not domain.ids.new_id: its first eight characters are the
    time of day to about a minute, so they would tell when a file was exported and be the same
    for every export within that minute."""
    return str(uuid.uuid4())


def safe_name(title: str, suffix: str, short_id: str | None = None) -> str:
    if suffix not in SUFFIXES:
        raise BadInput(f"unknown export file type {suffix!r}")
    base = slugify(title or "", max_length=80) or "export"
    short = "".join(ch for ch in (short_id or new_id()) if ch.isalnum())[:8] or new_id()[:8]
    name = f"{base}-{short}{suffix}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:  # slugify is ASCII; kept as a belt and braces check
        name = f"{base[:MAX_NAME_BYTES - len(short) - len(suffix) - 1]}-{short}{suffix}"
    return name


def _reason(exc: OSError) -> str:
    """Why a folder could not be made, in plain words."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the disc is read-only"
    if exc.errno == errno.ENOSPC:
        return "the disc is full"
    if exc.errno == errno.ENOENT:  # /proc and the like: the parent exists but takes no folders
        return "this location does not take new folders"
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    return (exc.strerror or "unknown reason").lower()


def output_folder(out_dir: Path, *, parents: bool = False) -> Path:
    """The folder to write into, made (0700) if missing, with the missing folders above it when
    `parents`. Refuses in one plain line (BadInput)."""
    out_dir = Path(out_dir).expanduser()
    if out_dir.is_dir():
        return out_dir
    if out_dir.exists() or out_dir.is_symlink():
        raise BadInput(f"{out_dir}: not a folder")
    parent = out_dir.parent
    if not parent.is_dir():
        # The nearest part of the path that exists says what is wrong: a file, or nothing there.
        existing = parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if existing.exists() and not existing.is_dir():
            raise BadInput(f"{existing}: is a file, not a folder")
        if not parents:
            raise BadInput(f"{parent}: no such folder")
    try:
        out_dir.mkdir(mode=0o700, parents=parents)
        make_private(out_dir, folder=True)
    except FileExistsError:
        if not out_dir.is_dir():
            raise BadInput(f"{out_dir}: not a folder") from None
    except OSError as exc:
        raise BadInput(f"{out_dir}: cannot create the folder ({_reason(exc)})") from None
    return out_dir


def confined(out_dir: Path, name: str) -> Path:
    path = out_dir / name
    if name in ("", ".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise BadInput(f"refusing the export file name {name!r}")
    if not path.resolve().is_relative_to(out_dir.resolve()):
        raise BadInput(f"refusing to write outside {out_dir}")
    return path


def write_new(out_dir: Path, title: str, suffix: str, data: bytes) -> Path:
    """Write `data` to a new 0600 file in `out_dir`; never overwrite, never follow a link."""
    path = confined(out_dir, safe_name(title, suffix))
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise BadInput(f"{path}: already exists; nothing was overwritten") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be created ({exc.strerror})") from None
    try:
        make_private(path)  # on Windows the folder may be one the reviewer shares
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise BadInput(f"{path}: could not be written ({exc.strerror})") from None
    return path
