"""Bad files: one typed line, exit 2, and the file unchanged (I1, S5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lt_interview.errors import NewerSchema, NotOurFile
from lt_interview.storage.store import Store

from tests.storage.helpers import digest


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lt_interview", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})})


def assert_one_line_refusal(result: subprocess.CompletedProcess, needle: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr and "ERROR CORE" not in result.stderr


def test_random_bytes(tmp_path):
    path = tmp_path / "random.ltc"
    path.write_bytes(os.urandom(64 * 1024))
    before = digest(path)
    assert_one_line_refusal(run_cli("check", str(path)), "wrong passphrase, or not an lt-interview file")
    assert digest(path) == before


def test_wrong_passphrase_prints_nothing_from_sqlcipher(review_path):
    before = digest(review_path)
    result = run_cli("review", "show", str(review_path), env={"LT_INTERVIEW_PASSPHRASE": "not the passphrase"})
    assert_one_line_refusal(result, "wrong passphrase, or not an lt-interview file")
    assert result.stdout == ""
    assert digest(review_path) == before


def test_plaintext_sqlite_and_another_applications_file(tmp_path, passphrase):
    plain = tmp_path / "plain.db"
    import sqlite3

    conn = sqlite3.connect(str(plain))
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    assert_one_line_refusal(run_cli("check", str(plain)), "unencrypted SQLite file")

    from lt_interview.storage.connection import connect

    other = tmp_path / "other.db"
    conn = connect(other, passphrase, create=True)
    conn.execute("PRAGMA application_id = 42")
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    before = digest(other)
    assert_one_line_refusal(run_cli("check", str(other)), "not an lt-interview file")
    assert digest(other) == before


def test_truncated_database(review_path, tmp_path):
    data = review_path.read_bytes()
    path = tmp_path / "truncated.ltr"
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    result = run_cli("check", str(path))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert digest(path) == before


def test_flipped_bytes(review_path, tmp_path):
    data = bytearray(review_path.read_bytes())
    for offset in range(5000, len(data), 4096):
        data[offset] ^= 0xFF
    path = tmp_path / "flipped.ltr"
    path.write_bytes(bytes(data))
    before = digest(path)
    result = run_cli("check", str(path))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert digest(path) == before


def test_newer_schema_is_refused_before_any_write(review_path, passphrase):
    with Store.open(review_path, passphrase) as store:
        store.conn.execute("PRAGMA user_version = 99")
    before = digest(review_path)
    with pytest.raises(NewerSchema, match="newer lt-interview"):
        Store.open(review_path, passphrase)
    assert_one_line_refusal(run_cli("review", "show", str(review_path)), "newer lt-interview")
    assert digest(review_path) == before


def test_sparse_huge_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.ltr"
    with open(path, "wb") as handle:
        handle.write(os.urandom(4096))
        handle.truncate(10 * 1024**3)
    result = run_cli("check", str(path))
    assert_one_line_refusal(result, "too large")


def test_not_a_file_and_missing_file():
    assert_one_line_refusal(run_cli("check", "/nonexistent/x.ltr"), "no such file")
    assert_one_line_refusal(run_cli("check", "/tmp"), "is a folder")


def test_typed_errors_in_process(tmp_path, passphrase):
    path = tmp_path / "junk"
    path.write_bytes(b"\0" * 4096)
    with pytest.raises(NotOurFile):
        Store.open(path, passphrase)
    with pytest.raises(NotOurFile):
        Store.open(Path(__file__), passphrase)


@pytest.mark.parametrize("argv", [
    ["check", "{ltc}"], ["review", "show", "{ltr}"], ["merge", "{review}", "{ltc}"], ["merge", "{ltr}", "{ltc}"],
    ["export", "{ltr}", "-o", "{out}"], ["pack", "{ltr}", "--practitioner", "GP", "-o", "{tmp}/x.ltc"],
    ["purge", "{ltr}", "--yes"], ["typeup", "{ltc}"], ["converse", "{ltc}"], ["conflicts", "{ltr}"],
], ids=lambda argv: "-".join(a for a in argv if not a.startswith(("{", "-")))[:30])
def test_an_empty_file_is_called_empty(tmp_path, review_path, argv):
    from lt_interview.cli import main

    for name in ("empty.ltc", "empty.ltr"):
        (tmp_path / name).write_bytes(b"")
    paths = {"ltc": tmp_path / "empty.ltc", "ltr": tmp_path / "empty.ltr", "review": review_path,
             "out": tmp_path / "out", "tmp": tmp_path}
    before = digest(review_path)
    args = [arg.format(**paths) for arg in argv]
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(args) == 2
    empty = "empty.ltr" if "{ltr}" in argv else "empty.ltc"
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and f"{empty}: an empty file, not an lt-interview file" in lines[0], lines
    assert "wrong passphrase" not in lines[0]
    assert (tmp_path / empty).read_bytes() == b"" and digest(review_path) == before
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.ltc").exists()
