"""Key derivation: one Argon2id run per passphrase and salt, whichever thread asks first."""

from __future__ import annotations

import threading

import pytest
from argon2.low_level import Type, hash_secret_raw

from lt_interview.storage import keys

SALT = bytes(range(16))


def reference_key(passphrase: str, salt: bytes) -> bytes:
    """Derived directly, with the parameters the file format fixes (never lowered)."""
    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=3, memory_cost=64 * 1024,
                           parallelism=4, hash_len=32, type=Type.ID)


@pytest.fixture
def counted(monkeypatch):
    """Count the derivations; each one waits until the test lets it finish."""
    calls: list[bytes] = []
    release = threading.Event()
    real = keys._hash

    def hash_(secret, salt, threads):
        calls.append(salt)
        release.wait(10)
        return real(secret, salt, threads)

    monkeypatch.setattr(keys, "_hash", hash_)
    monkeypatch.setattr(keys, "KEYRING", keys.Keyring())
    return calls, release


def test_parameters_are_the_file_formats():
    assert (keys.TIME_COST, keys.MEMORY_KIB, keys.PARALLELISM) == (3, 64 * 1024, 4)
    assert keys.derive_key("a passphrase for the test", SALT) == reference_key("a passphrase for the test", SALT)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_fewer_threads_derive_the_same_key(threads, monkeypatch):
    monkeypatch.setattr(keys, "KEYRING", keys.Keyring())
    assert keys.derive_key("fewer threads, same key", SALT, threads=threads) == reference_key(
        "fewer threads, same key", SALT)
    assert keys._hash_in_fewer_threads(b"bytes", bytes(16), threads) == reference_key("bytes", bytes(16))


def test_a_key_derived_in_the_background_is_the_one_the_opener_gets(counted):
    calls, release = counted
    keys.derive_key_soon("background passphrase", SALT)
    for _ in range(200):  # the background thread has started deriving
        if calls:
            break
        threading.Event().wait(0.01)
    assert calls == [SALT]
    got: list[bytes] = []
    opener = threading.Thread(target=lambda: got.append(keys.derive_key("background passphrase", SALT)))
    opener.start()
    opener.join(0.2)
    assert opener.is_alive()  # waiting for the derivation under way, not starting another
    release.set()
    opener.join(10)
    assert got == [reference_key("background passphrase", SALT)]
    assert calls == [SALT]  # derived once
    assert keys.derive_key("background passphrase", SALT) == got[0]
    assert calls == [SALT]


def test_another_salt_or_passphrase_derives_again(counted):
    calls, release = counted
    release.set()
    first = keys.derive_key("one passphrase", SALT)
    assert keys.derive_key("one passphrase", bytes(16)) != first
    assert keys.derive_key("another passphrase", SALT) != first
    assert len(calls) == 3


def test_a_failed_background_derivation_is_derived_again_and_reported_by_the_opener(monkeypatch):
    monkeypatch.setattr(keys, "KEYRING", keys.Keyring())
    failures = []

    def failing(secret, salt, threads):
        failures.append(salt)
        raise MemoryError("no memory for Argon2")

    monkeypatch.setattr(keys, "_hash", failing)
    keys.derive_key_soon("some passphrase", SALT)
    for _ in range(200):
        if failures and not keys.KEYRING._under_way:
            break
        threading.Event().wait(0.01)
    with pytest.raises(MemoryError):
        keys.derive_key("some passphrase", SALT)
    assert len(failures) == 2
    assert not keys.KEYRING._keys and not keys.KEYRING._under_way


def test_the_cache_holds_a_few_keys_only(counted):
    calls, release = counted
    release.set()
    for number in range(keys.CACHED_KEYS + 3):
        keys.derive_key(f"passphrase number {number}", SALT)
    assert len(keys.KEYRING._keys) == keys.CACHED_KEYS
    keys.derive_key("passphrase number 0", SALT)  # evicted first: derived again
    assert len(calls) == keys.CACHED_KEYS + 4
