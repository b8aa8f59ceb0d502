"""Large merges check their inputs in forked worker processes while the review's transaction
takes in the inputs already checked. The result, the refusals and the review file must be
exactly those of checking in one process. All data fictional."""

from __future__ import annotations

import pytest

from lt_interview.merge import workers as worker_module
from lt_interview.merge.importer import backup_path, merge_files, unfinished_backups
from lt_interview.errors import ImportRefused

from tests.merge.conftest import sha256
from tests.merge.test_importer import (
    _valid, h_altered_audit, h_another_review, h_extra_trigger, h_known_id_other_digest, h_tampered_digest,
)
from tests.merge.test_merge_streaming import _head_rows, _histories


@pytest.fixture
def workers(monkeypatch):
    """Force the worker path for small test files, and make sure it is really taken."""
    monkeypatch.setattr(worker_module, "WORKERS_FROM_BYTES", 0)

    def forced(inputs):
        count = real(inputs)
        assert count > 0 or len(inputs) < 2, "the worker path was not taken (one CPU, no fork, or another thread running)"
        return count

    real = worker_module.worker_count
    monkeypatch.setattr(worker_module, "worker_count", forced)


def _sequential_copy(case, name):
    target = case.directory / name
    target.write_bytes(case.review.read_bytes())
    return target


def test_workers_give_the_same_merge_as_one_process(case, workers, monkeypatch):
    inputs = _histories(case)
    alone = _sequential_copy(case, "alone.ltr")
    with monkeypatch.context() as patch:
        patch.setattr(worker_module, "worker_count", lambda inputs: 0)
        expected = merge_files(alone, inputs, case.passphrase)
    report = merge_files(case.review, inputs, case.passphrase)
    assert [(i.seen, i.added, i.duplicate, i.conflicts, i.result) for i in report.inputs] == [
        (i.seen, i.added, i.duplicate, i.conflicts, i.result) for i in expected.inputs]
    assert report.conflicts == expected.conflicts == 1
    assert _head_rows(case.review, case.passphrase) == _head_rows(alone, case.passphrase)
    assert case.revisions(case.review) == case.revisions(alone)


@pytest.mark.parametrize("make", [h_extra_trigger, h_tampered_digest, h_known_id_other_digest, h_altered_audit,
                                  h_another_review])
@pytest.mark.parametrize("where", ["first", "last"])
def test_a_refusal_in_a_worker_names_the_file_and_changes_nothing(case, workers, make, where):
    # A merge before, so a backup exists: a refused merge must leave it as it was.
    merge_files(case.review, [_valid(case, "earlier.ltc")], case.passphrase)
    backup = sha256(backup_path(case.review))
    good = [_valid(case, f"good{i}.ltc") for i in range(3)]
    bad, expected = make(case)
    inputs = [bad, *good] if where == "first" else [*good, bad]
    before = sha256(case.review)
    with pytest.raises(ImportRefused) as caught:
        merge_files(case.review, inputs, case.passphrase)
    message = str(caught.value)
    assert str(bad) in message and expected in message and "\n" not in message
    assert sha256(case.review) == before
    assert sha256(backup_path(case.review)) == backup
    assert not unfinished_backups(case.review)


def test_no_workers_where_forking_is_not_safe(case, monkeypatch):
    monkeypatch.setattr(worker_module, "WORKERS_FROM_BYTES", 0)
    inputs = [_valid(case, "a.ltc"), _valid(case, "b.ltc")]
    monkeypatch.setattr(worker_module.threading, "active_count", lambda: 2)  # e.g. inside the TUI
    assert worker_module.worker_count(inputs) == 0
    assert worker_module.worker_count(inputs[:1]) == 0


def test_the_command_line_merge_checks_in_workers(case, workers, capsys):
    """Nothing on the way from `lt-interview merge` may leave a thread running (which would
    make forking unsafe and quietly turn the workers off)."""
    from lt_interview.cli import main

    inputs = [_valid(case, f"cli{i}.ltc") for i in range(3)]
    assert main(["merge", str(case.review), *map(str, inputs)]) == 0
    assert "Merged 3 files" in capsys.readouterr().out
