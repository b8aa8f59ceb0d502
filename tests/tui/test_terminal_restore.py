"""After a screen was killed (SIGKILL) the terminal stayed raw, in the alternate screen, with the
mouse reporting: the reviewer had to type `reset`. The next screen puts it back first."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import termios
import tty

import pytest

from lt_interview.tui.terminal_restore import RESET, TerminalGuard

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix terminals only")


@pytest.fixture
def terminal():
    main, other = os.openpty()
    yield other
    os.close(main)
    os.close(other)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_terminal_left_by_a_killed_screen_is_put_back(terminal, tmp_path):
    sane = termios.tcgetattr(terminal)
    out = io.StringIO()
    first = TerminalGuard(tmp_path, terminal, out)
    assert first.begin() is False  # nothing to put back the first time
    marker = first.marker
    assert marker is not None and marker.exists()
    # The screen takes the terminal over, then is killed: the marker stays, its process is gone.
    tty.setraw(terminal)
    assert not termios.tcgetattr(terminal)[3] & termios.ECHO
    note = json.loads(marker.read_text())
    marker.write_text(json.dumps({**note, "pid": _dead_pid()}))

    second = TerminalGuard(tmp_path, terminal, out)
    assert second.begin() is True
    assert termios.tcgetattr(terminal) == sane  # echo, line editing, as before the first screen
    assert out.getvalue() == RESET
    for mode in ("?1049l", "?1000l", "?1003l", "?2004l", "?25h", "<u"):
        assert "\x1b[" + mode in RESET
    second.end()
    assert not marker.exists()


def test_a_screen_still_open_on_the_terminal_is_left_alone(terminal, tmp_path):
    out = io.StringIO()
    first = TerminalGuard(tmp_path, terminal, out)
    first.begin()  # this process: alive
    assert TerminalGuard(tmp_path, terminal, out).begin() is False
    assert out.getvalue() == ""


def test_nothing_is_done_without_termios(terminal, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "termios", None)
    guard = TerminalGuard(tmp_path, terminal, io.StringIO())
    assert guard.begin() is False and list(tmp_path.iterdir()) == []
    guard.end()
