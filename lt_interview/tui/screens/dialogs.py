"""Small modal screens: factor picker, text prompt, divergence, checklist, help, recovery, reviewer, passphrase.

Every piece of user text is shown through rich Text or with markup=False, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from lt_interview.domain.structure import MethodStructure
from lt_interview.domain.text import clean_line, clean_text
from lt_interview.tui.actions import ACTIONS, ActionSpec
from lt_interview.conversation.session import Checklist
from lt_interview.tui.styles import tcss

# Every dialog's shared rules; a dialog with rules of its own lists this first, so its own come
# later and win a tie, as a subclass's DEFAULT_CSS did.
DIALOG_CSS = tcss("dialogs")


def plain(text: str, **kwargs) -> Static:
    return Static(Text(text), markup=False, **kwargs)


class Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "Close", id="dialog.close")]
    CSS_PATH = DIALOG_CSS

    def action_cancel(self) -> None:
        self.dismiss(None)

    def holds_unkept_text(self) -> bool:
        """Whether closing now would lose something typed here (quitting asks first)."""
        return False


class FactorPicker(Dialog):
    """The nine headings and their items, filtered as you type, plus free text. Editing a factor
    opens it with `current` (heading id, item) highlighted, so its heading or item can be chosen again."""

    HELP = ("Type to filter the contributory-factor headings and items, then Enter (or Down and Enter) "
            "to choose one. If nothing matches, Enter files your words under 'Other'.")

    def __init__(self, structure: MethodStructure, text: str, *,
                 current: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.structure = structure
        self.text = text
        self.current = current
        self.choices = [(heading, item) for heading, item in structure.factor_choices()]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain("Change the contributory factor" if self.current else "Contributory factor",
                        classes="title")
            yield Input(placeholder="Type to filter headings and items", id="filter")
            yield OptionList(id="choices")
            yield plain("What was said (kept with the factor):", classes="hint")
            yield Input(self.text, id="factor-text")
            yield plain("Enter chooses · Down moves to the list · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).styles.max_height = 12
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _matches(self, query: str) -> list[int]:
        words = query.casefold().split()
        return [index for index, (heading, item) in enumerate(self.choices)
                if all(word in f"{heading.number} {heading.title} {item}".casefold() for word in words)]

    def _fill(self, query: str) -> None:
        options = []
        highlight = 0
        shown_heading = None
        for index in self._matches(query):
            heading, item = self.choices[index]
            if not item:
                label = Text(f"{heading.number} {heading.title}", style="bold")
                shown_heading = heading.id
            elif shown_heading != heading.id:  # its heading filtered out: say which (two share items)
                label = Text(f"  · {item}")
                label.append(f" — {heading.number} {heading.title}", style="dim")
            else:
                label = Text(f"  · {item}")
            if self.current == (heading.id, item):
                highlight = len(options)
            options.append(Option(label, id=f"c{index}"))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(options)
        if options:
            choices.highlighted = highlight

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _submit_filter(self, event: Input.Submitted) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count and choices.highlighted is not None:
            self._choose(choices.get_option_at_index(choices.highlighted).id or "")
        elif event.value.strip():
            other = self.structure.headings[-1]  # "Other": free text becomes the item
            self._finish(other.id, clean_text(event.value).strip())

    @on(Input.Submitted, "#factor-text")
    def _submit_text(self) -> None:
        self._submit_filter(Input.Submitted(self.query_one("#filter", Input), self.query_one("#filter", Input).value))

    def key_down(self, event: events.Key) -> None:
        if self.focused is self.query_one("#filter", Input):
            # Down moves into the list onto the highlighted choice. Stopped here: otherwise the
            # app's bindings, checked next from the newly focused list, moved the highlight on
            # by one more (the second match was chosen whenever the headings were filtered out).
            event.stop()
            event.prevent_default()
            self.query_one("#choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_id or "")

    def _choose(self, option_id: str) -> None:
        heading, item = self.choices[int(option_id[1:])]
        self._finish(heading.id, item)

    def _finish(self, heading_id: str, item: str) -> None:
        self.dismiss((heading_id, item, self.query_one("#factor-text", Input).value))


class TextPrompt(Dialog):
    """Ask for (or edit) a piece of text. Ctrl+S or the Save button keeps it."""

    HELP = "Write or change the text, then Ctrl+S (or Save). Esc cancels."
    BINDINGS = Dialog.BINDINGS + [Binding("ctrl+s", "save", "Save", id="dialog.save")]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = clean_text(text)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain(self.title_text, classes="title")
            editor = TextArea(self.initial, soft_wrap=True, tab_behavior="focus", id="prompt-text")
            editor.styles.height = 6
            yield editor
            with Horizontal():
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
            yield plain("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#prompt-text", TextArea).focus()

    def action_save(self) -> None:
        value = clean_text(self.query_one("#prompt-text", TextArea).text).strip()
        self.dismiss(value or None)

    def holds_unkept_text(self) -> bool:
        text = clean_text(self.query_one("#prompt-text", TextArea).text).strip()
        return bool(text) and text != self.initial.strip()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class DivergencePrompt(Dialog):
    """A divergence: how this practitioner saw it, and whose account differs."""

    HELP = ("Say whose account this differs from, by role or agency (never a name), and how this "
            "practitioner saw it. Enter or Ctrl+S keeps it; Esc cancels.")
    BINDINGS = Dialog.BINDINGS + [Binding("ctrl+s", "save", "Save", id="dialog.save")]

    def __init__(self, text: str, differs_from: str = "", names_a_person=None) -> None:
        super().__init__()
        self.initial = " ".join(clean_text(text).split())
        self.initial_differs_from = clean_line(differs_from)  # set when editing one already noted
        self.names_a_person = names_a_person  # text -> bool: refuses a person's name as "whose"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain("Divergence: where this account differs from another", classes="title")
            yield plain("Differs from (a role or agency, never a name):")
            yield Input(self.initial_differs_from, placeholder="e.g. the health visitor, police", id="differs-from")
            yield plain("How this practitioner saw it:")
            yield Input(self.initial, id="divergence-text")
            yield plain("", id="divergence-message")
            yield plain("Enter keeps it · Tab moves between the boxes · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#differs-from", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        text = clean_text(self.query_one("#divergence-text", Input).value).strip()
        if not text:
            self.query_one("#divergence-message", Static).update(Text("Write how this practitioner saw it."))
            self.query_one("#divergence-text", Input).focus()
            return
        differs_from = self.query_one("#differs-from", Input).value
        if self.names_a_person is not None and self.names_a_person(differs_from):
            self.query_one("#divergence-message", Static).update(Text(
                "That looks like a person's name: say whose account by role or agency instead."))
            self.query_one("#differs-from", Input).focus()
            return
        self.dismiss((differs_from, text))

    def holds_unkept_text(self) -> bool:
        typed = (self.query_one("#differs-from", Input).value.strip(),
                 self.query_one("#divergence-text", Input).value.strip())
        return any(typed) and typed != (self.initial_differs_from.strip(), self.initial.strip())


class ChecklistScreen(Dialog):
    HELP = "What is still to cover before the conversation ends. Esc closes."

    def __init__(self, checklist: Checklist) -> None:
        super().__init__()
        self.checklist = checklist

    def compose(self) -> ComposeResult:
        text = Text()
        parts = [
            ("Stages not yet covered", self.checklist.stages_not_covered),
            ("Questions still to return to", self.checklist.questions_to_return_to),
            ("Episodes without contributory factors", self.checklist.episodes_without_factors),
        ]
        for heading, entries in parts:
            text.append(f"{heading} ({len(entries)})\n", style="bold")
            for entry in entries or ["none"]:
                text.append(f"  - {' '.join(entry.split())[:300]}\n")
            text.append("\n")
        if self.checklist.empty:
            text.append("Everything on the checklist is covered.\n", style="bold")
        with Vertical():
            yield plain("Before you finish", classes="title")
            with VerticalScroll():
                yield Static(text, markup=False)
            yield plain("Esc closes", classes="hint")


class HelpScreen(Dialog):
    BINDINGS = Dialog.BINDINGS + [Binding("f1", "cancel", "Close", show=False, id="dialog.help_close")]

    def __init__(self, area: str, area_help: str, scopes: tuple[str, ...], keys: dict[str, str]) -> None:
        super().__init__()
        self.area = area
        self.area_help = area_help
        self.scopes = scopes
        self.keys = keys

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(f"{self.area}\n", style="bold")
        text.append(self.area_help + "\n\n")
        for scope in self.scopes:
            specs: list[ActionSpec] = [spec for spec in ACTIONS if spec.scope == scope]
            if not specs:
                continue
            text.append(SCOPE_TITLES.get(scope, scope.title()) + "\n", style="bold")
            for spec in specs:
                keys = self.keys.get(spec.id, spec.default_keys) or "(palette)"  # found with ctrl+p only
                text.append(f"  {keys:<12} ", style="bold")
                text.append(f"{spec.title}: {spec.help}")
                text.append(f"  ({spec.id})\n", style="dim")  # the id to remap it by
            text.append("\n")
        text.append("Every action is also in the command palette (Ctrl+P). Keys can be changed in "
                    "config.toml under [keymap], by action id.")
        with Vertical():
            yield plain("Help", classes="title")
            with VerticalScroll():
                yield Static(text, markup=False)
            yield plain("Esc or F1 closes", classes="hint")


SCOPE_TITLES = {
    "app": "Everywhere",
    "conversation": "Conversation",
    "captures": "Captured items list",
    "home": "Home",
}


class RecoveryScreen(Dialog):
    """After a crash: the drafts newer than the saved notes. Keep seals them; Discard keeps them
    only in history."""

    BINDINGS = [Binding("k", "keep", "Keep", id="recovery.keep"),
                Binding("d", "discard", "Discard", id="recovery.discard")]
    HELP = "Text typed before lt-interview last closed unexpectedly. Keep it, or discard it (it stays in history)."
    EXCERPT_CHARS = 600  # per section: the end of what was typed, where the new words are

    def __init__(self, when: str, sections: int, recovered: list[tuple[str, str]] | tuple = ()) -> None:
        """`recovered`: (section, text) for each section, the text being what the draft adds to
        the saved notes (or the whole draft where it changed them otherwise)."""
        super().__init__()
        self.when = when
        self.sections = sections
        self.recovered = list(recovered)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain(f"Recovered unsaved text from {self.when}", classes="title")
            yield plain(f"Notes in {self.sections} section(s) were typed but not yet sealed when "
                        "lt-interview last closed. Keep them in your notes?")
            if self.recovered:
                # One Static holding it all (not a scroll container of Statics: under load its
                # height was laid out before its children came, and stayed empty).
                shown = Text()
                for section, text in self.recovered:
                    excerpt = text if len(text) <= self.EXCERPT_CHARS else "…" + text[-self.EXCERPT_CHARS:]
                    shown.append(("\n" if shown else "") + section + "\n", style="bold")
                    shown.append(excerpt or "(the section was emptied)")
                yield Static(shown, id="recovered", markup=False)
            with Horizontal():
                yield Button("Keep (K)", id="keep", variant="primary")
                yield Button("Discard (D)", id="discard")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(True)  # never lose text by pressing Esc

    def action_keep(self) -> None:
        self.dismiss(True)

    def action_discard(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "keep")


class ChoiceScreen(Dialog):
    """Pick one of a few labelled values (who is writing, which file)."""

    def __init__(self, title: str, choices: list[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain(self.title_text, classes="title")
            yield OptionList(*[Option(Text(label), id=str(index)) for index, (_, label) in enumerate(self.choices)],
                             id="choices")
            if self.hint:
                yield plain(self.hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option_id or 0)][0])


class PassphraseScreen(Dialog):
    def __init__(self, path_label: str) -> None:
        super().__init__()
        self.path_label = path_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain("Passphrase", classes="title")
            yield plain(f"Passphrase for {self.path_label}")
            yield Input(password=True, id="passphrase")
            yield plain("Enter opens · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value or None)
