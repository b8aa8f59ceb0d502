"""The database files this process holds open, so that nothing opens one a second time.

SQLite keeps other processes out with POSIX advisory (fcntl) locks on Unix, and those belong to
the process and the file, not to a descriptor: closing ANY descriptor this process has on the
file drops every lock it holds there, SQLite's included (https://sqlite.org/howtocorrupt.html
§2.2). A command that read a file's header with open() while its own connection to that file
was open let a second command in, which then wrote beside it. So `connect()` registers each
file it opens for the life of its connection; a plain read of a registered file (the header,
a hash) is a fault in lt-interview and raises SecondOpen, loudly, in tests and in use; and a
second connection to it is refused (connection.py). Pure Python: nothing here imports SQLite.
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path


class SecondOpen(RuntimeError):
    """Something in lt-interview tried to open a database file this process already holds open
    (which would release the file's lock). Never the user's doing: a fault to fix."""


_lock = threading.Lock()
# id(connection) -> (the file's identity, its path, a weak reference to the connection).
_open: dict[int, tuple[tuple, Path, weakref.ref]] = {}


def _identity(path: Path) -> tuple | None:
    """Device and inode (file index on Windows), so hard links and other spellings match; the
    normalised full path where the file system gives no inode."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if info.st_ino:
        return ("inode", info.st_dev, info.st_ino)
    return ("path", os.path.normcase(str(Path(path).resolve())))


def _alive(conn) -> bool:
    try:
        conn.total_changes  # noqa: B018 - raises once the connection is closed
    except Exception:  # noqa: BLE001 - ProgrammingError of whichever SQLite module
        return False
    return True


def register(path: Path, conn) -> None:
    identity = _identity(path)
    if identity is None:
        return
    with _lock:
        _open[id(conn)] = (identity, Path(path), weakref.ref(conn))


def unregister(conn) -> None:
    with _lock:
        _open.pop(id(conn), None)


def held_here(path: Path) -> Path | None:
    """The path under which this process holds `path` open, or None."""
    identity = _identity(path)
    if identity is None:
        return None
    with _lock:
        for key, (held, opened_as, ref) in list(_open.items()):
            conn = ref()
            if conn is None or not _alive(conn):
                del _open[key]
            elif held == identity:
                return opened_as
    return None


def refuse_plain_read(path: Path) -> None:
    """Before any open() of a file that might be a database: refuse one this process holds."""
    if held_here(path) is not None:
        raise SecondOpen("a second descriptor on a database this process holds open was refused: "
                         "closing it would have released the file's lock")
