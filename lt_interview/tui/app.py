"""The Textual app and the one factory that builds it, for the CLI and the tests alike.

Modes route to screens through the static table in tui/modes.py.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand

from lt_interview import unlock
from lt_interview.config import Config, load_config
from lt_interview.domain.ids import Clock, system_clock
from lt_interview.domain.models import Role
from lt_interview.storage.keys import KEYRING, Keyring
from lt_interview.storage.store import Store
from lt_interview.tui.actions import BY_ID, ActionProvider, bindings_for
from lt_interview.tui.idle_gc import IdleCollector
from lt_interview.tui.modes import mode_spec
from lt_interview.tui.paste import install as install_literal_paste
from lt_interview.visible import visible

if TYPE_CHECKING:
    from lt_interview.conversation.session import ConversationSession


QUIT_AGAIN_S = 10.0  # Ctrl+Q again within this quits even when something held the first back


class LTInterviewApp(App):
    TITLE = "lt-interview"
    # No CSS_PATH: each screen brings its own sheet from tui/styles/ (its README.md).
    # Only the registry's actions: Textual's own palette commands include a screenshot, which
    # would write the notes to ~/Downloads unencrypted, and a second Quit that skips our save.
    COMMANDS = {ActionProvider}
    BINDINGS = bindings_for("app")

    def __init__(self, *, mode: str, store: Store | None, role: Role, config: Config, clock: Clock,
                 keyring: Keyring | None = None, handle_signals: bool = False,
                 session: "ConversationSession | None" = None) -> None:
        super().__init__()
        install_literal_paste()  # pasted text arrives as text, never as keys (tui/paste.py)
        self.first_session = session  # for the first conversation screen (not read again)
        self.mode_name = mode
        self.store = store
        self.role = Role(role)
        self.config = config
        self.clock = clock
        # The keys that opened this window's files, never a passphrase (storage/keys.py).
        self.keyring = keyring if keyring is not None else KEYRING
        self.handle_signals = handle_signals
        self.crash_id: str | None = None
        self.refusal: str | None = None  # one line for stderr once the screen is gone
        self._quit_asked_at: float | None = None
        self._remove_stop_handlers: Callable[[], None] | None = None
        self.idle_gc = IdleCollector()

    # --- start and stop ------------------------------------------------------------------

    def run(self, *args, **kwargs):
        """Show the screen in this terminal. Refused in one line where there is no terminal to
        show it in (Textual would wait for keys that never come). A terminal left as an earlier
        screen had it, when that one was killed, is put back first (terminal_restore.py).
        Headless (the snapshot tests) there is no terminal to check."""
        from lt_interview.errors import BadInput
        from lt_interview.platform import screen_unavailable
        from lt_interview.tui.terminal_restore import TerminalGuard

        if kwargs.get("headless"):
            return self._run_then_say_refusal(*args, **kwargs)
        problem = screen_unavailable()
        if problem is not None:
            self._close_store()
            raise BadInput(f"cannot open the screen: {problem}; run lt-interview in a terminal window")
        guard = TerminalGuard()
        guard.begin()
        try:
            return self._run_then_say_refusal(*args, **kwargs)
        finally:
            guard.end()

    def _run_then_say_refusal(self, *args, **kwargs):
        result = super().run(*args, **kwargs)
        if self.refusal:  # one line, after the screen is gone (never wrapped at the terminal's width)
            import sys

            sys.stderr.write(f"lt-interview: {self.refusal}\n")
        return result

    def on_mount(self) -> None:
        # Checked in make_app (check_keymap): every id names an action in the static registry,
        # so a screen opened later (analysis, from home) finds its keys already remapped.
        keymap = {action_id: keys for action_id, keys in self.config.keymap.items() if action_id in BY_ID}
        if keymap:
            self.set_keymap(keymap)
            for action_id, keys in keymap.items():  # palette-only actions have no binding to remap
                spec = BY_ID[action_id]
                if not spec.default_keys and spec.scope == "app":
                    self.bind(keys, spec.action, description=spec.title, show=False)
        self._apply_configured_theme()
        if self.handle_signals:
            self._install_signal_handlers()
        self.idle_gc.start(self)
        self.push_screen(mode_spec(self.mode_name).factory(self))

    def _apply_configured_theme(self) -> None:
        """The theme named in config.toml, or the default and one line saying why. A theme chosen
        from the palette (Change theme) lasts for the session; config.toml keeps one."""
        from lt_interview.domain.text import clean_line

        name = self.config.theme
        if name in self.available_themes:
            self.theme = name
        else:
            self.notify(f"config.toml: theme '{clean_line(name)}' is not a theme lt-interview knows; using "
                        f"{self.theme} (Ctrl+P, Change theme, lists them)", severity="warning", timeout=15,
                        markup=False)
        self.theme_changed_signal.subscribe(self, self._theme_chosen)

    def _theme_chosen(self, theme) -> None:
        from lt_interview.paths import config_path

        if theme.name == self.config.theme:
            return  # config.toml's own theme (applied at start, or chosen again): already kept
        self.notify(f"Theme {theme.name} for this session. To keep it, put theme = \"{theme.name}\" in "
                    f"{config_path()}", timeout=10, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_gc.input_seen()  # full garbage collections wait for a pause (idle_gc.py)
        await super().on_event(event)

    def open_mode(self, mode: str, store: Store | None) -> None:
        """Switch to another mode's screen (from the home screen), closing any earlier file."""
        self.flush_all(seal=True)
        if self.store is not None and self.store is not store:
            self.store.close()
        self.store = store
        self.mode_name = mode
        self.push_screen(mode_spec(mode).factory(self))

    def flush_all(self, *, seal: bool = False) -> bool:
        ok = True
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_now", None)
            if flush is not None:
                ok = flush(seal=seal) and ok
        return ok

    def notify(self, message: str, *args, **kwargs) -> None:  # type: ignore[override]
        """Every notification's text is shown, never obeyed: messages name files, and a file name
        can hold an escape sequence (visible.py). Notes text is already clean, so unchanged."""
        super().notify(visible(message) if isinstance(message, str) else message, *args, **kwargs)

    def on_app_blur(self) -> None:
        """The terminal lost focus (the user switched window): save at once."""
        self.flush_all()

    def action_save(self) -> None:
        if self.flush_all(seal=True):
            self.notify("Saved.", timeout=2, markup=False)

    async def action_quit(self) -> None:
        """Save everything and close. Quitting is always possible: when something stops it (a box
        holding text not kept, notes that cannot be saved), the reason is shown and Ctrl+Q
        pressed again within QUIT_AGAIN_S quits anyway, saying plainly what was not saved."""
        now = time.monotonic()
        again = self._quit_asked_at is not None and now - self._quit_asked_at <= QUIT_AGAIN_S
        self._quit_asked_at = now
        holds_unkept_text = getattr(self.screen, "holds_unkept_text", None)
        if not again and holds_unkept_text is not None and holds_unkept_text():
            self.notify("Not quitting yet: this box holds text not kept. Ctrl+S keeps it and Esc "
                        "discards it; or press Ctrl+Q again to quit without it.", severity="warning",
                        markup=False)
            return
        try:
            saved = self.flush_all(seal=True)
        except Exception:  # noqa: BLE001 - reported below like any other failed save
            saved = False
        if not saved and not again:
            self.notify("NOT SAVED: your latest notes could not be saved (retrying). Wait for the "
                        "indicator to say Saved, or press Ctrl+Q again to quit without the text "
                        "typed since the last save.", severity="error", timeout=QUIT_AGAIN_S, markup=False)
            return
        if not saved:
            self.refusal = ("closed without saving the latest notes (they could not be saved); "
                            "what was saved before is in the file")
        try:
            self._close_store()
        except Exception:  # noqa: BLE001 - quitting must never be refused
            pass
        self.exit(return_code=0 if saved else 1)

    def action_help(self) -> None:
        from lt_interview.tui.screens.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        focused = self.screen.focused
        # Every Textual widget has HELP (None by default): only our own areas' text counts.
        area_widget = focused if getattr(focused, "HELP", None) else self.screen
        area = type(area_widget).__name__
        scopes = ("app",) + tuple(getattr(self.screen, "ACTION_SCOPES", ()))
        widget_scope = getattr(area_widget, "ACTION_SCOPE", None)
        if widget_scope and widget_scope not in scopes:
            scopes += (widget_scope,)
        keys = {binding_id: keys for binding_id, keys in self.config.keymap.items()}
        self.push_screen(HelpScreen(help_title(area), getattr(area_widget, "HELP", None) or "", scopes, keys))

    def get_system_commands(self, screen) -> Iterable[SystemCommand]:
        return ()  # see COMMANDS

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.deliver_screenshot(filename, path)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Refused: a screenshot is the notes and the case framework in an unencrypted file."""
        self.notify("Screenshots are switched off: they would save the notes unencrypted.",
                    severity="warning", markup=False)
        return None

    def on_unmount(self) -> None:
        try:
            self.flush_all(seal=True)
        except Exception:  # noqa: BLE001 - closing must not raise; drafts stay for recovery
            pass
        self._remove_signal_handlers()
        self._close_store()
        self.idle_gc.stop()

    def _close_store(self) -> None:
        if self.store is not None:
            self.store.close()

    # --- signals (RELIABILITY.md §4.2 step 3) --------------------------------------------

    def _install_signal_handlers(self) -> None:
        """SIGHUP and SIGTERM on Unix, console close and Ctrl+Break on Windows (platform.py)."""
        from lt_interview.platform import install_stop_handlers

        self._remove_stop_handlers = install_stop_handlers(asyncio.get_running_loop(), self._on_signal)

    def _remove_signal_handlers(self) -> None:
        remove, self._remove_stop_handlers = self._remove_stop_handlers, None
        if remove is not None:
            remove()

    def _on_signal(self, signum: int) -> None:
        """Terminal closed or asked to stop: save synchronously, close, leave. No terminal I/O."""
        try:
            self.flush_all(seal=True)
        except Exception:  # noqa: BLE001 - the draft already on disk is recovered next time
            pass
        self._close_store()
        os._exit(128 + signum)


    # --- crashes (RELIABILITY.md §5.3) ---------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Save drafts, log a report without locals or user text, show one line with an id."""
        from lt_interview.crash import write_crash_report
        from lt_interview.errors import LtError

        if isinstance(error, LtError):  # an expected refusal (a record that does not validate): one line
            try:
                self.flush_all(seal=False)
            except Exception:  # noqa: BLE001 - the latest draft on disk is recovered next time
                pass
            self._return_code = error.exit_code
            self.refusal = error.message  # written by run() once the terminal is restored
            self.exit(return_code=error.exit_code)
            return

        try:
            self.flush_all(seal=False)
        except Exception:  # noqa: BLE001 - the latest draft on disk is recovered next time
            pass
        self.crash_id = write_crash_report(error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        if self.store is None:  # the home screen, no file open
            after = "No file was open; start lt-interview again to carry on."
        else:
            after = "Your work up to the last moment was saved; reopen the file to carry on."
        self.panic(Text(f"lt-interview stopped unexpectedly (error id {self.crash_id}). {after}"))


HELP_TITLES = {
    "EpisodeWhenPrompt": "When the episode happened", "ReplacePrompt": "Find and replace",
    "NotesEditor": "Notes", "StageRail": "Stages", "CaptureList": "Captured items",
    "OtherNotes": "The other reviewer's notes", "PromptsBox": "Prompts",
    "ConversationScreen": "Conversation", "HomeScreen": "Home", "TypeUpScreen": "Type-up",
    "AccountEditor": "The practitioner's account", "AnalysisScreen": "Analysis",
    "ConflictsScreen": "Conflicts after a merge", "FrameworkScreen": "Case framework",
    "NewReviewScreen": "New review", "RecoveryScreen": "Recovered text", "FactorPicker": "Contributory factor",
    "ChecklistScreen": "Still to cover", "RemindersScreen": "Reminders", "DifferencesScreen": "Differences",
    "DatePrompt": "Date", "ConfirmEditScreen": "Editing an agreed account", "TextPrompt": "Editing text",
    "DivergencePrompt": "Noted divergence", "CombinePrompt": "Combining versions",
}


def help_title(class_name: str) -> str:
    """The help window's title for an area: its name for a reviewer, never a class name
    ("TypeUpScreen"); an area not named here gets its class name in words ("Version picker")."""
    if class_name in HELP_TITLES:
        return HELP_TITLES[class_name]
    words = re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", re.sub(r"(Screen|Widget)$", "", class_name)) or ["Help"]
    return " ".join([words[0].capitalize(), *(word.lower() for word in words[1:])])


def open_store(path: Path, found: unlock.FileKey, expect_kind: str | None, actor: str = "") -> Store:
    return Store.open(Path(path), key=found.key, expect_kind=expect_kind, actor_id=actor)


def make_app(*, mode: str, path: Path | None = None, passphrase: str | None = None,
             role: Role | str = Role.NOTES, config: Config | None = None, clock: Clock = system_clock,
             store: Store | None = None, handle_signals: bool = False,
             session: "ConversationSession | None" = None, keyring: Keyring | None = None) -> LTInterviewApp:
    """Build the app. With `path`, the file is opened here (errors are LtError, before any screen).
    `passphrase` only unlocks the file: the app keeps the key in its keyring, not the passphrase.
    `session`: the conversation session already made on `store` with this role and clock (the
    converse command makes one to check --reviewer), for the conversation screen to use."""
    config = config or Config()
    if config.keymap:
        from lt_interview.tui.keymap import check_keymap

        check_keymap(config.keymap)
    spec = mode_spec(mode)
    keyring = keyring if keyring is not None else KEYRING
    if store is None and path is not None:
        if passphrase is None:
            passphrase = unlock.passphrase_from_env_or_prompt()
        found = unlock.key_for(path, passphrase, keyring)
        store = open_store(path, found, spec.expect_kind)
        unlock.opened(found, keyring)
    elif store is not None and passphrase is not None:  # opened by the command: its key (derived already)
        unlock.opened(unlock.FileKey(store.salt, keyring.key(passphrase, store.salt)), keyring)
    if store is not None:
        store.clock = clock
    return LTInterviewApp(mode=mode, store=store, role=Role(role), config=config, clock=clock,
                          keyring=keyring, handle_signals=handle_signals, session=session)


def _run(app: LTInterviewApp) -> int:
    app.run()
    return app.return_code or 0


def run_home_screen() -> int:
    return _run(make_app(mode="home", config=load_config(), handle_signals=True))


def run_demo(review_path: Path, conversation_paths: list[Path], passphrase: str) -> int:
    """Open the demo's health-visitor conversation (its notes are already begun)."""
    from lt_interview.recent import add_recent

    for path in [review_path, *conversation_paths]:
        add_recent(path)
    if not conversation_paths:
        return run_home_screen()
    app = make_app(mode="converse", path=conversation_paths[0], passphrase=passphrase,
                   config=load_config(), handle_signals=True)
    return _run(app)
