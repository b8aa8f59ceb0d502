"""Export safety (RELIABILITY.md §7): confined, non-empty, short file names; 0600, never
overwrite, never follow a link; spreadsheet-formula neutralising."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest
from hypothesis import given, settings, strategies as st

from lt_interview.errors import BadInput
from lt_interview.export import csv_safe, names


@settings(max_examples=300, deadline=None)
@given(title=st.text(max_size=300), suffix=st.sampled_from(names.SUFFIXES))
def test_any_title_stays_inside_the_folder(tmp_path_factory, title, suffix):
    folder = tmp_path_factory.getbasetemp() / "names"
    folder.mkdir(exist_ok=True)
    name = names.safe_name(title, suffix)
    assert name and name.endswith(suffix) and len(name.encode("utf-8")) <= 100
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    path = names.confined(folder, name)
    assert path.resolve().parent == folder.resolve()


@pytest.mark.parametrize("title", ["../../etc/passwd", "....", "con", "", "/", "~root", "\u202e\u0000", "a" * 500])
def test_hostile_titles(tmp_path, title):
    path = names.write_new(tmp_path, title, ".md", b"x")
    assert path.parent == tmp_path and path.name.endswith(".md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    if title in ("....", "", "/", "\u202e\u0000"):
        assert path.name.startswith("export-")


def test_never_overwrites_or_follows_links(tmp_path, monkeypatch):
    target = tmp_path / "victim.txt"
    target.write_text("keep")
    monkeypatch.setattr(names, "new_id", lambda: "deadbeef-0000")
    link = tmp_path / "pack-deadbeef.md"
    link.symlink_to(target)
    with pytest.raises(BadInput):
        names.write_new(tmp_path, "pack", ".md", b"overwritten?")
    assert target.read_text() == "keep"
    link.unlink()
    first = names.write_new(tmp_path, "pack", ".md", b"one")
    with pytest.raises(BadInput, match="already exists"):
        names.write_new(tmp_path, "pack", ".md", b"two")
    assert first.read_bytes() == b"one"


def test_confinement_refuses_escapes(tmp_path):
    for name in ("..", "../x.md", "a/b.md"):
        with pytest.raises(BadInput):
            names.confined(tmp_path, name)
    with pytest.raises(BadInput):
        names.safe_name("x", ".exe")


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+44", "'+44"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("\x00x", "'\x00x"), ("plain", "plain"), ("", ""), (" =no", " =no"), (3, "3"),
])
def test_neutralise(cell, expected):
    assert csv_safe.neutralise(cell) == expected


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
                         min_size=1, max_size=6), min_size=1, max_size=8))
def test_csv_round_trip(rows):
    text = csv_safe.to_csv(rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [[csv_safe.neutralise(cell) for cell in row] for row in rows]
    for row_in, row_out in zip(rows, back):
        for original, written in zip(row_in, row_out):
            assert not written.startswith(csv_safe.DANGEROUS_FIRST)
            assert written == original or written == "'" + original
    assert csv_safe.to_csv_bytes(rows).startswith(b"\xef\xbb\xbf")


def test_output_folder_created_private(tmp_path):
    folder = names.output_folder(tmp_path / "new")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    with pytest.raises(BadInput):
        names.output_folder(tmp_path / "missing" / "deeper")
