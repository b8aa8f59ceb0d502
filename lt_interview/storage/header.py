"""A file's first bytes, read before any connection exists and before the passphrase is asked
for: plain reads, so the commands check a file without importing SQLCipher (connection.py)."""

from __future__ import annotations

from pathlib import Path

from lt_interview.errors import AlreadyOpen, BadInput, NotOurFile
from lt_interview.storage.keys import SALT_BYTES
from lt_interview.storage.open_files import held_here, refuse_plain_read

PLAINTEXT_HEADER = b"SQLite format 3\x00"
MAX_FILE_BYTES = 2 * 1024**3  # our own files; imports are held to a lower limit
WRONG_KEY = "wrong passphrase, or not an lt-interview file"


def read_salt(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Check size and header with plain reads, before any connection exists (howtocorrupt §2).
    A file this process holds open is refused (open_files.SecondOpen): read its salt through the
    connection (connection.salt_of)."""
    refuse_plain_read(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BadInput(f"{path}: not a file")
        with open(path, "rb") as handle:
            head = handle.read(SALT_BYTES)
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None
    if size > max_bytes:
        raise BadInput(f"{path}: too large ({size // 1024**2} MB; the limit is {max_bytes // 1024**2} MB)")
    if size == 0:
        raise NotOurFile(f"{path}: an empty file, not an lt-interview file")
    if head == PLAINTEXT_HEADER:
        raise NotOurFile(f"{path}: an unencrypted SQLite file, not an lt-interview file")
    if size < 1024 or len(head) < SALT_BYTES:
        raise NotOurFile(f"{path}: {WRONG_KEY}")
    return head


def salt_before_opening(path: Path) -> bytes:
    """The salt Store.open will read, with the refusals it gives first: a file this process holds
    open already is refused as opening it again would be (connection.connect)."""
    if held_here(path) is not None:
        raise AlreadyOpen(f"{path}: already open (in this window)")
    return read_salt(path)
