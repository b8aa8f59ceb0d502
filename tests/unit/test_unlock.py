"""lt_interview/unlock.py: where passphrases come in (environment, prompt) and keys go out."""

from __future__ import annotations

import pytest

from lt_interview import unlock
from lt_interview.errors import AlreadyOpen, BadInput, NotOurFile
from lt_interview.storage.keys import Keyring
from lt_interview.storage.store import CONVERSATION, REVIEW, Store


@pytest.fixture
def two_reviews(tmp_path, passphrase):
    """A file of each of two reviews (each with a salt of its own), closed."""
    first, second = tmp_path / "first.ltr", tmp_path / "second.ltc"
    Store.create(first, passphrase, file_kind=REVIEW, review_id="first").close()
    Store.create(second, "the second review's passphrase", file_kind=CONVERSATION, review_id="second").close()
    return first, second


def test_keys_are_handed_out_and_a_review_opened_once_opens_again(two_reviews, passphrase):
    first, second = two_reviews
    keyring = Keyring()
    assert unlock.known_key(first, keyring) is None
    found = unlock.key_for(first, passphrase, keyring)
    assert found.salt == unlock.file_salt(first) != unlock.file_salt(second)
    with Store.open(first, key=found.key) as store:
        assert store.salt == found.salt
    unlock.opened(found, keyring)
    assert unlock.known_key(first, keyring) == found
    assert unlock.known_key(second, keyring) is None  # another review: its passphrase is asked for
    assert found.key.hex() not in repr(found)


def test_a_file_held_open_here_is_refused_before_its_salt_is_read(two_reviews, passphrase):
    first, _ = two_reviews
    with Store.open(first, passphrase):
        with pytest.raises(AlreadyOpen, match="already open"):
            unlock.file_salt(first)


def test_a_wrong_key_opens_nothing(two_reviews, passphrase):
    first, second = two_reviews
    wrong = unlock.key_for(second, passphrase, Keyring())
    with pytest.raises(NotOurFile, match="wrong passphrase"):
        Store.open(second, key=wrong.key)


def test_the_passphrase_from_the_environment(monkeypatch):
    monkeypatch.setenv(unlock.ENV_PASSPHRASE, "from the environment")
    assert unlock.from_environment() == "from the environment"
    assert unlock.passphrase_from_env_or_prompt() == "from the environment" and not unlock.will_prompt()
    monkeypatch.setenv(unlock.ENV_PASSPHRASE, "")
    assert unlock.from_environment() is None
    monkeypatch.delenv(unlock.ENV_PASSPHRASE)
    assert unlock.from_environment() is None
    monkeypatch.setattr(unlock, "_has_terminal", lambda: False)
    with pytest.raises(BadInput, match="no passphrase given"):
        unlock.passphrase_from_env_or_prompt()


def test_a_new_passphrase_is_typed_twice_alike_and_long_enough(monkeypatch):
    with pytest.raises(BadInput, match="differ"):
        unlock.check_new_passphrase("one passphrase", "another one")
    with pytest.raises(BadInput, match=f"at least {unlock.MIN_PASSPHRASE}"):
        unlock.check_new_passphrase("short")
    monkeypatch.delenv(unlock.ENV_PASSPHRASE)
    monkeypatch.setattr(unlock, "_has_terminal", lambda: True)
    typed = iter(["a long passphrase", "a long passphrase"])
    monkeypatch.setattr(unlock.getpass, "getpass", lambda prompt: next(typed))
    assert unlock.passphrase_from_env_or_prompt(confirm=True) == "a long passphrase"
