"""The stage's prompts: a short scrolling box that says when more of it is out of sight.

At 80x24 the box shows four lines, often only the stage's purpose: its corner then says how many
lines are below (or that there are more above), so the questions are never hidden unawares.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll


def more_hint(above: int, below: int, *, focused: bool = False) -> str:
    """'↓ 9 more lines · Shift+Tab' (the key that reaches the box from the notes)."""
    if below > 0:
        return f"↓ {below} more line{'s' if below != 1 else ''}" + ("" if focused else " · Shift+Tab")
    if above > 0:
        return "↑ more above"
    return ""


class PromptsBox(VerticalScroll):
    HELP = ("The prompts for this stage. Up and Down (or the mouse wheel) scroll them; Tab goes back "
            "to the notes. F8 hides them.")

    def hint(self) -> str:
        return more_hint(round(self.scroll_y), round(self.max_scroll_y - self.scroll_y), focused=self.has_focus)

    def _show_hint(self) -> None:
        hint = self.hint()
        if str(self.border_subtitle or "") != hint:
            self.border_subtitle = Text(hint) if hint else None

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._show_hint()

    def on_resize(self) -> None:  # the box changed size
        self._show_hint()

    def watch_virtual_size(self) -> None:  # its text changed (another stage): once laid out
        self.call_after_refresh(self._show_hint)

    def on_focus(self) -> None:
        self._show_hint()

    def on_blur(self) -> None:
        self._show_hint()
