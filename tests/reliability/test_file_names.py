"""File names and odd arguments (#18 item 10): names with escape sequences or bytes that are not
UTF-8 are shown as escapes by every CLI message and the home screen's recent files, never
obeyed by the terminal; write verbs work on a valid file at a non-UTF-8 path; odd inputs get
one line and exit 2, never an internal error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lt_interview.visible import visible

pytestmark = pytest.mark.reliability

EXE = str(Path(sys.executable).with_name("lt-interview"))
PASS = "correct horse battery staple"
TITLE = "\x1b]0;PWNED-TITLE\x07"
CLIPBOARD = "\x1b]52;c;Q0xJUA==\x07"
ESCAPED_NAME = f"case{TITLE}{CLIPBOARD}\u202e.ltr"
BYTES_NAME = b"caf\xff\xfe.ltr"  # Latin-1 "café" and a stray byte: not UTF-8


def run(args: list, home: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "LT_INTERVIEW_HOME": str(home), "LT_INTERVIEW_PASSPHRASE": PASS}
    return subprocess.run([EXE, *args], capture_output=True, env=env, cwd=cwd, timeout=60,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def folder(review_path, tmp_path) -> Path:
    """A review under an escape-laden name and another under a non-UTF-8 name."""
    shutil.copyfile(review_path, tmp_path / ESCAPED_NAME)
    shutil.copyfile(review_path, os.path.join(os.fsencode(tmp_path), BYTES_NAME))
    return tmp_path


def _unsafe(output: bytes) -> list[bytes]:
    return [b for b in (b"\x1b", b"\x07", "\u202e".encode(), b"\xff", b"\xfe") if b in output]


def test_visible_writes_out_controls_and_undecodable_bytes():
    assert visible(TITLE) == "\\x1b]0;PWNED-TITLE\\x07"
    assert visible(os.fsdecode(BYTES_NAME)) == "caf\\xff\\xfe.ltr"
    assert visible("\u202eevil\t\nok\r") == "\\u202eevil\t\nok\r"
    assert visible("plain text, é and 漢字") == "plain text, é and 漢字"


@pytest.mark.parametrize("args", [
    ["check", "{name}"],
    ["review", "set", "{name}", "--legal-hold", "on"],
    ["review", "show", "{name}"],
    ["review", "set", "missing-{name}", "--legal-hold", "on"],  # argparse's own message
    ["export", "{name}", "-o", "out", "--format", "md"],
    ["review", "structure", "{name}", "--export", "structure"],
])
@pytest.mark.parametrize("which", ["escapes", "bytes"])
def test_every_message_shows_file_names_safely_and_write_verbs_work(folder, isolated_home, args, which):
    name = os.fsencode(ESCAPED_NAME) if which == "escapes" else BYTES_NAME
    argv = [os.fsencode(a).replace(b"{name}", name) for a in args]
    result = run(argv, isolated_home, folder)
    assert _unsafe(result.stdout + result.stderr) == [], (result.stdout + result.stderr)
    assert b"something went wrong" not in result.stderr and b"Traceback" not in result.stderr
    if "missing-{name}" in args:
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    else:
        assert result.returncode == 0, result.stderr
    if args[0] == "check" or "missing-{name}" in args:  # the name itself, written out
        assert visible(os.fsdecode(name)).encode() in result.stdout + result.stderr


def test_pack_and_merge_at_a_non_utf8_path(review_path, tmp_path, isolated_home):
    review = os.path.join(os.fsencode(tmp_path), BYTES_NAME)
    shutil.copyfile(review_path, review)
    conversation = os.path.join(os.fsencode(tmp_path), b"conversation-\xe9.ltc")
    from lt_interview.domain.models import Practitioner
    from lt_interview.storage.store import Store

    with Store.open(review_path, PASS) as store:
        name = store.records(Practitioner)[0][1].name
    packed = run(["pack", review, "--practitioner", name, "-o", conversation], isolated_home, tmp_path)
    assert packed.returncode == 0, packed.stderr
    assert b"conversation-\\xe9.ltc" in packed.stdout and _unsafe(packed.stdout) == []
    merged = run(["merge", review, conversation], isolated_home, tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert b"Merged 1 file" in merged.stdout


# --- odd inputs: one line, exit 2 --------------------------------------------------------

@pytest.mark.parametrize("name", [" ", "   ", "\t", "\x1b\x07"])
def test_a_blank_review_name_is_one_line_exit_2(tmp_path, isolated_home, name):
    result = run(["review", "new", str(tmp_path / "r.ltr"), "--name", name], isolated_home, tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode().count("\n") == 1 and "needs a name" in result.stderr.decode()
    assert not (tmp_path / "r.ltr").exists()


def test_a_docx_export_of_a_300_character_review_name(tmp_path, isolated_home):
    name = "A review whose name runs on " * 11  # about 300 characters
    created = run(["review", "new", str(tmp_path / "r.ltr"), "--name", name], isolated_home, tmp_path)
    assert created.returncode == 0, created.stderr
    result = run(["export", str(tmp_path / "r.ltr"), "-o", str(tmp_path / "out"), "--format", "docx"],
                 isolated_home, tmp_path)
    assert result.returncode == 0, result.stderr
    (written,) = list((tmp_path / "out").glob("*.docx"))
    assert len(written.name.encode()) <= 100
    from docx import Document

    title = Document(str(written)).core_properties.title
    assert len(title) <= 255 and "A review whose name runs on" in title


def test_structure_export_onto_a_read_only_place_is_one_line(tmp_path, isolated_home, review_path, monkeypatch):
    """A read-only location (a read-only disc, or a folder without write permission when not
    root): one line, exit 2, nothing left behind. In-process, the folder creation fails as on a
    read-only disc."""
    import errno

    from lt_interview import cli
    from lt_interview.review import structure_copy

    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(structure_copy, "private_dir", read_only)
    code = cli.main(["review", "structure", str(review_path), "--export", str(tmp_path / "copy")])
    assert code == 2
    assert not (tmp_path / "copy").exists()


def test_structure_export_failing_midway_leaves_nothing(tmp_path, isolated_home, review_path, monkeypatch, capsys):
    import errno

    from lt_interview import cli
    from lt_interview.review import structure_copy

    calls = []

    def full(path, text, **kwargs):
        calls.append(path)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        Path(path).write_text(text)

    monkeypatch.setattr(structure_copy, "write_private_text", full)
    code = cli.main(["review", "structure", str(review_path), "--export", str(tmp_path / "copy")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "the disc is full" in err
    assert not (tmp_path / "copy").exists()


@pytest.mark.slow
def test_the_home_screen_shows_recent_file_names_safely(folder, isolated_home):
    """The real home screen in a pseudo-terminal: the recent list names both files, written
    out; none of their escape sequences or raw bytes reaches the terminal."""
    import json

    from test_escapes_in_files import _run_in_pty

    data = isolated_home / "data"
    data.mkdir(parents=True, exist_ok=True)
    recent = [os.fsdecode(os.path.join(os.fsencode(folder), name))
              for name in (os.fsencode(ESCAPED_NAME), BYTES_NAME)]
    (data / "recent.json").write_text(json.dumps(recent))
    from lt_interview.recent import recent_files

    assert [str(p) for p in recent_files()] == recent  # where the home screen reads them

    env = {**os.environ, "TERM": "xterm-256color", "LT_INTERVIEW_PASSPHRASE": PASS}

    def steps(send, wait_for):
        wait_for(b"PWNED-TITLE")
        wait_for(b"caf\\xff\\xfe.ltr")

    output = _run_in_pty([EXE], env, steps)
    assert TITLE.encode() not in output and CLIPBOARD.encode() not in output
    assert b"\x1b]0;PWNED" not in output and b"\x1b]52;" not in output
    assert "\u202e".encode() not in output and b"\xff\xfe" not in output
    assert b"\\x1b]0;PWNED-TITLE\\x07" in output  # shown, written out
