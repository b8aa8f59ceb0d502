"""The home screen: recent review and conversation files, open one by path, or the demo."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from lt_interview.errors import LtError
from lt_interview.recent import add_recent, recent_files
from lt_interview.tui.actions import bindings_for
from lt_interview.tui.screens.dialogs import PassphraseScreen

KIND_BY_SUFFIX = {".ltc": "conversation file", ".ltr": "review file"}


class HomeScreen(Screen):
    ACTION_SCOPES = ("home",)
    BINDINGS = bindings_for("home")
    HELP = ("Recent review (.ltr) and conversation (.ltc) files. Choose one to open it, type a path, "
            "create a new review, or build the fictional demo to explore.")

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(Text("lt-interview: Learning Together conversations", style="bold"),
                         classes="title", markup=False)
            yield Static(Text("Recent files"), markup=False)
            yield OptionList(id="recent")
            yield Input(placeholder="Path to a .ltc conversation file or .ltr review file, then Enter",
                        id="path")
            yield Static(Text("F3 creates a review (or 'lt-interview review new'); 'lt-interview pack' makes "
                              "each practitioner's conversation file. F2 builds the fictional demo."),
                         markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show_recent()

    def _show_recent(self) -> None:
        recent = self.query_one("#recent", OptionList)
        recent.clear_options()
        self.paths = [path for path in recent_files()]
        for index, path in enumerate(self.paths):
            label = Text(path.name, style="bold")
            label.append(f"  {KIND_BY_SUFFIX.get(path.suffix, 'file')}"
                         + ("" if path.exists() else " (missing)"))
            label.append(f"\n{path.parent}")
            recent.add_option(Option(label, id=str(index)))
        if not self.paths:
            recent.add_option(Option(Text("No recent files yet."), disabled=True))
        recent.focus()

    @on(OptionList.OptionSelected, "#recent")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.open(self.paths[int(event.option_id)])

    @on(Input.Submitted, "#path")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.open(Path(event.value.strip()).expanduser())

    def action_open_path(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        if value:
            self.open(Path(value).expanduser())
        else:
            self.query_one("#path", Input).focus()

    def open(self, path: Path) -> None:
        if not path.is_file():
            self.app.notify(f"{path}: no such file", severity="error", markup=False)
            return
        secret = os.environ.get("LT_INTERVIEW_PASSPHRASE") or getattr(self.app, "passphrase", None)
        if secret:
            self._open_with(path, secret)
        else:
            self.app.push_screen(PassphraseScreen(path.name),
                                 lambda value: self._open_with(path, value) if value else None)

    def _open_with(self, path: Path, secret: str) -> None:
        from lt_interview.storage.store import Store
        from lt_interview.tui.app import mode_spec

        try:
            kind = None
            store = Store.open(path, secret, actor_id="")
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
        self.app.passphrase = secret  # type: ignore[attr-defined]
        self.app.open_mode(mode, store)  # type: ignore[attr-defined]

    def action_new_review(self) -> None:
        from lt_interview.tui.screens.new_review import NewReviewScreen

        def created(result) -> None:
            if not result:
                return
            path, _ = result
            add_recent(path)
            self._show_recent()
            self.app.notify(f"Review created: {path}. Add practitioners with 'lt-interview review person' and "
                            "make each conversation file with 'lt-interview pack'.", timeout=15, markup=False)

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
