"""Where passphrases come in and keys go out: LT_INTERVIEW_PASSPHRASE (scripts, tests) or a
terminal prompt, checked, and turned into a file's key through a Keyring (storage/keys.py).

The core below never asks anyone anything: it takes a passphrase or a key. Screens ask with a
dialog of their own (tui/screens/dialogs.py) and hand what was typed here for the key.
"""

from __future__ import annotations

import getpass
import importlib
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from lt_interview.errors import BadInput
from lt_interview.storage.keys import KEYRING, Keyring, derive_key_soon

ENV_PASSPHRASE = "LT_INTERVIEW_PASSPHRASE"
MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class FileKey:
    """The key for one file (and every file of its review): the salt it was derived with, so
    the keyring can note it once the file has opened."""

    salt: bytes
    key: bytes = b""

    def __repr__(self) -> str:  # never the key in a traceback or a log
        return f"FileKey(salt={self.salt.hex()[:8]}…)"


# --- keys -----------------------------------------------------------------------------------


def file_salt(path: Path) -> bytes:
    """The salt at the start of `path` (plain reads, no passphrase needed), with the refusals
    opening it would give first."""
    from lt_interview.storage.header import salt_before_opening

    return salt_before_opening(Path(path))


def key_for(path: Path, passphrase: str, keyring: Keyring = KEYRING) -> FileKey:
    """The key `passphrase` gives for `path`'s review (derived once per process and salt)."""
    salt = file_salt(path)
    return FileKey(salt, keyring.key(passphrase, salt))


def known_key(path: Path, keyring: Keyring = KEYRING) -> FileKey | None:
    """The key that opened another file of `path`'s review in this process, or None (another
    review, with a salt of its own: its passphrase must be asked for)."""
    salt = file_salt(path)
    key = keyring.opened_with(salt)
    return None if key is None else FileKey(salt, key)


def opened(found: FileKey, keyring: Keyring = KEYRING) -> None:
    """The file opened with `found`: other files of its review may open with it too."""
    keyring.remember(found.salt, found.key)


# --- passphrases ----------------------------------------------------------------------------


def _has_terminal() -> bool:
    from lt_interview.platform import has_console

    return has_console()


def check_new_passphrase(value: str, repeated: str | None = None) -> None:
    """A new review's passphrase: the same both times it was typed (when it was typed twice), and
    long enough. One line saying what to put right."""
    if repeated is not None and repeated != value:
        raise BadInput("the two passphrases differ")
    if len(value) < MIN_PASSPHRASE:
        raise BadInput(f"the passphrase must have at least {MIN_PASSPHRASE} characters")


def from_environment() -> str | None:
    """LT_INTERVIEW_PASSPHRASE, when it is set and not empty."""
    return os.environ.get(ENV_PASSPHRASE) or None


def will_prompt() -> bool:
    """Whether passphrase_from_env_or_prompt will ask at the terminal (none in the environment)."""
    return ENV_PASSPHRASE not in os.environ and _has_terminal()


def passphrase_from_env_or_prompt(*, confirm: bool = False) -> str:
    """The passphrase from LT_INTERVIEW_PASSPHRASE (scripts, tests) or a terminal prompt."""
    value = os.environ.get(ENV_PASSPHRASE)
    repeated = None
    if value is None:
        if not _has_terminal():
            # getpass would fall back to reading stdin with echo on, after a warning of several lines.
            raise BadInput(f"no passphrase given: run lt-interview in a terminal, or set {ENV_PASSPHRASE}")
        try:
            value = getpass.getpass("Review passphrase: ")
            if confirm:
                repeated = getpass.getpass("Repeat the passphrase: ")
        except (EOFError, KeyboardInterrupt):
            sys.stderr.write("\n")  # the message starts on a line of its own, not after the prompt
            raise BadInput("stopped at the passphrase prompt; nothing was opened") from None
    if confirm:
        check_new_passphrase(value, repeated)
    if not value:
        raise BadInput("no passphrase given")
    return value


def passphrase(*, new: bool = False, preload: tuple[str, ...] = (), salt: bytes | None = None) -> str:
    """The passphrase from the environment or a prompt, for a command.

    While a person types it at the prompt (seconds), the key derivation's module and those named
    in `preload` are imported in a background thread, so that what comes after Enter starts
    sooner (a screen's modules take about 200 ms; getpass waits on the terminal without holding
    the GIL). With the file's `salt`, the key derivation starts as soon as the passphrase is in:
    on every core when the imports are done, beside them when they are still to come (not
    finished, or not begun: a passphrase from the environment). The imports are
    finished before this returns: the command's own imports, made in a second thread at the same
    time, could meet a circular import half done and fail (CPython's _DeadlockError)."""
    global _preloading
    if will_prompt():
        _preloading = _start_preload(("argon2.low_level", *preload))
    value = passphrase_from_env_or_prompt(confirm=new)
    if salt is not None:
        derive_key_soon(value, salt, imports_to_come=_preloading is None or _preloading.is_alive())
    if _preloading is not None:
        _preloading.join()
        _preloading = None
    return value


_preloading: threading.Thread | None = None


def _start_preload(modules: tuple[str, ...]) -> threading.Thread:
    def import_all() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the command's own import raises it again, where it is reported
                continue

    thread = threading.Thread(target=import_all, name="lt-interview-preload", daemon=True)
    thread.start()
    return thread
