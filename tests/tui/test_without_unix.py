"""The app with the Unix-only pieces absent, as on Windows: no SIGHUP (and the other job-control
signals), an event loop without add_signal_handler (Windows' ProactorEventLoop), no fcntl,
termios, tty or pty modules; and, where it changes a path, platform.py pretending to be Windows
(with stand-ins for pywin32's modules, which record what would be asked of Windows).

Each screen (converse, type-up, analyse, home) opens with its stop handlers installed, takes
typing, and saves; the CLI verbs run. On the old code, `converse` stopped at start-up with
AttributeError: module 'signal' has no attribute 'SIGHUP'."""

from __future__ import annotations

import asyncio
import shutil
import signal
import sys
import threading
import types
from pathlib import Path

import pytest

from lt_interview import platform as host
from lt_interview.tui.app import make_app

from tui_helpers import SECRET, open_conversation_screen, open_file, type_text

UNIX_ONLY_SIGNALS = ("SIGHUP", "SIGTSTP", "SIGCONT", "SIGWINCH", "SIGTTIN", "SIGTTOU", "SIGQUIT", "SIGUSR1")
UNIX_ONLY_MODULES = ("fcntl", "termios", "tty", "pty", "pwd", "grp")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    from lt_interview.demo.build import build_demo

    folder = tmp_path_factory.mktemp("demo") / "built"
    build_demo(folder)
    return folder


@pytest.fixture
def demo(demo_folder, tmp_path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(demo_folder, copy)
    return copy


@pytest.fixture
def no_unix(monkeypatch):
    # Textual chooses its own driver per platform when an app is made (Windows has its own);
    # it is imported before the Unix-only modules go, so that only lt-interview's use is tested.
    import textual.drivers.linux_driver  # noqa: F401

    for name in UNIX_ONLY_SIGNALS:
        monkeypatch.delattr(signal, name, raising=False)
    for name in UNIX_ONLY_MODULES:
        monkeypatch.setitem(sys.modules, name, None)  # `import fcntl` raises ImportError


def no_add_signal_handler(monkeypatch) -> None:
    """The running loop behaves like Windows' ProactorEventLoop."""
    def refuse(self, *args, **kwargs):
        raise NotImplementedError

    monkeypatch.setattr(type(asyncio.get_running_loop()), "add_signal_handler", refuse)


class FakeWindows:
    """Stand-ins for win32api, win32con, win32security and ntsecuritycon."""

    def __init__(self) -> None:
        self.console_handlers: list = []
        self.acls: list[tuple[str, int, int]] = []  # (path, inherit flags, protected?)
        api = types.ModuleType("win32api")
        api.GetCurrentProcess = lambda: "process"
        api.SetConsoleCtrlHandler = self._set_console_handler
        con = types.ModuleType("win32con")
        con.TOKEN_QUERY = 8
        nt = types.ModuleType("ntsecuritycon")
        nt.FILE_ALL_ACCESS = 0x1F01FF
        security = types.ModuleType("win32security")
        security.OBJECT_INHERIT_ACE, security.CONTAINER_INHERIT_ACE = 1, 2
        security.ACL_REVISION, security.SE_FILE_OBJECT, security.TokenUser = 2, 1, 1
        security.DACL_SECURITY_INFORMATION, security.PROTECTED_DACL_SECURITY_INFORMATION = 4, 0x80000000
        security.OpenProcessToken = lambda process, access: "token"
        security.GetTokenInformation = lambda token, kind: ("S-1-5-21-owner", 0)
        fake = self

        class ACL:
            def __init__(self) -> None:
                self.entries: list = []

            def AddAccessAllowedAceEx(self, revision, flags, access, sid):  # noqa: N802 - pywin32's name
                self.entries.append((flags, access, sid))

        def set_named_security_info(path, kind, info, owner, group, dacl, sacl):
            assert [sid for _, _, sid in dacl.entries] == ["S-1-5-21-owner"], "only the owner on the list"
            fake.acls.append((path, dacl.entries[0][0], bool(info & security.PROTECTED_DACL_SECURITY_INFORMATION)))

        security.ACL = ACL
        security.SetNamedSecurityInfo = set_named_security_info
        self.modules = {"win32api": api, "win32con": con, "win32security": security, "ntsecuritycon": nt}

    def _set_console_handler(self, handler, add: bool) -> None:
        if add:
            self.console_handlers.append(handler)
        else:
            self.console_handlers.remove(handler)


@pytest.fixture
def windows(monkeypatch, no_unix) -> FakeWindows:
    fake = FakeWindows()
    for name, module in fake.modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(host, "is_windows", lambda: True)

    def no_chmod(*args, **kwargs):
        raise AssertionError("os.chmod called as if on Unix")

    monkeypatch.setattr(host.os, "chmod", no_chmod)
    return fake


# --- the screens ---------------------------------------------------------------------------

async def test_converse_opens_saves_and_quits_without_unix_signals(demo, no_unix, monkeypatch):
    no_add_signal_handler(monkeypatch)
    path = demo / "gp.ltc"
    app = make_app(mode="converse", path=path, passphrase=SECRET, handle_signals=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_conversation_screen(app, pilot)
        screen.query_one("#notes").focus()
        await type_text(pilot, "Seen at the surgery on a Tuesday")
        await pilot.press("ctrl+q")
    with open_file(path) as store:
        assert any("Seen at the surgery on a Tuesday" in text for text in _texts(store))


async def test_windows_console_close_saves_before_the_process_ends(demo, windows, monkeypatch):
    """Closing the Windows Terminal tab: the handler (a thread of its own, as Windows calls it)
    has the loop save; the process then ends with the status of a lost terminal."""
    no_add_signal_handler(monkeypatch)
    ended: list[int] = []
    monkeypatch.setattr("lt_interview.tui.app.os._exit", ended.append)
    path = demo / "gp.ltc"
    app = make_app(mode="converse", path=path, passphrase=SECRET, handle_signals=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_conversation_screen(app, pilot)
        assert len(windows.console_handlers) == 1
        screen.query_one("#notes").focus()
        await type_text(pilot, "Closed the tab straight after this")
        handler = windows.console_handlers[0]
        assert handler(0) is False  # Ctrl+C is a key for the screen, not a stop
        answers: list[bool] = []
        closing = threading.Thread(target=lambda: answers.append(handler(host.CTRL_CLOSE_EVENT)))
        closing.start()
        while closing.is_alive():
            await asyncio.sleep(0.01)
        assert answers == [True] and ended == [128 + host.CONSOLE_GONE]
        with open_file(path) as store:  # saved, and the file let go of
            assert any("Closed the tab straight after this" in text for text in _texts(store))
        app.exit()
    assert windows.console_handlers == []  # removed as the app ended


async def test_typeup_opens_and_saves_without_unix_signals(demo, no_unix, monkeypatch):
    from lt_interview.typeup import service

    no_add_signal_handler(monkeypatch)
    path = demo / "emergency-department-nurse.ltc"  # sent for checking; the demo's agreed accounts ask first
    app = make_app(mode="typeup", path=path, passphrase=SECRET, handle_signals=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("#part-editor")
        editor.focus()
        editor.move_cursor(editor.document.end)
        await type_text(pilot, " Typed up on a Windows laptop")
        await pilot.press("ctrl+q")
    with open_file(path) as store:
        assert service.load(store).account.overview.endswith(" Typed up on a Windows laptop")


async def test_analyse_and_home_open_without_unix_signals(demo, windows, monkeypatch):
    no_add_signal_handler(monkeypatch)
    app = make_app(mode="analyse", path=demo / "demo-review.ltr", passphrase=SECRET, handle_signals=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "AnalysisScreen"
        assert len(windows.console_handlers) == 1
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None) and windows.console_handlers == []
    home = make_app(mode="home", handle_signals=True)
    async with home.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(home.screen).__name__ == "HomeScreen"
        await pilot.press("ctrl+q")


def _texts(store) -> list[str]:
    from lt_interview.domain.models import Note

    return [note.text for _, note in store.records(Note)]


# --- files, folders and the command line -------------------------------------------------

def test_files_and_folders_get_an_owner_only_acl_on_windows(windows, tmp_path, capsys):
    """Never chmod (meaningless on Windows): the owner alone on each file's access list, not
    inherited; a folder's entry inherited by what is made in it."""
    from lt_interview.cli import main

    assert main(["demo", "--no-open", "--dir", str(tmp_path / "demo")]) == 0
    capsys.readouterr()
    by_path = {Path(path).name: (inherit, protected) for path, inherit, protected in windows.acls}
    assert by_path["demo"] == (3, True)  # the folder: inherited by files and folders
    assert by_path["demo-review.ltr"] == (0, True)
    assert by_path["gp.ltc"] == (0, True)
    assert all(protected for _, _, protected in windows.acls)
    out = tmp_path / "pack"
    assert main(["export", str(tmp_path / "demo" / "demo-review.ltr"), "-o", str(out), "--format", "md"]) == 0
    # The pack is written into an unfinished folder beside it, renamed to `pack` once complete
    # (export/staged.py): that folder, and each file in it, got the owner-only list.
    (folder,) = {Path(p) for p, _, _ in windows.acls if Path(p).name.startswith("pack.lt-export-unfinished")}
    assert folder.parent == out.parent and out.is_dir() and not folder.exists()
    assert any(Path(p).parent == folder for p, _, _ in windows.acls)
    assert main(["check", str(tmp_path / "demo" / "gp.ltc")]) == 0


def test_no_terminal_is_said_in_one_line_for_every_screen(demo, capsys):
    """Under pytest stdin is not a terminal: a screen verb refuses at once instead of waiting
    for keys that never come."""
    from lt_interview.cli import main

    assert main(["converse", str(demo / "gp.ltc")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lt-interview: cannot open the screen: no terminal") and err.count("\n") == 1
    with open_file(demo / "gp.ltc"):
        pass  # the file was let go of


def test_screen_unavailable_reasons(monkeypatch):
    class Tty:
        def __init__(self, yes: bool) -> None:
            self.yes = yes

        def isatty(self) -> bool:
            return self.yes

    monkeypatch.setattr(sys, "__stdin__", Tty(True))
    monkeypatch.setattr(sys, "__stderr__", Tty(True))
    monkeypatch.setattr(sys, "__stdout__", Tty(False))
    monkeypatch.setenv("TERM", "xterm-256color")
    assert host.screen_unavailable() is None  # Unix: Textual draws on stderr
    monkeypatch.setenv("TERM", "dumb")
    assert "TERM is 'dumb'" in host.screen_unavailable()
    monkeypatch.setattr(host, "is_windows", lambda: True)
    monkeypatch.delenv("TERM")
    assert host.screen_unavailable() is not None  # Windows: Textual draws on stdout
    monkeypatch.setattr(sys, "__stdout__", Tty(True))
    assert host.screen_unavailable() is None  # no TERM on Windows, and none needed


def test_the_console_check_on_windows_opens_conin(monkeypatch):
    opened: list[str] = []

    def fake_open(name, mode="r", *args, **kwargs):
        opened.append(name)
        raise OSError("no console")

    monkeypatch.setattr(host, "is_windows", lambda: True)
    monkeypatch.setattr("builtins.open", fake_open)
    assert host.has_console() is False and opened == ["CONIN$"]


def test_windows_folders_are_named_once(monkeypatch, tmp_path):
    """platformdirs names a Windows folder after the app's author too (lt-interview\\lt-interview)
    unless told there is none."""
    import platformdirs
    import platformdirs.windows

    from lt_interview import paths

    local = tmp_path / "AppData" / "Local"
    monkeypatch.delenv("LT_INTERVIEW_HOME")
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda name: str(local))
    assert paths.config_dir() == local / "lt-interview"
    assert paths.data_dir() == local / "lt-interview"
    assert paths.log_dir() == local / "lt-interview" / "Logs"


async def test_without_add_signal_handler_sigterm_still_saves(demo, no_unix, monkeypatch):
    """Where the loop has no add_signal_handler, a plain signal handler asks the loop to save."""
    import os

    no_add_signal_handler(monkeypatch)
    ended: list[int] = []
    monkeypatch.setattr("lt_interview.tui.app.os._exit", ended.append)
    before = signal.getsignal(signal.SIGTERM)
    path = demo / "gp.ltc"
    app = make_app(mode="converse", path=path, passphrase=SECRET, handle_signals=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_conversation_screen(app, pilot)
        assert signal.getsignal(signal.SIGTERM) is not before
        screen.query_one("#notes").focus()
        await type_text(pilot, "Asked to stop mid-sentence")
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):
            if ended:
                break
            await asyncio.sleep(0.01)
        assert ended == [128 + signal.SIGTERM]
        with open_file(path) as store:
            assert any("Asked to stop mid-sentence" in text for text in _texts(store))
        app.exit()
    assert signal.getsignal(signal.SIGTERM) is before  # put back as the app ended
