"""Put the terminal back after a screen was stopped without tidying up (SIGKILL, or SIGHUP and
SIGTERM, whose handlers save and leave without touching a terminal that may be gone).

Such a stop leaves the terminal as the screen had it: mouse movements typed as text, the
alternate screen, no cursor, keys not echoed. As a screen starts, it notes the terminal's
settings in a small file (one per terminal) and removes the file on leaving; on the next start,
before Textual, a file left by a process that no longer runs means the terminal needs putting
back. Unix terminals only: Windows has no termios, and its console is reset per process.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import IO

# What Textual 8.2.8's Linux driver switches on, switched off (linux_driver.py).
RESET = (
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"  # mouse reports
    "\x1b[?1004l"  # focus reports
    "\x1b[?2004l"  # bracketed paste
    "\x1b[?2048l"  # in-band resize reports
    "\x1b[<u"  # the kitty keyboard mode pushed at start
    "\x1b[?1049l"  # the alternate screen
    "\x1b[?7h\x1b[?25h"  # line wrapping and the cursor
)


def _termios():
    from lt_interview.platform import is_windows

    if is_windows():
        return None
    try:
        import termios
    except ImportError:
        return None
    return termios


def _marker(fd: int, folder: Path) -> Path | None:
    try:
        name = os.ttyname(fd)
    except (OSError, AttributeError):
        return None
    return folder / ("terminal-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def _encode(attrs: list) -> dict:
    *flags, cc = attrs
    return {"flags": flags, "cc": [[1, c[0]] if isinstance(c, bytes) else [0, c] for c in cc]}


def _decode(data: dict) -> list:
    cc = [bytes([value]) if as_bytes else value for as_bytes, value in data["cc"]]
    return [*data["flags"], cc]


class TerminalGuard:
    """Notes the terminal as a screen starts (`begin`), forgets it as the screen ends (`end`)."""

    def __init__(self, folder: Path | None = None, fd: int | None = None, out: IO[str] | None = None) -> None:
        self.termios = _termios()
        self.fd = sys.__stdin__.fileno() if fd is None and sys.__stdin__ is not None else fd
        self.out = out if out is not None else sys.__stderr__  # where Textual draws on Unix
        self.folder = folder
        self.marker: Path | None = None

    def begin(self) -> bool:
        """Put the terminal back if an earlier screen on it was stopped untidily (True if so);
        then note it for this one. Never raises: the screen starts whatever happens here."""
        if self.termios is None or self.fd is None:
            return False
        try:
            if self.folder is None:
                from lt_interview.paths import data_dir

                self.folder = data_dir()
            self.marker = _marker(self.fd, self.folder)
            if self.marker is None:
                return False
            restored = self._restore_if_left()
            from lt_interview.paths import write_private_text

            note = {"pid": os.getpid(), "attrs": _encode(self.termios.tcgetattr(self.fd))}
            write_private_text(self.marker, json.dumps(note), replace=True)
            return restored
        except Exception:  # noqa: BLE001 - a nicety: never in the way of opening the screen
            return False

    def end(self) -> None:
        if self.marker is not None:
            self.marker.unlink(missing_ok=True)
            self.marker = None

    def _restore_if_left(self) -> bool:
        assert self.marker is not None and self.termios is not None
        try:
            note = json.loads(self.marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if _alive(int(note["pid"])):
            return False  # another screen is open on this terminal right now
        self.termios.tcsetattr(self.fd, self.termios.TCSADRAIN, _decode(note["attrs"]))
        self.out.write(RESET)
        self.out.flush()
        self.marker.unlink(missing_ok=True)
        return True
