"""Storage's public replication API (storage/replication.py, storage/staging.py): an input's
staging copy, the one transaction that adds it to a review, the backup before a merge; and the
merge package uses only that API: nothing private from storage, no SQL of its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from lt_interview.domain.models import Reviewer
from lt_interview.storage import replication
from lt_interview.storage.replication import Replication, StagingCopy
from lt_interview.storage.store import REVIEW, Store
from tests.storage.helpers import digest

MERGE = Path(__file__).resolve().parents[2] / "lt_interview" / "merge"


@pytest.fixture
def grown_copy(review_path, passphrase, tmp_path) -> tuple[Path, str]:
    """A copy of the review with one record the review does not hold: (copy, its record id)."""
    copy = tmp_path / "copy.ltr"
    with Store.open(review_path, passphrase) as store:
        store.backup_to(copy, passphrase)
    with Store.open(copy, passphrase, device_id="another-device") as store:
        record_id = store.put(Reviewer(name="Sam Reviewer")).record_id
    return copy, record_id


def _staged(path: Path, passphrase: str, workdir: Path) -> StagingCopy:
    salt = replication.input_salt(path, max_bytes=2**30)
    key = replication.input_key(passphrase, salt)
    copy = StagingCopy.open(replication.new_staging_file(workdir), key, salt)
    copy.copy_from(path)
    return copy


def test_a_staging_copy_is_read_and_the_input_is_never_written(grown_copy, passphrase, tmp_path):
    path, record_id = grown_copy
    before = digest(path)
    workdir = tmp_path / "staging"
    workdir.mkdir()
    with _staged(path, passphrase, workdir) as copy:
        assert copy.intact()
        assert copy.identity() == (replication.APPLICATION_ID, replication.SCHEMA_VERSION)
        assert copy.schema_rows() <= replication.reference_schema()
        assert copy.table_over_cap({"revision": 0}) is not None and copy.table_over_cap({}) is not None
        assert copy.meta()["file_kind"] == REVIEW
        rows = list(copy.revision_rows())
        assert len(rows[0]) == len(replication.REVISION_COLUMNS)
        assert record_id in {row[replication.REVISION_COLUMNS.index("record_id")] for row in rows}
        copy.verify_audit(source=str(path))
        assert sum(len(batch) for batch in copy.revision_batches(2)) == len(rows)
        memory = StagingCopy.open(None, copy.key, copy.salt)  # the same snapshot, in memory
        with memory:
            memory.copy_from(path)
            assert list(memory.revision_rows()) == rows
    assert digest(path) == before
    with pytest.raises(ValueError):
        StagingCopy.open(None, b"\0" * 32, bytes(16)).count("sqlite_schema")


def test_replication_adds_an_input_in_one_transaction(review_path, grown_copy, passphrase, tmp_path):
    path, record_id = grown_copy
    with _staged(path, passphrase, tmp_path) as copy, Store.open(review_path, passphrase) as review:
        assert review.get(record_id) is None and not replication.busy_saving(review)
        merging = Replication(review)
        merging.begin()
        try:
            assert replication.busy_saving(review)
            assert merging.add_revisions(copy.revision_batches(100)) == 1  # only the new one
            merging.stage_audit(copy.audit_rows())
            assert merging.keep_audit() is None
            merging.record_import(sha256="0" * 64, file_id="copy", device="another-device", app_version="test",
                                  seen=1, added=1, result="added", reason="")
            merging.commit({"inputs": 1, "added": 1, "conflicts": 0})
        finally:
            merging.close()
    with Store.open(review_path, passphrase) as review:  # reopened: the audit chains verify
        assert review.get(record_id).record == Reviewer(name="Sam Reviewer")


def test_a_replication_not_committed_leaves_the_review_byte_for_byte(review_path, grown_copy, passphrase,
                                                                       tmp_path):
    path, record_id = grown_copy
    before = digest(review_path)
    with _staged(path, passphrase, tmp_path) as copy, Store.open(review_path, passphrase) as review:
        merging = Replication(review)
        merging.begin()
        assert merging.add_revisions(copy.revision_batches(100)) == 1
        merging.close()
        assert review.get(record_id) is None
    assert digest(review_path) == before


def test_the_backup_before_a_merge_is_kept_only_when_asked(review_path, passphrase):
    with Store.open(review_path, passphrase) as review:
        temporary = replication.start_backup(review, passphrase)
        assert replication.unfinished_backups(review_path) == [temporary]
        assert replication.keep_backup(temporary, review) == replication.backup_path(review_path)
    assert replication.unfinished_backups(review_path) == []
    with Store.open(replication.backup_path(review_path), passphrase, expect_kind=REVIEW):
        pass


# --- the merge package uses the public API only --------------------------------------------

# lookups: the small reads every use case shares (a review's structure, its practitioners...).
PUBLIC_STORAGE = {"lt_interview.storage.store", "lt_interview.storage.replication",
                  "lt_interview.storage.revisions", "lt_interview.storage.kinds", "lt_interview.storage.lookups"}
SQL_START = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|DROP|BEGIN|COMMIT|ROLLBACK|VACUUM|ATTACH|"
                       r"WITH)\b", re.IGNORECASE)


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(MERGE.glob("*.py"))]


def test_merge_imports_nothing_private_from_storage():
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lt_interview.storage"):
                if node.module == "lt_interview.storage":
                    names = {f"lt_interview.storage.{alias.name}" for alias in node.names}
                    assert names <= PUBLIC_STORAGE, f"{path.name}: {sorted(names - PUBLIC_STORAGE)}"
                else:
                    assert node.module in PUBLIC_STORAGE, f"{path.name}: imports {node.module}"
                    private = [alias.name for alias in node.names if alias.name.startswith("_")]
                    assert not private, f"{path.name}: imports {private} from {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("lt_interview.storage") or alias.name in PUBLIC_STORAGE, \
                        f"{path.name}: imports {alias.name}"
                    assert alias.name.split(".")[0] not in {"sqlite3", "sqlcipher3", "sqlite_utils"}, path.name
            if isinstance(node, ast.Attribute):  # no reaching into a store's connection either
                assert node.attr not in {"conn", "execute", "executemany", "_conn", "db"}, \
                    f"{path.name}:{node.lineno}: .{node.attr}"


def test_merge_holds_no_sql():
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not SQL_START.match(node.value), f"{path.name}:{node.lineno}: {node.value[:60]!r}"
                assert not re.search(r"\b(SELECT .+ FROM|INSERT (OR \w+ )?INTO|DELETE FROM|UPDATE \w+ SET|PRAGMA \w+)",
                                     node.value), f"{path.name}:{node.lineno}: {node.value[:60]!r}"


def test_the_sql_check_would_see_a_statement():
    sample = ast.parse('x = "SELECT revision_id FROM revision"\ny = f"PRAGMA main.cache_size = {n}"')
    found = [node for node in ast.walk(sample) if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and SQL_START.match(node.value)]
    assert len(found) == 2
