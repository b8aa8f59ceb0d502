"""Pasting into the notes (#18 item 4): text with ESC and control bytes is inserted literally,
in order, and fires no action; in Textual's parser and in a real terminal (tmux).

Without the fix, Textual's parser replayed whatever followed an ESC inside a bracketed paste as
key presses: the text came out reordered, and "ESC Ctrl+L" opened the checklist, "ESC Ctrl+Q"
quit the app.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lt_interview.tui.paste import LiteralPasteParser

pytestmark = pytest.mark.reliability


def _events(chunks: list[str]) -> list[tuple[str, str]]:
    parser = LiteralPasteParser()
    found = []
    for chunk in chunks:
        found += list(parser.feed(chunk))
    found += list(parser.tick())
    time.sleep(0.15)  # past Textual's escape delay: a lone ESC is the Escape key
    found += list(parser.tick())
    return [(type(event).__name__, getattr(event, "key", None) or getattr(event, "text", "")) for event in found]


PASTED = "Pasted A\x1b\x0cB\x1b\x11 C\x1b[31m D\x07\x1b]0;T\x07 end"
EXPECTED = "Pasted AB C[31m D]0;T end"


@pytest.mark.parametrize("chunks", [
    ["\x1b[200~" + PASTED + "\x1b[201~"],
    ["\x1b[20", "0~Pasted A\x1b", "\x0cB\x1b\x11 C\x1b[31m D\x07\x1b]0;T\x07 end\x1b[2", "01~"],  # split reads
])
def test_a_bracketed_paste_is_one_literal_paste_event(chunks):
    assert _events(chunks) == [("Paste", EXPECTED)]


def test_keys_around_a_paste_keep_their_order():
    assert _events(["ab\x1b[200~X\x1b\x0cY\x1b[201~cd"]) == [
        ("Key", "a"), ("Key", "b"), ("Paste", "XY"), ("Key", "c"), ("Key", "d")]


def test_esc_and_a_control_byte_outside_a_paste_fire_nothing():
    assert _events(["ab\x1b\x0c\x1b\x11cd"]) == [("Key", "a"), ("Key", "b"), ("Key", "c"), ("Key", "d")]


@pytest.mark.parametrize("chunks, key", [
    (["\x1b"], "escape"), (["\x1b[20~"], "f9"), (["\x1b[20", "~"], "f9"), (["\x1b[A"], "up"),
    (["\x11"], "ctrl+q"), (["\x0c"], "ctrl+l"),
])
def test_keys_are_still_keys(chunks, key):
    assert _events(chunks) == [("Key", key)]


# --- a real terminal ---------------------------------------------------------------------

SOCKET = f"h18-input-paste-{os.getpid()}"


def _tmux(*args: str, check: bool = True) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=check, capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared:\n{_tmux('capture-pane', '-p', '-t', session)}")


def _saved_introduction(path: Path, secret: str) -> str:
    from lt_interview.domain.models import Note
    from lt_interview.storage.store import CONVERSATION, Store

    with Store.open(path, secret, expect_kind=CONVERSATION) as store:
        drafts = [(rid, rec) for rid, rec, _ in store.pending_drafts() if isinstance(rec, Note)]
        notes = drafts or store.records(Note)
        return "".join(rec.text for _, rec in notes if rec.stage_id == "introduction")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_pasting_escapes_in_a_real_terminal_inserts_text_and_fires_nothing(tmp_path):
    from lt_interview.demo import data as demo_data

    secret = demo_data.DEMO_PASSPHRASE
    exe = Path(sys.executable).with_name("lt-interview")
    env = {"LT_INTERVIEW_HOME": str(tmp_path / "home"), "LT_INTERVIEW_PASSPHRASE": secret,
           "TERM": "xterm-256color"}
    subprocess.run([str(exe), "demo", "--no-open", "--dir", str(tmp_path / "demo")], check=True,
                   capture_output=True, env={**os.environ, **env})
    path = tmp_path / "demo" / "gp.ltc"
    before = _saved_introduction(path, secret)
    session = "paste"
    command = " ".join(["exec env", *(f"{k}='{v}'" for k, v in env.items()),
                        str(exe), "converse", str(path), "--reviewer", "'Robin Ashdown'"])
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        _wait_for(session, "Introduction and ground rules")
        _wait_for(session, "Saved")
        # 1. A bracketed paste (tmux wraps the buffer in the paste markers, as a terminal does).
        buffer = tmp_path / "buffer.txt"
        buffer.write_bytes(PASTED.encode())
        _tmux("load-buffer", "-b", "h18", str(buffer))
        _tmux("paste-buffer", "-p", "-b", "h18", "-t", session)
        _wait_for(session, "end")
        # 2. The same bytes sent as keys (a terminal without bracketed paste): ESC + Ctrl+L, ESC + Ctrl+Q.
        _tmux("send-keys", "-t", session, "-l", " typed ")
        _tmux("send-keys", "-t", session, "-H", "1b", "0c", "1b", "11", "4b")  # ESC ^L ESC ^Q "K"
        _wait_for(session, "typed K")
        time.sleep(0.5)
        screen = _tmux("capture-pane", "-p", "-t", session)
        assert "Before you finish" not in screen  # Ctrl+L's checklist never opened
        _tmux("send-keys", "-t", session, "C-s")  # save, then quit the ordinary way
        time.sleep(0.5)
        alive = _tmux("list-sessions", check=False)
        assert session in alive  # Ctrl+Q inside the paste did not quit
        _tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 10
        while session in _tmux("list-sessions", check=False) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        _tmux("kill-server", check=False)
    note = _saved_introduction(path, secret)
    assert note.startswith(before)
    added = note[len(before):]
    assert EXPECTED in added  # literal, in order
    assert "\x1b" not in note and "\x0c" not in note and "\x11" not in note
    assert added.rstrip().endswith("typed K")
