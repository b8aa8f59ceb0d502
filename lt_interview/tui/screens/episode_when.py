"""Ask for an episode's date or period, as the practitioner said it ("early March 2024",
"spring 2023", "03/2024", "after the strategy discussion"), showing as it is typed how the
timeline reads it. Free text is always kept: a phrase with no date in it keeps the
practitioner's own order on the timeline, and the line below the box says so."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from lt_interview.analysis.fuzzydate import reading
from lt_interview.domain.text import clean_line
from lt_interview.tui.screens.dialogs import Dialog, plain


class EpisodeWhenPrompt(Dialog):
    HELP = ("When the episode happened, as the practitioner said it: a date, a month, a season or a "
            "period. The line below the box shows how the timeline reads it. Enter keeps it (an empty "
            "box removes the date); Esc cancels.")
    BINDINGS = Dialog.BINDINGS + [Binding("ctrl+s", "save", "Save", id="dialog.save")]

    def __init__(self, episode_label: str, when: str, default_year: int | None) -> None:
        super().__init__()
        self.episode_label = episode_label
        self.initial = clean_line(when)
        self.default_year = default_year

    def compose(self) -> ComposeResult:
        with Vertical():
            yield plain(f"When was {self.episode_label}?", classes="title")
            yield Input(self.initial, placeholder="as they said it: early March 2024, spring 2023, 03/2024",
                        id="when-text")
            yield plain("", id="when-reading")
            yield plain("Enter keeps it · an empty box removes the date · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#when-text", Input).focus()
        self._show_reading(self.initial)

    @on(Input.Changed, "#when-text")
    def _changed(self, event: Input.Changed) -> None:
        self._show_reading(event.value)

    def _show_reading(self, text: str) -> None:
        self.query_one("#when-reading").update(Text(reading(clean_line(text), self.default_year)[1]))

    @on(Input.Submitted, "#when-text")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(clean_line(self.query_one("#when-text", Input).value)[:200])

    def holds_unkept_text(self) -> bool:
        return clean_line(self.query_one("#when-text", Input).value) != self.initial
