"""Passphrase → 32-byte raw SQLCipher key with Argon2id; the key is never stored.

The per-review salt is the 16-byte SQLCipher salt at the start of every file of the review
(written there by opening with an explicit-salt raw key), so each file carries what is needed
to derive its key and no sidecar file can be lost or mismatched.
"""

from __future__ import annotations

import getpass
import os
from functools import lru_cache

from argon2.low_level import Type, hash_secret_raw

from lt_interview.errors import BadInput

SALT_BYTES = 16
# RFC 9106 second recommended profile.
TIME_COST = 3
MEMORY_KIB = 64 * 1024
PARALLELISM = 4

ENV_PASSPHRASE = "LT_INTERVIEW_PASSPHRASE"
MIN_PASSPHRASE = 8


@lru_cache(maxsize=8)
def derive_key(passphrase: str, salt: bytes) -> bytes:
    # Cached so that merging many files of one review derives once per passphrase.
    return hash_secret_raw(
        passphrase.encode("utf-8"), salt, time_cost=TIME_COST, memory_cost=MEMORY_KIB,
        parallelism=PARALLELISM, hash_len=32, type=Type.ID,
    )


def key_pragma(key: bytes, salt: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\""


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def passphrase_from_env_or_prompt(*, confirm: bool = False) -> str:
    """The passphrase from LT_INTERVIEW_PASSPHRASE (scripts, tests) or a terminal prompt."""
    value = os.environ.get(ENV_PASSPHRASE)
    if value is None:
        try:
            value = getpass.getpass("Review passphrase: ")
            if confirm and getpass.getpass("Repeat the passphrase: ") != value:
                raise BadInput("the two passphrases differ")
        except (EOFError, KeyboardInterrupt):
            raise BadInput("no passphrase given") from None
    if confirm and len(value) < MIN_PASSPHRASE:
        raise BadInput(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    if not value:
        raise BadInput("no passphrase given")
    return value
