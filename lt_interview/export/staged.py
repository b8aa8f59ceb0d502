"""Writing an export so that no unfinished pack ever sits under the final names (issue #18).

Every file is written (0600, fsynced, never overwriting: names.write_new) into a folder named
"…lt-export-unfinished-…" first, and moved into place only once all of them are complete:

- a new output folder: the unfinished folder is made beside it and renamed to it, in one step;
- an existing folder: the unfinished folder is made inside it (the same disk) and each finished
  file is moved in without overwriting anything (a hard link, then the unfinished name removed).

A command stopped midway (killed, power cut) leaves only the clearly named unfinished folder.
The export holds the review file open (locked) throughout, so no other export of the same review
is running: the next export of it clears what one of its own left (the tag names the review).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

from lt_interview.errors import BadInput
from lt_interview.export import names
from lt_interview.pause_points import pause_point
from lt_interview.platform import make_private

UNFINISHED = "lt-export-unfinished"


def _tag(review_path: Path) -> str:
    return hashlib.sha256(str(Path(review_path).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _clear_unfinished(out_dir: Path, tag: str) -> None:
    """What an earlier export of this review left when it was stopped."""
    places = [(out_dir, f"{UNFINISHED}-{tag}-")] if out_dir.is_dir() else []
    places.append((out_dir.parent, f"{out_dir.name}.{UNFINISHED}-{tag}-"))
    for folder, prefix in places:
        try:
            found = [path for path in folder.iterdir() if path.name.startswith(prefix)]
        except OSError:
            continue
        for path in found:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def write_all(review_path: Path, out_dir: Path, outputs: list[tuple[str, str, bytes]]) -> list[Path]:
    """Write every (title, suffix, data) into `out_dir` (made if missing) all at once; the paths."""
    out_dir = Path(out_dir).expanduser()
    tag = _tag(review_path)
    _clear_unfinished(out_dir, tag)
    new_folder = not out_dir.exists() and not out_dir.is_symlink()
    if new_folder:
        unfinished = out_dir.parent / f"{out_dir.name}.{UNFINISHED}-{tag}-{uuid.uuid4().hex[:8]}"
    else:
        out_dir = names.output_folder(out_dir)  # an existing folder: checked, never made here
        unfinished = out_dir / f"{UNFINISHED}-{tag}-{uuid.uuid4().hex[:8]}"
    try:
        unfinished.mkdir(mode=0o700)
        make_private(unfinished, folder=True)  # on Windows, an owner-only list (platform.py)
    except OSError as exc:
        raise BadInput(f"{out_dir}: cannot create the folder ({names._reason(exc)})") from None
    moved: list[Path] = []
    try:
        written = []
        for title, suffix, data in outputs:
            written.append(names.write_new(unfinished, title, suffix, data))
            pause_point("export.writing")  # tests: a file written, the pack not finished
        _sync_folder(unfinished)
        if new_folder:
            try:
                os.rename(unfinished, out_dir)
            except OSError:
                new_folder = False  # made by someone else meanwhile: move the files in instead
                out_dir = names.output_folder(out_dir)
            else:
                _sync_folder(out_dir.parent)
                return [out_dir / path.name for path in written]
        for path in written:
            moved.append(_move_new(path, out_dir / path.name))
        unfinished.rmdir()
        _sync_folder(out_dir)
        return moved
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        shutil.rmtree(unfinished, ignore_errors=True)
        raise


def _move_new(source: Path, target: Path) -> Path:
    """Move a finished file into place, never over an existing one."""
    names.confined(target.parent, target.name)
    if os.name == "nt":
        try:
            os.rename(source, target)  # refused over an existing file on Windows
        except FileExistsError:
            raise BadInput(f"{target}: already exists; nothing was overwritten") from None
        return target
    try:
        os.link(source, target)  # refused over an existing file, atomically
    except FileExistsError:
        raise BadInput(f"{target}: already exists; nothing was overwritten") from None
    except OSError:
        # A file system without hard links (FAT, some shares): a rename, checked just before.
        if target.exists() or target.is_symlink():
            raise BadInput(f"{target}: already exists; nothing was overwritten") from None
        os.rename(source, target)
        return target
    source.unlink()
    return target


def _sync_folder(folder: Path) -> None:
    """Make the folder's entries (the names just written or moved) durable, where the system
    allows opening a folder (not Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
