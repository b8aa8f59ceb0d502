"""Typed errors: each carries a one-line message for the user and a process exit code."""

from __future__ import annotations

EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_ALREADY_OPEN = 3


def validation_problem(exc, fallback: str = "") -> tuple[str, str]:
    """(where, what) of the first problem in a pydantic ValidationError, for one-line messages."""
    first = exc.errors()[0]
    return ".".join(str(part) for part in first["loc"]) or fallback, first["msg"]


def describe_validation(exc, fallback: str = "") -> str:
    where, what = validation_problem(exc, fallback)
    return f"field '{where}': {what}"


class LtError(Exception):
    """An expected problem, reported to the user as one line."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        # One line only: a message must never smuggle extra lines into stderr.
        super().__init__(" ".join(str(message).split()))

    @property
    def message(self) -> str:
        return str(self)


class BadInput(LtError):
    """The user gave us something we cannot use (a path, an argument, a file)."""


class NotOurFile(BadInput):
    """The file is not an lt-interview file, or the passphrase is wrong."""


class WrongKind(BadInput):
    """A review file where a conversation file was expected, or the reverse."""


class NewerSchema(BadInput):
    """Written by a newer lt-interview; we refuse to write to it."""


class CorruptFile(BadInput):
    """Integrity check failed."""


class StructureError(BadInput):
    """A file in prompts/ (or a review's copy of it) does not validate."""


class ImportRefused(BadInput):
    """A merge input was refused; nothing was changed."""


class InvalidRecord(BadInput):
    """A stored record does not validate against its model (a text field over the limit, say):
    written outside the app. Opening and `check` refuse the file alike, in one line."""


class AlreadyOpen(LtError):
    exit_code = EXIT_ALREADY_OPEN


class LifecycleError(BadInput):
    """A conversation cannot move to the requested status from its current one."""


class FrozenRecord(BadInput):
    """The record is agreed and frozen; edits create a new version instead."""


class SaveFailed(LtError):
    """A write to the database did not commit (disk full, locked...)."""

    exit_code = EXIT_INTERNAL


class DiskFull(SaveFailed):
    """The disk (or the user's quota) is full: nothing was written. Exit 2, since freeing space and
    trying again puts it right; a SaveFailed still, so autosave shows it as not saved and retries."""

    exit_code = EXIT_BAD_INPUT


SQLITE_FULL = 13
_DISK_FULL_ERRNOS = {28, 122}  # ENOSPC; EDQUOT (Linux): a full quota is a full disk to the user


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` says the disk is full: an OSError (ENOSPC, EDQUOT, or Windows'
    ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL) or SQLite's SQLITE_FULL, from any SQLite module."""
    if isinstance(exc, DiskFull):
        return True
    if isinstance(exc, OSError):
        return exc.errno in _DISK_FULL_ERRNOS or getattr(exc, "winerror", None) in (39, 112)
    if getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL:
        return True
    return "database or disk is full" in str(exc)
