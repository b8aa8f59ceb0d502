"""The type-up screen's list of parts: the account, section by section, each part with its word
count (an episode's date shows the date itself); choosing a part loads it into the editor.

A mixin of TypeUpScreen (which provides account, current_key, keys, heading_title, flush and the
status and notice lines). The screen routes the list's messages here: Textual collects @on
handlers only from its own classes, not from a plain mixin.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from lt_interview.domain.account import Account
from lt_interview.domain.account_parts import PartRef, iter_parts, word_count


class PartsList:
    account: Account
    current_key: str
    keys: list[str]

    def _parts(self) -> list[PartRef]:
        return iter_parts(self.account, self.heading_title)

    def _fill_parts(self) -> None:
        option_list = self.query_one("#parts", OptionList)
        options: list[Option | None] = []
        self.keys = []
        section = None
        for part in self._parts():
            if part.section != section:
                section = part.section
                options.append(Option(Text(part.section_title, style="bold"), id=f"section:{section}",
                                      disabled=True))
            options.append(Option(_part_prompt(part), id=part.key))
            self.keys.append(part.key)
        highlighted = option_list.highlighted_option.id if option_list.highlighted_option else self.current_key
        option_list.clear_options()
        option_list.add_options(options)
        target = highlighted if highlighted in self.keys else self.current_key
        if target in self.keys:
            option_list.highlighted = option_list.get_option_index(target)

    def _refresh_part_prompt(self) -> None:
        """The word count of the part being edited, in the list of parts."""
        part = self._part(self.current_key)
        if part is not None and part.key in self.keys:
            self.query_one("#parts", OptionList).replace_option_prompt(part.key, _part_prompt(part))

    def _part(self, key: str) -> PartRef | None:
        return next((p for p in self._parts() if p.key == key), None)

    def _load_part(self, key: str) -> None:
        part = self._part(key) or self._parts()[0]
        self.current_key = part.key
        editor = self.query_one("#part-editor", TextArea)
        editor.load_text(part.text)
        self.query_one("#part-label", Static).update(Text(f"{part.section_title} · {part.label}"))
        self._show_links()
        self._show_notices()

    def _part_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id in self.keys:
            self.go_to(event.option.id)
            self.query_one("#part-editor", TextArea).focus()

    def _part_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id in self.keys and event.option.id != self.current_key:
            self.go_to(event.option.id)

    def go_to(self, key: str) -> None:
        if key == self.current_key:
            return
        self.flush(seal=True)
        self._load_part(key)
        self._show_status()


def _part_prompt(part: PartRef) -> Text:
    words = word_count(part.text)
    label = Text("  " + part.label)
    if part.key.startswith("episode:") and part.key.endswith(":when"):
        # The date itself, so the episodes' dates are seen in the list.
        label.append(f"  {' '.join(part.text.split())}" if part.text.strip() else "  (no date yet)", style="dim")
        return label
    label.append(f"  ({words} word{'s' if words != 1 else ''})" if words else "  (empty)", style="dim")
    return label
