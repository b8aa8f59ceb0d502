"""What differs between Windows, macOS and Linux, in one place, so that screens and storage never
branch on the platform themselves.

- Stop handlers: on Unix, SIGHUP (terminal closed, SSH dropped) and SIGTERM; on Windows, Ctrl+Break
  (SIGBREAK) and the console being closed, logged off or shut down (SetConsoleCtrlHandler through
  pywin32). Either way the app's callback runs in the event loop's thread and saves before the
  process ends. A signal this Python does not have is skipped, never an error.
- Private files: 0600 files in 0700 folders on Unix; on Windows an access list that only the owner
  is on (inherited by what is later made inside a private folder).
- The terminal: whether a passphrase can be asked for, and whether a screen can be shown.

Reads os.name at each call (not at import) so that tests can pretend to be on Windows.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import asyncio

# Windows console control events (wincon.h). Ctrl+C stays a key for the screen.
CTRL_BREAK_EVENT = 1
CTRL_CLOSE_EVENT = 2
CTRL_LOGOFF_EVENT = 5
CTRL_SHUTDOWN_EVENT = 6
# The exit status after a console event: as after SIGHUP on Unix (128 + 1), "the terminal went away".
CONSOLE_GONE = 1
# Windows ends the process about 5 s after a close event; the save takes milliseconds.
CONSOLE_SAVE_WAIT_S = 4.0


def is_windows() -> bool:
    return os.name == "nt"


# --- stop handlers -----------------------------------------------------------------------

def install_stop_handlers(loop: asyncio.AbstractEventLoop, on_stop: Callable[[int], None]) -> Callable[[], None]:
    """Call `on_stop(signum)` in the loop's thread when the terminal goes away or the process is
    asked to stop. Returns the function that removes the handlers again."""
    removers: list[Callable[[], None]] = []
    names = ("SIGBREAK", "SIGTERM") if is_windows() else ("SIGHUP", "SIGTERM")
    for name in names:
        signum = getattr(signal, name, None)
        if signum is not None:
            remover = _on_signal(loop, signum, on_stop)
            if remover is not None:
                removers.append(remover)
    if is_windows():
        remover = _on_console_close(loop, on_stop)
        if remover is not None:
            removers.append(remover)

    def remove() -> None:
        for each in reversed(removers):
            try:
                each()
            except Exception:  # noqa: BLE001 - the loop or the console may already be gone
                pass
        removers.clear()

    return remove


def _on_signal(loop: asyncio.AbstractEventLoop, signum: int, on_stop: Callable[[int], None]):
    try:
        loop.add_signal_handler(signum, on_stop, signum)
        return lambda: loop.remove_signal_handler(signum)
    except (NotImplementedError, RuntimeError, ValueError):
        pass  # Windows' ProactorEventLoop has no add_signal_handler: a plain handler instead
    if threading.current_thread() is not threading.main_thread():
        return None  # signal.signal works only there; the Pilot tests run elsewhere at times
    try:
        previous = signal.signal(signum, lambda number, frame: loop.call_soon_threadsafe(on_stop, number))
    except (OSError, ValueError, RuntimeError):
        return None
    return lambda: signal.signal(signum, previous)


def _on_console_close(loop: asyncio.AbstractEventLoop, on_stop: Callable[[int], None]):
    """Windows Terminal and conhost send CTRL_CLOSE_EVENT when the tab or window is closed; no
    signal reaches Python for it. The handler runs in a thread of its own: it asks the loop to
    save (on_stop ends the process) and waits, since returning lets Windows end the process."""
    try:
        import win32api  # pywin32, a dependency on Windows only
    except ImportError:
        return None

    def handler(event: int) -> bool:
        if event == CTRL_BREAK_EVENT:
            code = int(getattr(signal, "SIGBREAK", 21))
        elif event in (CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT):
            code = CONSOLE_GONE
        else:
            return False  # Ctrl+C: the screen reads it as a key
        done = threading.Event()

        def stop() -> None:
            try:
                on_stop(code)
            finally:
                done.set()

        try:
            loop.call_soon_threadsafe(stop)
        except RuntimeError:  # the loop has closed: nothing is left to save
            return False
        done.wait(CONSOLE_SAVE_WAIT_S)
        return True

    try:
        win32api.SetConsoleCtrlHandler(handler, True)
    except Exception:  # noqa: BLE001 - no console (a service, a pipe): nothing to watch
        return None
    return lambda: win32api.SetConsoleCtrlHandler(handler, False)


# --- private files -----------------------------------------------------------------------

def make_private(path: Path, *, folder: bool = False) -> None:
    """Only the owner may read or change `path`: 0600 (0700 for a folder) on Unix; on Windows an
    access list holding the owner alone, not inheriting the parent folder's (a folder's entry
    is inherited by the files and folders made in it later, WAL files included)."""
    if is_windows():
        _owner_only_acl(Path(path), folder=folder)
    else:
        os.chmod(path, 0o700 if folder else 0o600)


def _owner_only_acl(path: Path, *, folder: bool) -> None:
    try:
        import ntsecuritycon
        import win32api
        import win32con
        import win32security
    except ImportError:
        return  # documented: files in the user's own profile folder are private to the user
    token = win32security.OpenProcessToken(win32api.GetCurrentProcess(), win32con.TOKEN_QUERY)
    owner = win32security.GetTokenInformation(token, win32security.TokenUser)[0]
    acl = win32security.ACL()
    inherit = (win32security.OBJECT_INHERIT_ACE | win32security.CONTAINER_INHERIT_ACE) if folder else 0
    acl.AddAccessAllowedAceEx(win32security.ACL_REVISION, inherit, ntsecuritycon.FILE_ALL_ACCESS, owner)
    win32security.SetNamedSecurityInfo(
        str(path), win32security.SE_FILE_OBJECT,
        win32security.DACL_SECURITY_INFORMATION | win32security.PROTECTED_DACL_SECURITY_INFORMATION,
        None, None, acl, None)


# --- the terminal ------------------------------------------------------------------------

def has_console() -> bool:
    """Whether a passphrase can be typed: the controlling terminal (/dev/tty) on Unix, the
    console (CONIN$) on Windows, whatever stdin and stdout are redirected to."""
    if is_windows():
        try:
            with open("CONIN$", "rb"):
                return True
        except OSError:
            return False
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | getattr(os, "O_NOCTTY", 0)))
    except OSError:
        return False
    return True


def screen_unavailable() -> str | None:
    """Why a screen cannot be shown here, or None. Textual reads keys from stdin and draws on
    stderr (Unix) or stdout (Windows); both must be a terminal, or it waits for keys forever."""
    drawn_on = sys.__stdout__ if is_windows() else sys.__stderr__
    for stream in (sys.__stdin__, drawn_on):
        try:
            if stream is None or not stream.isatty():
                return "no terminal: input or output is redirected"
        except (OSError, ValueError):
            return "no terminal: input or output is closed"
    if not is_windows() and os.environ.get("TERM", "") == "dumb":
        return "this terminal cannot show screens: TERM is 'dumb'"
    return None
