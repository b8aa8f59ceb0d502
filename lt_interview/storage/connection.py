"""Opening a database file, always in the same order (RELIABILITY.md §1.2)."""

from __future__ import annotations

import os
from pathlib import Path

from lt_interview.errors import AlreadyOpen, BadInput, CorruptFile, DiskFull, NewerSchema, NotOurFile, is_disk_full
from lt_interview.platform import make_private
from lt_interview.storage import _sqlite, open_files
from lt_interview.storage.copies import remove_copy
from lt_interview.storage.header import MAX_FILE_BYTES, WRONG_KEY, read_salt
from lt_interview.storage.keys import derive_key, key_pragma, new_salt

APPLICATION_ID = 0x4C54494E  # "LTIN"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 0.2  # a second instance must give up quickly (D4: within 1 s)


def create_private_file(path: Path) -> None:
    """Create an empty 0600 file, refusing to overwrite or follow a symlink."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise BadInput(f"{path}: already exists; choose another name") from None
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(f"{path}: cannot be created: the disk is full; free some space and try again") from None
        raise BadInput(f"{path}: cannot be created ({exc.strerror})") from None
    os.close(fd)
    make_private(path)


def _classify(path: Path, exc: Exception) -> Exception:
    if is_disk_full(exc):
        return DiskFull(f"{path}: the disk is full; free some space and try again")
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return AlreadyOpen(f"{path}: already open in another window")
    if "not a database" in text or "encrypted" in text:
        return NotOurFile(f"{path}: {WRONG_KEY}")
    if "malformed" in text or "corrupt" in text:
        return CorruptFile(f"{path}: the file is damaged (integrity check failed)")
    return BadInput(f"{path}: cannot be opened ({exc})")


class LockedConnection(_sqlite.dbapi2.Connection):
    """A connection that holds its file's lock: registered while open (storage/open_files.py), so
    nothing in this process opens the file a second time and releases the lock."""

    def close(self) -> None:
        open_files.unregister(self)
        super().close()


def connect(
    path: Path,
    passphrase: str | None,
    *,
    key: bytes | None = None,
    create: bool = False,
    salt: bytes | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    for_import: bool = False,
    encrypt: bool = True,
) -> "_sqlite.dbapi2.Connection":
    """Open (or create) an encrypted lt-interview database and return a checked connection.

    `key`, when given, is the file's key already derived (lt_interview/unlock.py), in place of
    the passphrase. Raises only LtError subclasses. Never writes to a file it refuses. `encrypt=False` exists
    only for tests that must read a file's raw bytes (the purge check of RELIABILITY.md S6).
    """
    path = Path(path)
    if not create and open_files.held_here(path) is not None:
        # Opened in this process already: a second connection would read the header with a
        # descriptor of its own, and closing that releases the first connection's lock.
        raise AlreadyOpen(f"{path}: already open (in this window)")
    if create:
        salt = salt or new_salt()
        create_private_file(path)
    elif encrypt:
        salt = read_salt(path, max_bytes=max_bytes)
    else:
        salt = b""  # a test's unencrypted file: neither key nor salt
    if not encrypt:
        key = b""
    elif key is None:
        if passphrase is None:
            raise BadInput(f"{path}: no passphrase given")
        key = derive_key(passphrase, salt)
    # Not tied to this thread: autosave commits on a writer thread of the Store's, which never
    # uses the connection while this thread does (storage/draft_writer.py).
    conn = _sqlite.dbapi2.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                  check_same_thread=False, factory=LockedConnection)
    open_files.register(path, conn)
    try:
        # Before the key, so SQLCipher never writes its log lines over the screen.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if encrypt:
            conn.execute(key_pragma(key, salt))
        # Before the first read, so WAL never needs a -shm file and a second process is kept out.
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA mmap_size = 0")
        if for_import:
            conn.execute("PRAGMA cell_size_check = ON")
        if not create:
            result = conn.execute("PRAGMA quick_check").fetchall()
            if result != [("ok",)]:
                raise CorruptFile(f"{path}: the file is damaged (integrity check failed)")
            _check_identity(path, conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        if create:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException as exc:
        conn.close()
        if create:  # made just now (never over another file): nothing half-made is left
            remove_copy(path)
        if isinstance(exc, _sqlite.DatabaseError):
            raise _classify(path, exc) from None
        raise
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.close()
        raise AlreadyOpen(f"{path}: already open in another window")
    return conn


def _check_identity(path: Path, conn) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise NotOurFile(f"{path}: an encrypted database, but not an lt-interview file")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise NewerSchema(
            f"{path}: written by a newer lt-interview (schema {version}; this version reads up to "
            f"{SCHEMA_VERSION}); please upgrade"
        )
    if version < 1:
        raise NotOurFile(f"{path}: an lt-interview file without a schema version")


def salt_of(conn) -> bytes:
    """The file's SQLCipher salt, which is also its Argon2 salt, read through the connection
    (never with open() on a file the connection holds: that would release its lock)."""
    row = conn.execute("PRAGMA cipher_salt").fetchone()
    return bytes.fromhex(row[0])
