"""Issue #18 items 2 and 7: each merge's temporary backup has a name of its own and is removed on
every path; a disk that fills during a merge is reported in one line, exit 2, nothing left
behind and the review unchanged. Fictional data only."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from lt_interview.cli import main
from lt_interview.merge import checks
from lt_interview.merge.importer import backup_path, merge_files, unfinished_backups
from lt_interview.merge.union import MergeTransaction
from lt_interview.storage import _sqlite
from lt_interview.storage import connection as connection_module
from lt_interview.storage.replication import Replication
from lt_interview.storage.store import Store
from tests.reliability.overlap_helpers import add_notes, build_case, cli, note_texts, sound, start_held
from tests.storage.helpers import digest

pytestmark = pytest.mark.reliability

_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def case(tmp_path_factory, tmp_path, passphrase, monkeypatch) -> Path:
    if passphrase not in _TEMPLATE:
        _TEMPLATE[passphrase] = build_case(tmp_path_factory.mktemp("backup-template"), passphrase)
    work = tmp_path / "case"
    shutil.copytree(_TEMPLATE[passphrase], work)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # where a merge stages its inputs
    return work


def files_in(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


# --- item 2: temporary backups -----------------------------------------------------------


def test_each_merge_backs_up_under_a_name_of_its_own(case, passphrase, monkeypatch):
    """Two merges used the same temporary name: one removed the other's, then failed after committing."""
    made: list[str] = []
    real = Store.backup_to

    def recording(self, target, secret):
        made.append(Path(target).name)
        real(self, target, secret)

    monkeypatch.setattr(Store, "backup_to", recording)
    review = case / "review.ltr"
    before_second = None
    for number, conversation in enumerate(("c0.ltc", "c1.ltc")):
        if number:
            before_second = note_texts(review, passphrase)
        merge_files(review, [case / conversation], passphrase)
        assert not unfinished_backups(review)
    assert len(set(made)) == 2 and all(name.startswith("review.ltr.before-merge.") for name in made)
    assert note_texts(backup_path(review), passphrase) == before_second  # the state before the last merge
    assert {name for name in files_in(case) if "before-merge" in name} == {"review.ltr.before-merge"}


def test_a_backup_that_cannot_be_finished_leaves_nothing(case, passphrase, monkeypatch):
    review = case / "review.ltr"
    before, names = digest(review), files_in(case)
    real = Store.backup_to

    def failing(self, target, secret):
        real(self, target, secret)
        raise OSError(errno.EIO, "simulated fault after the copy was written")

    monkeypatch.setattr(Store, "backup_to", failing)
    with pytest.raises(OSError):
        merge_files(review, [case / "c0.ltc"], passphrase)
    assert files_in(case) == names and digest(review) == before


def test_what_a_killed_merge_left_is_cleared_by_the_next(case, passphrase, tmp_path):
    """Its temporary backup beside the review, and its staging folder in the temporary folder."""
    review = case / "review.ltr"
    staging = tmp_path / "staging"
    staging.mkdir()
    env = {**os.environ, "TMPDIR": str(staging), "TEMP": str(staging), "TMP": str(staging)}
    held = start_held("merge.saving", "merge", review, case / "c0.ltc", work=case, env_extra=env)
    held.kill()  # SIGKILL (TerminateProcess on Windows): no clean-up code runs
    assert len([path for path in unfinished_backups(review) if path.suffix == ".tmp"]) == 1
    assert [path.name[:9] for path in staging.iterdir()] == ["lt-merge-"]
    sound(review)  # the merge never committed
    assert note_texts(review, passphrase).isdisjoint({"c0 note 0"})
    again = cli("merge", review, case / "c0.ltc", env=env)
    assert again.returncode == 0, again.stderr
    assert not unfinished_backups(review)
    assert list(staging.iterdir()) == []
    assert "c0 note 0" in note_texts(review, passphrase)


# --- item 7: disk full ---------------------------------------------------------------------


def _full_while_backing_up(monkeypatch):
    real = connection_module.create_private_file

    def create(path):
        if ".before-merge." in Path(path).name:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path)

    monkeypatch.setattr(connection_module, "create_private_file", create)


def _full_while_staging(monkeypatch):
    def copy(path, destination):
        raise _sqlite.OperationalError("database or disk is full")

    monkeypatch.setattr(checks, "_copy_into", copy)


def _full_while_adding(monkeypatch):
    """The review may not grow by a page: SQLite's own SQLITE_FULL as the union writes."""
    real = Replication.begin

    def begin(self):
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")
        real(self)

    monkeypatch.setattr(Replication, "begin", begin)


def _full_at_commit(monkeypatch):
    def commit(self, plan, inputs):
        raise _sqlite.OperationalError("database or disk is full")

    monkeypatch.setattr(MergeTransaction, "commit", commit)


@pytest.mark.parametrize("fill", [_full_while_backing_up, _full_while_staging, _full_while_adding, _full_at_commit],
                         ids=["backup", "staging", "adding", "commit"])
def test_disk_full_during_a_merge_says_so_leaves_nothing_and_changes_nothing(case, passphrase, monkeypatch,
                                                                          capsys, fill):
    review = case / "review.ltr"
    # Enough new text that adding it needs new pages in the review.
    add_notes(case / "c0.ltc", passphrase, ["a long fictional note " * 2_000], device="device-a")
    assert main(["merge", str(review), str(case / "c1.ltc")]) == 0  # a backup of an earlier merge exists
    before, backup, names = digest(review), digest(backup_path(review)), files_in(case)
    capsys.readouterr()
    fill(monkeypatch)
    assert main(["merge", str(review), str(case / "c0.ltc")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the disk is full" in err and "nothing was merged" in err, err
    assert "went wrong" not in err
    assert files_in(case) == names  # no temporary backup, no WAL left beside it
    assert not any(Path(tempfile.gettempdir()).iterdir())  # no staging folder
    assert digest(review) == before and digest(backup_path(review)) == backup
    sound(review)


def test_a_full_disk_met_anywhere_else_is_one_line_exit_2(case, monkeypatch, capsys):
    """Any verb: a write the disk refused is the user's to put right, never "something went wrong"."""
    from lt_interview.commands import review as review_command

    def full(args):
        raise _sqlite.OperationalError("database or disk is full")

    monkeypatch.setattr(review_command, "run_show", full)
    assert main(["review", "show", str(case / "review.ltr")]) == 2
    err = capsys.readouterr().err
    assert err == "lt-interview: the disk is full; free some space and try again\n"


def test_a_full_disk_while_packing_leaves_no_half_made_conversation_file(case, monkeypatch, capsys):
    from lt_interview.storage import store as store_module

    real = store_module.schema.apply

    def full(db):
        real(db)
        raise _sqlite.OperationalError("database or disk is full")

    monkeypatch.setattr(store_module.schema, "apply", full)
    names = files_in(case)
    assert main(["pack", str(case / "review.ltr"), "--practitioner", "Chris Dunmore",
                 "-o", str(case / "c2.ltc")]) == 2
    assert "the disk is full" in capsys.readouterr().err
    assert files_in(case) == names
