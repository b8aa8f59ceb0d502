"""The differences between two versions of an account, section by section, as rich Text.

Readable without colour: removed lines start with "− ", added lines with "+ "."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from lt_interview.typeup.render import SectionDiff


def diff_text(diffs: list[SectionDiff]) -> Text:
    out = Text()
    changed = [d for d in diffs if d.changed]
    unchanged = [d.title for d in diffs if not d.changed]
    if not changed:
        out.append("No differences: the versions read the same.\n")
    for section in changed:
        out.append(section.title + "\n", style="bold")
        for tag, line in section.lines:
            if tag == "+":
                out.append("+ " + line + "\n", style="green")
            elif tag == "-":
                out.append("− " + line + "\n", style="red strike")
            else:
                out.append("  " + line + "\n", style="dim")
        out.append("\n")
    if unchanged:
        out.append("Unchanged: " + "; ".join(unchanged) + "\n", style="italic")
    return out


class DiffView(VerticalScroll):
    DEFAULT_CSS = "DiffView { height: 1fr; border: round $primary; padding: 0 1; }"

    def __init__(self, diffs: list[SectionDiff], **kwargs) -> None:
        super().__init__(**kwargs)
        self.diffs = diffs

    def compose(self) -> ComposeResult:
        yield Static(diff_text(self.diffs), markup=False)
