"""Passphrase → 32-byte raw SQLCipher key with Argon2id; the key is never stored.

The per-review salt is the 16-byte SQLCipher salt at the start of every file of the review
(written there by opening with an explicit-salt raw key), so each file carries what is needed
to derive its key and no sidecar file can be lost or mismatched. Asking for the passphrase (a
terminal prompt, LT_INTERVIEW_PASSPHRASE) is the edge's job: lt_interview/unlock.py.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections import OrderedDict

SALT_BYTES = 16
# RFC 9106 second recommended profile.
TIME_COST = 3
MEMORY_KIB = 64 * 1024
PARALLELISM = 4

CACHED_KEYS = 8


class Keyring:
    """Derived keys, in this process's memory only (never written anywhere), so that merging many
    files of one review derives once per passphrase; and the derivations under way, so that a
    caller asking for a key another thread is deriving waits for it instead of deriving it again.

    Keys are found by an HMAC of (salt, passphrase) under a random secret of this process, never
    by the passphrase itself, so no passphrase is kept here. `remember` notes which key opened a
    review's files (by salt, which is not secret), so a screen can open another file of that
    review without asking again, and asks for another review's passphrase."""

    def __init__(self, capacity: int = CACHED_KEYS) -> None:
        self.capacity = capacity
        self._keys: OrderedDict[bytes, bytes] = OrderedDict()
        self._under_way: dict[bytes, threading.Event] = {}
        self._opened: dict[bytes, bytes] = {}  # salt -> the key that opened a file with it
        self._lock = threading.Lock()

    @staticmethod
    def key_id(passphrase: str, salt: bytes) -> bytes:
        """What a key is found by: never the passphrase (nor anything it can be read back from)."""
        salt = bytes(salt)
        return hmac.new(_SECRET, len(salt).to_bytes(2, "big") + salt + passphrase.encode("utf-8"),
                        hashlib.sha256).digest()

    def key(self, passphrase: str, salt: bytes, *, threads: int | None = None) -> bytes:
        """The 32-byte key for `passphrase` and `salt` (Argon2id, parameters above). Thread-safe.

        `threads` is how many threads compute the PARALLELISM lanes: the same key whatever it is
        (Argon2's lanes are fixed by the parameters; threads only share them out). By default,
        one per core up to PARALLELISM (_threads_on_every_core): four threads on two cores took
        about 105 ms against 80 ms for two, one thread 145 ms (scripts/bench.py's machine)."""
        threads = threads or _threads_on_every_core()
        wanted = self.key_id(passphrase, salt)
        while True:
            with self._lock:
                if wanted in self._keys:
                    self._keys.move_to_end(wanted)
                    return self._keys[wanted]
                running = self._under_way.get(wanted)
                if running is None:
                    running = self._under_way[wanted] = threading.Event()
                    break
            running.wait()  # derived by another thread; if that failed, derive here
        try:
            key = _hash(passphrase.encode("utf-8"), bytes(salt), threads)
            with self._lock:
                self._keys[wanted] = key
                while len(self._keys) > self.capacity:
                    self._keys.popitem(last=False)
            return key
        finally:
            with self._lock:
                del self._under_way[wanted]
            running.set()

    def key_soon(self, passphrase: str, salt: bytes, *, imports_to_come: bool = True) -> None:
        """Start deriving the key in a background thread, so that a later `key` (opening the
        file) finds it ready or under way. Argon2's C code releases the GIL, so the derivation
        runs beside the imports and set-up that come before the file is opened, in threads that
        leave one core to them (_threads_beside_start_up); with no imports to come (made while
        the passphrase was typed), on every core. Any failure is left for that later call to
        meet and report."""
        threads = _threads_beside_start_up() if imports_to_come else _threads_on_every_core()

        def derive() -> None:
            try:
                self.key(passphrase, salt, threads=threads)
            except Exception:  # noqa: BLE001 - the key in the opening thread raises it again
                pass

        threading.Thread(target=derive, name="lt-interview-key", daemon=True).start()

    def remember(self, salt: bytes, key: bytes) -> None:
        """`key` opened a file with this salt: another file of that review opens with it too."""
        with self._lock:
            self._opened[bytes(salt)] = key

    def opened_with(self, salt: bytes) -> bytes | None:
        """The key that opened a file with this salt in this process, or None."""
        with self._lock:
            return self._opened.get(bytes(salt))

    def forget(self) -> None:
        with self._lock:
            self._keys.clear()
            self._opened.clear()


# The secret under which key ids are made: random for each process, never written anywhere.
_SECRET = os.urandom(32)
# This process's keyring: every file opened by passphrase derives its key here.
KEYRING = Keyring()


def derive_key(passphrase: str, salt: bytes, *, threads: int | None = None) -> bytes:
    """The key for `passphrase` and `salt`, from this process's keyring (Keyring.key)."""
    return KEYRING.key(passphrase, salt, threads=threads)


def derive_key_soon(passphrase: str, salt: bytes, *, imports_to_come: bool = True) -> None:
    """Start deriving the key in the background (Keyring.key_soon)."""
    KEYRING.key_soon(passphrase, salt, imports_to_come=imports_to_come)


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


def key_pragma(key: bytes, salt: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\""


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)
