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
