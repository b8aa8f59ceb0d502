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


def _strings_and_bytes(value, depth=0):
    """Every str and bytes a keyring holds, through its attributes and containers."""
    if depth > 4:
        return
    if isinstance(value, (str, bytes)):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_and_bytes(key, depth + 1)
            yield from _strings_and_bytes(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings_and_bytes(item, depth + 1)
    elif hasattr(value, "__dict__"):
        yield from _strings_and_bytes(vars(value), depth + 1)


def test_a_keyring_finds_keys_by_an_hmac_never_by_the_passphrase(counted):
    import gc
    import hashlib
    import hmac

    calls, release = counted
    release.set()
    secret = "a passphrase kept nowhere"
    keyring = keys.Keyring()
    key = keyring.key(secret, SALT)
    assert keyring.key(secret, SALT) == key == reference_key(secret, SALT)
    assert calls == [SALT]  # derived once: found again by its id
    wanted = hmac.new(keys._SECRET, len(SALT).to_bytes(2, "big") + SALT + secret.encode(), hashlib.sha256).digest()
    assert list(keyring._keys) == [wanted] == [keyring.key_id(secret, SALT)]
    assert len(keys._SECRET) == 32 and keyring.key_id(secret, SALT) != keys.Keyring.key_id(secret, bytes(16))
    held = list(_strings_and_bytes(keyring))
    assert secret not in held and secret.encode() not in held
    assert not any(secret in item for item in held if isinstance(item, str))
    assert not any(secret.encode() in item for item in held if isinstance(item, bytes))
    for container in (keyring._keys, keyring._under_way, keyring._opened):
        assert secret not in gc.get_referents(container)


def test_a_keyring_remembers_which_key_opened_a_reviews_files(counted):
    calls, release = counted
    release.set()
    keyring = keys.Keyring()
    assert keyring.opened_with(SALT) is None
    key = keyring.key("the review's passphrase", SALT)
    assert keyring.opened_with(SALT) is None  # derived is not opened: a wrong passphrase derives too
    keyring.remember(SALT, key)
    assert keyring.opened_with(SALT) == key and keyring.opened_with(bytes(16)) is None
    keyring.forget()
    assert keyring.opened_with(SALT) is None and not keyring._keys
