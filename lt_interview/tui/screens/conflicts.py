"""The conflict screen: competing versions of one record side by side. A reviewer keeps one,
writes a combined version, or settles a removal; the new revision names every competing version
as a parent, so all of them stay in the history. Nothing here picks a winner by itself."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from lt_interview.errors import LtError
from lt_interview.merge.conflicts import resolve_conflict
from lt_interview.merge.describe import Conflict, conflicts, main_text_field
from lt_interview.tui.actions import ActionSpec, bindings_for, register_action
from lt_interview.tui.screens.dialogs import TextPrompt
from lt_interview.domain.ids import short_id

for _spec in (
    ActionSpec("conflicts.next_version", "choose(1)", "Next version",
               "Choose the next competing version.", "f5", "conflicts"),
    ActionSpec("conflicts.previous_version", "choose(-1)", "Previous version",
               "Choose the previous competing version.", "shift+f5", "conflicts", show=False),
    ActionSpec("conflicts.keep", "keep", "Keep chosen",
               "Settle the conflict with the chosen version; the others stay in the history.", "f2", "conflicts"),
    ActionSpec("conflicts.combine", "combine", "Write combined",
               "Write a combined text, starting from the chosen version, and settle with it.", "f3", "conflicts"),
    ActionSpec("conflicts.remove", "remove", "Settle as removed",
               "Where one version is a removal: settle the record as removed.", "f4", "conflicts"),
):
    register_action(_spec)


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
    DEFAULT_CSS = """
    ConflictsScreen #conflict-list { width: 36; border: round $primary-darken-2; }
    ConflictsScreen #versions { border: round $primary-darken-2; }
    ConflictsScreen .version { width: 1fr; padding: 0 1; border: round $panel; }
    ConflictsScreen .version.-chosen { border: double $accent; }
    """

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
        listing.add_options([Option(Text(item.label + f" ({len(item.versions)} versions)"), id=item.record_id)
                             for item in self.items])
        title = (f"{len(self.items)} record{'s' if len(self.items) != 1 else ''} with competing versions"
                 if self.items else "No conflicts: every record has one current version.")
        self.query_one("#conflicts-title", Static).update(Text(title, style="bold"))
        if self.items:
            listing.highlighted = 0
        self.chosen = 0
        self._show()
        listing.focus()

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

        others = "\n\n".join(getattr(v.revision.record(), field, "") for i, v in enumerate(conflict.versions)
                             if i != self.chosen and not v.deleted)
        start = getattr(record, field) + ("\n\n" + others if others else "")
        self.app.push_screen(TextPrompt(f"Combined {field.replace('_', ' ')}", start), done)

    def action_remove(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        if not any(version.deleted for version in conflict.versions):
            self.app.notify("No version removes this record; keep or combine instead.", markup=False)
            return
        self._settle(None)
