"""The conflict screen: competing versions of one record side by side. A reviewer keeps one,
writes a combined version, or settles a removal; the new revision names every competing version
as a parent, so all of them stay in the history. Nothing here picks a winner by itself."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from lt_interview.errors import LtError
from lt_interview.merge.conflicts import resolve_conflict
from lt_interview.merge.describe import Conflict, conflicts, main_text_field
from lt_interview.tui.actions import bindings_for
from lt_interview.tui.styles import tcss
from lt_interview.tui.screens.dialogs import TextPrompt
from lt_interview.domain.ids import short_id
from lt_interview.domain.text import clean_text



def version_heading(conflict: Conflict, index: int, chosen: bool) -> str:
    """The line that heads one version in the combined editor: whose, from which laptop, when."""
    version = conflict.versions[index]
    author = version.author if version.author != "unknown" else "reviewer not recorded"
    return (f"=== Version {index + 1} of {len(conflict.versions)}{' (chosen)' if chosen else ''}: "
            f"{author}, laptop {short_id(version.revision.device_id) or 'not recorded'}, "
            f"saved {version.revision.created_at[:16].replace('T', ' ')} UTC ===")


def combined_start(conflict: Conflict, chosen: int, field: str) -> tuple[str, set[str]]:
    """Every version's text (a removal has none), the chosen one first, each under its heading;
    and the headings, which are dropped again when the combined text is saved."""
    order = [chosen] + [index for index in range(len(conflict.versions)) if index != chosen]
    parts, headings = [], set()
    for index in order:
        version = conflict.versions[index]
        if version.deleted:
            continue
        heading = version_heading(conflict, index, index == chosen)
        headings.add(heading)
        parts.append(f"{heading}\n{getattr(version.revision.record(), field, '') or ''}")
    return "\n\n".join(parts) + "\n", headings


def without_headings(text: str, headings: set[str]) -> str:
    """The combined text with the version headings we put in taken out (only those exact
    headings; words typed on a heading's line stay)."""
    lines = []
    for line in text.split("\n"):
        bare = line
        for heading in headings:
            bare = bare.replace(heading, "")
        if bare != line and not bare.strip():
            continue  # a heading's line, nothing else on it
        lines.append(bare)
    kept = "\n".join(lines).strip()
    while "\n\n\n" in kept:
        kept = kept.replace("\n\n\n", "\n\n")
    return kept


class CombinePrompt(TextPrompt):
    """The combined-text editor: every version in it, the cursor at the end, and Ctrl+Home and
    Ctrl+End to move to the start and end of the text."""

    HELP = ("Every version is here, the chosen one first, each under a heading naming who wrote it and "
            "on which laptop. Edit them into one text; the '=== Version' headings are dropped when you "
            "save. Ctrl+Home and Ctrl+End go to the start and end. Ctrl+S saves; Esc cancels.")
    BINDINGS = TextPrompt.BINDINGS + [
        Binding("ctrl+end", "editor_end", "End of text", show=False),
        Binding("ctrl+home", "editor_start", "Start of text", show=False),
    ]

    def __init__(self, title: str, text: str, headings: set[str]) -> None:
        super().__init__(title, text)
        self.headings = headings

    def on_mount(self) -> None:
        super().on_mount()
        self._editor().styles.height = 14  # room for every version
        self.action_editor_end()

    def _editor(self) -> TextArea:
        return self.query_one("#prompt-text", TextArea)

    def action_editor_end(self) -> None:
        editor = self._editor()
        editor.move_cursor(editor.document.end)
        editor.scroll_cursor_visible()

    def action_editor_start(self) -> None:
        editor = self._editor()
        editor.move_cursor((0, 0))
        editor.scroll_cursor_visible()

    def action_save(self) -> None:
        value = without_headings(clean_text(self._editor().text), self.headings)
        self.dismiss(value or None)

    def holds_unkept_text(self) -> bool:
        text = clean_text(self._editor().text).strip()
        return bool(text) and text != self.initial.strip()


def version_text(conflict: Conflict, index: int, chosen: bool) -> Text:
    version = conflict.versions[index]
    text = Text()
    text.append(f"{'▶ ' if chosen else ''}Version {index + 1} of {len(conflict.versions)}"
                f"{' (chosen)' if chosen else ''}\n", style="bold")
    text.append(f"by {version.author}, {version.revision.created_at[:16].replace('T', ' ')} UTC, "
                f"device {short_id(version.revision.device_id)}\n", style="dim")
    if version.deleted:
        text.append("This version removes the record.\n", style="bold")
    for name, value in version.fields:
        text.append(f"{name.replace('_', ' ').capitalize()}: ", style="bold")
        text.append(value + "\n")
    return text


class ConflictsScreen(Screen):
    HELP = ("Records with more than one current version after a merge. Choose a version with F5, then "
            "keep it (F2), write a combined text (F3), or settle a removal (F4). Every version stays in "
            "the history.")
    ACTION_SCOPE = "conflicts"
    BINDINGS = bindings_for("conflicts")
    CSS_PATH = tcss("conflicts")

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Conflict] = []
        self.chosen = 0

    def compose(self) -> ComposeResult:
        yield Static(Text("Conflicts to settle", style="bold"), id="conflicts-title", markup=False)
        with Horizontal():
            yield OptionList(id="conflict-list")
            with VerticalScroll(id="versions"):
                yield Horizontal(id="version-row")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    @property
    def store(self):
        return self.app.store  # type: ignore[attr-defined]

    def reload(self) -> None:
        self.items = conflicts(self.store)
        listing = self.query_one("#conflict-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(self._listed(item), id=item.record_id) for item in self.items])
        title = (f"{len(self.items)} record{'s' if len(self.items) != 1 else ''} with competing versions"
                 if self.items else "No conflicts: every record has one current version.")
        self.query_one("#conflicts-title", Static).update(Text(title, style="bold"))
        if self.items:
            listing.highlighted = 0
        self.chosen = 0
        self._show()
        listing.focus()

    @staticmethod
    def _listed(item: Conflict) -> Text:
        text = Text(f"{item.label} ({len(item.versions)} versions)")
        if item.place:
            text.append("\n" + item.place[:1].upper() + item.place[1:], style="dim")
        return text

    @property
    def current(self) -> Conflict | None:
        listing = self.query_one("#conflict-list", OptionList)
        if listing.highlighted is None or not self.items:
            return None
        return self.items[listing.highlighted]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.chosen = 0
        self._show()

    def _show(self) -> None:
        row = self.query_one("#version-row", Horizontal)
        row.remove_children()
        conflict = self.current
        if conflict is None:
            return
        row.mount_all([
            Static(version_text(conflict, index, index == self.chosen), markup=False,
                   classes="version -chosen" if index == self.chosen else "version")
            for index in range(len(conflict.versions))
        ])

    def action_choose(self, delta: int) -> None:
        if self.current is not None:
            self.chosen = (self.chosen + delta) % len(self.current.versions)
            self._show()

    def _settle(self, record) -> None:
        conflict = self.current
        if conflict is None:
            return
        try:
            resolve_conflict(self.store, conflict.record_id, record)
        except LtError as exc:
            self.app.notify(exc.message, severity="error", markup=False)
            return
        self.app.notify("Settled. Every competing version is kept in the history.", markup=False)
        self.reload()

    def action_keep(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        version = conflict.versions[self.chosen]
        if version.deleted:
            self.action_remove()
            return
        self._settle(version.revision.record())

    def action_combine(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        version = conflict.versions[self.chosen]
        field = main_text_field(version)
        if version.deleted or field is None:
            self.app.notify("This kind of record has no text to combine; keep one version instead.",
                            markup=False)
            return
        record = version.revision.record()

        def done(value: str | None) -> None:
            if value:
                self._settle(record.model_copy(update={field: value}))

        start, headings = combined_start(conflict, self.chosen, field)
        title = (f"Combined {field.replace('_', ' ')}: edit the versions below into one "
                 "(the '=== Version' headings are dropped when you save)")
        self.app.push_screen(CombinePrompt(title, start, headings), done)

    def action_remove(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        if not any(version.deleted for version in conflict.versions):
            self.app.notify("No version removes this record; keep or combine instead.", markup=False)
            return
        self._settle(None)
