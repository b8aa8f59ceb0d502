"""The home screen: recent review and conversation files, open one by path, or the demo."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from lt_interview import unlock
from lt_interview.errors import LtError
from lt_interview.recent import add_recent, recent_files
from lt_interview.storage.keys import KEYRING, Keyring
from lt_interview.visible import visible
from lt_interview.tui.actions import bindings_for
from lt_interview.tui.modes import mode_spec
from lt_interview.tui.screens.dialogs import PassphraseScreen
from lt_interview.tui.styles import tcss

KIND_BY_SUFFIX = {".ltc": "conversation file", ".ltr": "review file"}


def typed_path(value: str) -> Path | None:
    """A path as typed or pasted: surrounding quotes from a file manager ('/a b/gp.ltc'), a
    file:// address and backslash-escaped spaces are undone; ~ is expanded. None when empty."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
    if value.startswith("file://"):
        value = unquote(urlparse(value).path)
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.exists() and "\\" in value:
        unescaped = Path(re.sub(r"\\(.)", r"\1", value)).expanduser()
        if unescaped.exists():
            return unescaped
    return path


class HomeScreen(Screen):
    ACTION_SCOPES = ("home",)
    BINDINGS = bindings_for("home")
    HELP = ("Recent review (.ltr) and conversation (.ltc) files. Choose one to open it, type a path, "
            "create a new review, or build the fictional demo to explore.")
    CSS_PATH = tcss("home")

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(Text("lt-interview: Learning Together conversations", style="bold"),
                         classes="title", markup=False)
            yield Static(Text("Recent files"), markup=False)
            yield OptionList(id="recent")
            yield Input(placeholder="Path to a .ltc conversation file or .ltr review file, then Enter",
                        id="path", select_on_focus=False)  # a key typed over the list is kept
            yield Static(Text("F3 creates a review (or 'lt-interview review new'); 'lt-interview pack' makes "
                              "each practitioner's conversation file. F2 builds the fictional demo."),
                         markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show_recent()
        if self.paths:
            self.query_one("#recent", OptionList).focus()  # the first highlighted: Enter opens it
        else:
            self.query_one("#path", Input).focus()

    def _show_recent(self) -> None:
        recent = self.query_one("#recent", OptionList)
        recent.clear_options()
        self.paths = [path for path in recent_files()]
        for index, path in enumerate(self.paths):
            # File names are shown, never obeyed: an escape sequence in one is written out (visible.py).
            label = Text(visible(path.name), style="bold")
            label.append(f"  {KIND_BY_SUFFIX.get(path.suffix, 'file')}"
                         + ("" if path.exists() else " (missing)"))
            label.append(f"\n{visible(str(path.parent))}")
            recent.add_option(Option(label, id=str(index)))
        if self.paths:
            recent.highlighted = 0
        else:
            recent.add_option(Option(Text("No recent files yet."), disabled=True))

    @on(OptionList.OptionSelected, "#recent")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.open(self.paths[int(event.option_id)])

    def on_key(self, event: events.Key) -> None:
        """Typing while the recent list has focus goes to the path box, not nowhere."""
        path_box = self.query_one("#path", Input)
        if self.focused is not path_box and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            path_box.focus()
            path_box.insert_text_at_cursor(event.character)

    def on_paste(self, event: events.Paste) -> None:
        path_box = self.query_one("#path", Input)
        if self.focused is not path_box and event.text.strip():
            event.stop()
            path_box.focus()
            path_box.insert_text_at_cursor(" ".join(event.text.split()))

    @on(Input.Submitted, "#path")
    def _typed(self, event: Input.Submitted) -> None:
        self.action_open_path()

    def action_open_path(self) -> None:
        path_box = self.query_one("#path", Input)
        path = typed_path(path_box.value)
        if path is None:
            path_box.focus()
            self.app.notify("Type the path of a .ltc conversation file or .ltr review file in the box, then Enter.",
                            markup=False)
            return
        self.open(path)

    def open(self, path: Path) -> None:
        if path.is_dir():
            self.app.notify(f"{path}: is a folder, not a file", severity="error", markup=False)
            return
        if not path.is_file():
            self.app.notify(f"{path}: no such file", severity="error", markup=False)
            return
        secret = unlock.from_environment()
        if secret:
            self._open_with(path, secret)
            return
        try:  # another file of a review opened here already: its key (a review of its own asks)
            found = unlock.known_key(path, self._keyring())
        except LtError as exc:
            self.app.notify(exc.message, severity="error", markup=False)
            return
        if found is not None:
            self._open_unlocked(path, found)
        else:
            self.app.push_screen(PassphraseScreen(visible(path.name)),
                                 lambda value: self._open_with(path, value) if value else None)

    def _keyring(self) -> Keyring:
        return getattr(self.app, "keyring", None) or KEYRING

    def _open_with(self, path: Path, secret: str) -> None:
        try:
            found = unlock.key_for(path, secret, self._keyring())
        except LtError as exc:
            self.app.notify(exc.message, severity="error", markup=False)
            return
        self._open_unlocked(path, found)

    def _open_unlocked(self, path: Path, found: unlock.FileKey) -> None:
        from lt_interview.storage.store import Store

        try:
            kind = None
            store = Store.open(path, key=found.key, actor_id="")
            kind = store.file_kind
            mode = "converse" if kind == "conversation" else "analyse"
            try:
                mode_spec(mode)
            except LtError:
                store.close()
                self.app.notify(f"{path.name} is a review file: use lt-interview typeup, merge or "
                                "analyse on it.", severity="warning", markup=False)
                return
        except LtError as exc:
            self.app.notify(exc.message, severity="error", markup=False)
            return
        add_recent(path)
        unlock.opened(found, self._keyring())
        self.app.open_mode(mode, store)  # type: ignore[attr-defined]

    def action_new_review(self) -> None:
        from lt_interview.tui.screens.new_review import NewReviewScreen

        def created(result) -> None:
            if not result:
                return
            path, secret = result
            add_recent(path)
            self._show_recent()
            self.app.notify(f"Review created: {path}. Add practitioners with 'lt-interview review person' and "
                            "make each conversation file with 'lt-interview pack'.", timeout=15, markup=False)
            self._open_with(path, secret)

        self.app.push_screen(NewReviewScreen(), created)

    def action_demo(self) -> None:
        from lt_interview.operations import demo_data
        from lt_interview.operations.demo import build_demo

        try:
            review_path, conversations = build_demo(None)
        except LtError as exc:
            self.app.notify(exc.message, severity="error", markup=False)
            return
        for path in [review_path, *conversations]:
            add_recent(path)
        self._show_recent()
        self.app.notify(f"Demo built in {review_path.parent}. Passphrase: {demo_data.DEMO_PASSPHRASE}",
                        timeout=10, markup=False)
        self._open_with(conversations[0], demo_data.DEMO_PASSPHRASE)
