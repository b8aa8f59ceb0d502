"""Create a review from the home screen, as `lt-interview review new` does: where the file goes,
the review's name, an optional framework file, the case framework (period, agencies, children,
household), practitioners by role, pseudonyms and reviewers, and the passphrase twice. A refusal
is one line in the dialog naming the field, which stays open; nothing is created until
everything is right. The new review then opens."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from lt_interview.errors import BadInput, LtError
from lt_interview.unlock import check_new_passphrase
from lt_interview.operations.framework_form import LABELS
from lt_interview.tui.screens.dialogs import DIALOG_CSS, Dialog, plain
from lt_interview.tui.styles import tcss

# The case fields, each with an example of how its entries are typed (semicolons between them).
CASE_FIELDS = (
    ("period_start", "Such as September 2024"),
    ("period_end", "Such as June 2025"),
    ("agencies", "Primary school; School nursing; GP practice"),
    ("children", "Pseudonyms: Child W = girl, 11"),
    ("household", "Pseudonyms: Mother (Ms K) = mother; Brother (Y) = brother"),
    ("practitioners", "Name, Role, Agency; ... (more can be added later)"),
    ("pseudonyms", "Pseudonym = real name; ... (kept encrypted, never exported)"),
    ("reviewers", "Name; Name, Role (the role is Lead reviewer unless given)"),
)


def _path(text: str, what: str) -> Path:
    text = text.strip()
    if not text:
        raise BadInput(f"give the {what}")
    return Path(text).expanduser()


def checked_request(target: str, name: str, framework: str, secret: str, again: str,
                    case: dict[str, str] | None = None):
    """(review path, the framework to create it with), or BadInput saying what to put right."""
    from lt_interview.operations.framework_file import load_framework_file
    from lt_interview.operations.framework_form import framework_from_form

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
    base = load_framework_file(framework_path) if framework_path is not None else None
    if not name.strip() and not (base and base.review.name):
        raise BadInput("give the review a name (or a framework file that names it)")
    built = framework_from_form(case or {}, base)
    check_new_passphrase(secret, again)
    return path, built


class NewReviewScreen(Dialog):
    """Returns (path, passphrase) once the review exists, or None."""

    # Enter moves on at once, in the app's own key handling, so keys typed straight after it land
    # in the next field (an Input's Submitted message would move the focus only after them). On
    # the last field and the buttons it is left to the widget, whose message comes after the keys
    # typed before it: those are in the field by the time the review is created.
    BINDINGS = Dialog.BINDINGS + [Binding("enter", "enter", "Next", show=False, priority=True,
                                          id="dialog.next")]

    CSS_PATH = [DIALOG_CSS, tcss("new_review")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain("New review", classes="title")
            with VerticalScroll():
                yield plain("File to create (.ltr)")
                yield Input(id="new-path", placeholder="Such as ~/reviews/child-w.ltr")
                yield plain("Review name")
                yield Input(id="new-name", placeholder="Such as 'Child W'; a framework file may give it")
                yield plain("Framework file (optional; 'lt-interview review template' writes an example). "
                            "What you type below is added to it.")
                yield Input(id="new-framework", placeholder="Path to a .toml file, or leave empty")
                yield plain("The case, by pseudonym only, and the people (separate entries with ;). "
                            "All optional: each can be added later.")
                for field, example in CASE_FIELDS:
                    with Horizontal(classes="field"):
                        yield plain(LABELS[field])
                        yield Input(id=f"new-{field.replace('_', '-')}", placeholder=example)
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
        case = {field: self.query_one(f"#new-{field.replace('_', '-')}", Input).value for field, _ in CASE_FIELDS}
        problem = self.query_one("#new-problem", Static)
        try:
            path, framework = checked_request(value["path"], value["name"], value["framework"],
                                              value["passphrase"], value["again"], case)
            create_review(path, value["passphrase"], name=" ".join(value["name"].split()) or None,
                          framework=framework).close()
        except LtError as exc:
            problem.update(Text(exc.message, style="bold"))
            return
        self.dismiss((path, value["passphrase"]))
