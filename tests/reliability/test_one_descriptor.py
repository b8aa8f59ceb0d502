"""One descriptor per open database (issue #18 item 1): nothing in a process opens a file it
already holds, since closing that second descriptor would release the POSIX lock."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lt_interview.errors import AlreadyOpen
from lt_interview.storage.connection import salt_of
from lt_interview.storage.header import read_salt
from lt_interview.storage.open_files import SecondOpen, held_here
from lt_interview.storage.store import REVIEW, Store

pytestmark = pytest.mark.reliability


def other_process_is_refused(path) -> bool:
    result = subprocess.run([sys.executable, "-m", "lt_interview", "review", "show", str(path)],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    return result.returncode == 3 and "already open" in result.stderr


def test_a_plain_read_of_a_held_file_is_refused_and_the_lock_stays(review_path, passphrase, tmp_path):
    salt = read_salt(review_path)  # before any connection: allowed
    link = tmp_path / "same-file.ltr"
    link.hardlink_to(review_path)
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        assert held_here(review_path) is not None and held_here(link) is not None
        for spelling in (review_path, link):
            with pytest.raises(SecondOpen):
                read_salt(spelling)
        assert salt_of(store.conn) == salt  # the salt, read through the connection instead
        with pytest.raises(AlreadyOpen):
            Store.open(link, passphrase)
        assert other_process_is_refused(review_path)  # the lock was never released
    assert held_here(review_path) is None
    assert read_salt(review_path) == salt


def test_backup_and_pack_read_the_salt_through_the_connection(review_path, passphrase, tmp_path):
    """They read it with open() before, which released the lock mid-command."""
    from lt_interview.review.conversation_files import pack

    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        store.backup_to(tmp_path / "copy.ltr", passphrase)
        pack(store, passphrase, "Jo Hartley", tmp_path / "jo.ltc")
        assert other_process_is_refused(review_path)
    for made in ("copy.ltr", "jo.ltc"):
        with Store.open(tmp_path / made, passphrase):
            pass


def test_a_connection_dropped_without_closing_leaves_the_file_free(review_path, passphrase):
    store = Store.open(review_path, passphrase)
    store.close()
    assert held_here(review_path) is None
    Store.open(review_path, passphrase).close()
