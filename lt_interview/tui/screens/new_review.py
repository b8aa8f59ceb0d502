"""Create a review from the home screen, as `lt-interview review new` does: where the file goes,
the review's name, an optional framework file, and the passphrase twice. A refusal is one line
in the dialog, which stays open; nothing is created until everything is right."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from lt_interview.errors import BadInput, LtError
from lt_interview.storage.keys import check_new_passphrase
from lt_interview.tui.screens.dialogs import Dialog, plain


def _path(text: str, what: str) -> Path:
    text = text.strip()
    if not text:
        raise BadInput(f"give the {what}")
    return Path(text).expanduser()


def checked_request(target: str, name: str, framework: str, secret: str, again: str) -> tuple[Path, Path | None]:
    """(review path, framework path or None), or BadInput saying what to put right."""
    path = _path(target, "file to create, such as ~/reviews/child-m.ltr")
    if path.suffix != ".ltr":
        path = path.with_name(path.name + ".ltr")
    if path.exists():
        raise BadInput(f"{path} already exists; choose another name")
    if not path.parent.is_dir():
        raise BadInput(f"{path.parent}: no such folder")
    framework_path = _path(framework, "framework file") if framework.strip() else None
    if framework_path is not None and not framework_path.is_file():
        raise BadInput(f"{framework_path}: no such file")
    if not name.strip() and framework_path is None:
        raise BadInput("give the review a name (or a framework file that names it)")
    check_new_passphrase(secret, again)
    return path, framework_path


class NewReviewScreen(Dialog):
    """Returns (path, passphrase) once the review exists, or None."""

    # Enter moves on at once, in the app's own key handling, so keys typed straight after it land
    # in the next field (an Input's Submitted message would move the focus only after them). On
    # the last field and the buttons it is left to the widget, whose message comes after the keys
    # typed before it: those are in the field by the time the review is created.
    BINDINGS = Dialog.BINDINGS + [Binding("enter", "enter", "Next", show=False, priority=True,
                                          id="dialog.next")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain("New review", classes="title")
            yield plain("File to create (.ltr)")
            yield Input(id="new-path", placeholder="Such as ~/reviews/child-m.ltr")
            yield plain("Review name")
            yield Input(id="new-name", placeholder="Such as 'Child M'; a framework file may give it")
            yield plain("Framework file (optional): pseudonyms, agencies, reviewers, practitioners, period")
            yield Input(id="new-framework", placeholder="Path to a .toml file; practitioners can be added later")
            yield plain("Passphrase for the review's files (at least 8 characters), twice")
            yield Input(password=True, id="new-passphrase")
            yield Input(password=True, id="new-again")
            yield Static(Text(""), id="new-problem", markup=False)
            with Horizontal():
                yield Button("Create", id="new-create", variant="primary")
                yield Button("Cancel", id="new-cancel")
            yield plain("Enter moves on and creates from the last field · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#new-path", Input).focus()

    def action_enter(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or focused.id == "new-again":
            raise SkipAction()
        self.focus_next()

    @on(Input.Submitted, "#new-again")
    def _submitted(self) -> None:
        self._create()

    @on(Button.Pressed, "#new-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#new-create")
    def _create(self) -> None:
        from lt_interview.operations.review import create_review

        value = {name: self.query_one(f"#new-{name}", Input).value
                 for name in ("path", "name", "framework", "passphrase", "again")}
        problem = self.query_one("#new-problem", Static)
        try:
            path, framework = checked_request(value["path"], value["name"], value["framework"],
                                              value["passphrase"], value["again"])
            create_review(path, value["passphrase"], name=value["name"].strip() or None,
                          framework=framework).close()
        except LtError as exc:
            problem.update(Text(exc.message, style="bold"))
            return
        self.dismiss((path, value["passphrase"]))
