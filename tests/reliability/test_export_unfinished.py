"""Issue #18 item 9: an export stopped midway leaves no partial pack under the final names; it
writes into a clearly named unfinished folder, moved into place when complete, and the next
export of the review clears what was left. Fictional data only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lt_interview.export import export_packs, names
from lt_interview.storage.store import REVIEW, Store
from tests.reliability.overlap_helpers import build_case, cli, start_held

pytestmark = pytest.mark.reliability

_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def review(tmp_path_factory, tmp_path, passphrase) -> Path:
    if passphrase not in _TEMPLATE:
        template = build_case(tmp_path_factory.mktemp("export-template"), passphrase)
        assert cli("merge", template / "review.ltr", template / "c0.ltc", template / "c1.ltc").returncode == 0
        _TEMPLATE[passphrase] = template
    work = tmp_path / "case"
    shutil.copytree(_TEMPLATE[passphrase], work)
    return work / "review.ltr"


def exported(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.suffix in names.SUFFIXES)


@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "existing folder"])
def test_an_export_killed_midway_leaves_no_partial_pack(review, tmp_path, existing):
    out = tmp_path / "exports"
    if existing:
        out.mkdir()
        (out / "reviewers-own-notes.txt").write_text("kept\n")
    held = start_held("export.writing", "export", review, "-o", out, "--format", "all", work=tmp_path)
    held.kill()  # SIGKILL after the first file was written: no clean-up code runs
    if existing:
        assert exported(out) == []
        (left,) = [path for path in out.iterdir() if path.is_dir()]
    else:
        assert not out.exists()
        (left,) = [path for path in tmp_path.iterdir() if path.name.startswith("exports.")]
    assert "lt-export-unfinished" in left.name and len(exported(left)) == 1
    again = cli("export", review, "-o", out, "--format", "all")
    assert again.returncode == 0, again.stderr
    assert not left.exists()  # the next export of the review cleared it
    files = exported(out)
    assert {Path(name).suffix for name in files} == set(names.SUFFIXES)
    assert sorted(path.name for path in out.iterdir()) == sorted(
        files + (["reviewers-own-notes.txt"] if existing else []))
    shown = [Path(line.split("Wrote ", 1)[1]) for line in again.stdout.splitlines()]
    assert sorted(shown) == sorted(out / name for name in files)  # the names printed are the final ones


@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "existing folder"])
def test_a_write_that_fails_midway_leaves_nothing(review, tmp_path, passphrase, monkeypatch, existing):
    out = tmp_path / "exports"
    if existing:
        out.mkdir()
    real, calls = names.write_new, []

    def failing(folder, title, suffix, data):
        calls.append(suffix)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(folder, title, suffix, data)

    monkeypatch.setattr(names, "write_new", failing)
    with Store.open(review, passphrase, expect_kind=REVIEW) as store:
        with pytest.raises(OSError):
            export_packs(store, out, ["md", "html", "docx", "csv"])
    assert (list(out.iterdir()) == []) if existing else not out.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == (["case", "exports"] if existing else ["case"])


def test_a_folder_without_hard_links_still_gets_the_whole_pack(review, tmp_path, passphrase, monkeypatch):
    """FAT and some shares take no hard links: finished files are renamed in instead."""
    import errno

    from lt_interview.export import staged

    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(staged.os, "link", no_links)
    out = tmp_path / "exports"
    out.mkdir()
    with Store.open(review, passphrase, expect_kind=REVIEW) as store:
        written = export_packs(store, out, ["md", "csv"])
    assert sorted(path.name for path in out.iterdir()) == sorted(path.name for path in written)
    assert all(path.parent == out and path.stat().st_size > 0 for path in written)
