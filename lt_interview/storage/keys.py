"""Passphrase → 32-byte raw SQLCipher key with Argon2id; the key is never stored.

The per-review salt is the 16-byte SQLCipher salt at the start of every file of the review
(written there by opening with an explicit-salt raw key), so each file carries what is needed
to derive its key and no sidecar file can be lost or mismatched.
"""

from __future__ import annotations

import getpass
import os
import sys
import threading
from collections import OrderedDict

from lt_interview.errors import BadInput

SALT_BYTES = 16
# RFC 9106 second recommended profile.
TIME_COST = 3
MEMORY_KIB = 64 * 1024
PARALLELISM = 4

ENV_PASSPHRASE = "LT_INTERVIEW_PASSPHRASE"
MIN_PASSPHRASE = 8


CACHED_KEYS = 8

# Derived keys, in this process's memory only (never written anywhere), so that merging many
# files of one review derives once per passphrase; and the derivations under way, so that a
# caller asking for a key another thread is deriving waits for it instead of deriving it again.
_keys: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
_under_way: dict[tuple[str, bytes], threading.Event] = {}
_lock = threading.Lock()


def derive_key(passphrase: str, salt: bytes, *, threads: int | None = None) -> bytes:
    """The 32-byte key for `passphrase` and `salt` (Argon2id, parameters above). Thread-safe.

    `threads` is how many threads compute the PARALLELISM lanes: the same key whatever it is
    (Argon2's lanes are fixed by the parameters; threads only share them out). By default, one
    per core up to PARALLELISM (_threads_on_every_core): four threads on two cores took about
    105 ms against 80 ms for two, one thread 145 ms (scripts/bench.py's machine)."""
    threads = threads or _threads_on_every_core()
    wanted = (passphrase, bytes(salt))
    while True:
        with _lock:
            if wanted in _keys:
                _keys.move_to_end(wanted)
                return _keys[wanted]
            running = _under_way.get(wanted)
            if running is None:
                running = _under_way[wanted] = threading.Event()
                break
        running.wait()  # derived by another thread; if that failed, derive here
    try:
        key = _hash(passphrase.encode("utf-8"), wanted[1], threads)
        with _lock:
            _keys[wanted] = key
            while len(_keys) > CACHED_KEYS:
                _keys.popitem(last=False)
        return key
    finally:
        with _lock:
            del _under_way[wanted]
        running.set()


def _hash(secret: bytes, salt: bytes, threads: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw  # ~15 ms: imported once a key is wanted

    if threads == PARALLELISM:
        return hash_secret_raw(secret, salt, time_cost=TIME_COST, memory_cost=MEMORY_KIB,
                               parallelism=PARALLELISM, hash_len=32, type=Type.ID)
    return _hash_in_fewer_threads(secret, salt, threads)


def _hash_in_fewer_threads(secret: bytes, salt: bytes, threads: int) -> bytes:
    """hash_secret_raw with the same parameters (so the same key), its lanes computed by
    `threads` threads: through argon2-cffi's binding of argon2_ctx, whose context separates the
    two (hash_secret_raw sets both to the parallelism). Should that binding ever change shape,
    the key is derived the usual way."""
    from argon2.exceptions import HashingError
    from argon2.low_level import ARGON2_VERSION, Type, core, error_to_str, ffi, hash_secret_raw, lib

    try:
        out = ffi.new("uint8_t[]", 32)
        secret_buffer = ffi.new("uint8_t[]", secret)
        salt_buffer = ffi.new("uint8_t[]", salt)
        context = ffi.new("argon2_context *", {
            "out": out, "outlen": 32, "pwd": secret_buffer, "pwdlen": len(secret),
            "salt": salt_buffer, "saltlen": len(salt), "secret": ffi.NULL, "secretlen": 0,
            "ad": ffi.NULL, "adlen": 0, "t_cost": TIME_COST, "m_cost": MEMORY_KIB,
            "lanes": PARALLELISM, "threads": threads, "version": ARGON2_VERSION,
            "allocate_cbk": ffi.NULL, "free_cbk": ffi.NULL, "flags": lib.ARGON2_DEFAULT_FLAGS,
        })
    except (AttributeError, KeyError, TypeError):
        return hash_secret_raw(secret, salt, time_cost=TIME_COST, memory_cost=MEMORY_KIB,
                               parallelism=PARALLELISM, hash_len=32, type=Type.ID)
    code = core(context, Type.ID.value)
    if code != lib.ARGON2_OK:
        raise HashingError(error_to_str(code))
    return bytes(ffi.buffer(out, 32))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _threads_on_every_core() -> int:
    return max(1, min(PARALLELISM, _cores()))


def _threads_beside_start_up() -> int:
    """Threads for the four lanes that leave one of this process's cores to the start-up: one
    on two cores (about 120 ms on one core instead of about 85 ms on both; with four threads
    on two cores the imports beside them were about 20 ms slower, scripts/bench.py), three on
    four, four on five or more."""
    return max(1, min(PARALLELISM, _cores() - 1))


def derive_key_soon(passphrase: str, salt: bytes, *, imports_to_come: bool = True) -> None:
    """Start deriving the key in a background thread, so that a later derive_key (opening the
    file) finds it ready or under way. Argon2's C code releases the GIL, so the derivation runs
    beside the imports and set-up that come before the file is opened, in threads that leave
    one core to them (_threads_beside_start_up); with no imports to come (made while the
    passphrase was typed), on every core. Any failure is left for that later call to meet and
    report."""
    threads = _threads_beside_start_up() if imports_to_come else _threads_on_every_core()

    def derive() -> None:
        try:
            derive_key(passphrase, salt, threads=threads)
        except Exception:  # noqa: BLE001 - derive_key in the opening thread raises it again
            pass

    threading.Thread(target=derive, name="lt-interview-key", daemon=True).start()


def key_pragma(key: bytes, salt: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\""


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


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
