"""The stage rail: every section of the conversation, the current one marked, which have notes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from lt_interview.conversation.session import Section


def section_label(section: Section, *, current: bool, has_notes: bool, width: int = 0) -> Text:
    marker = ">" if current else " "
    done = "*" if has_notes else " "
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{marker}{done}{section.number:<2} ", style="bold" if current else "")
    if section.episode_id:
        text.append(f"{section.short} {section.episode_index}", style="bold" if current else "")
    else:
        text.append(section.short, style="bold" if current else "")
    return text


class StageRail(OptionList):
    HELP = ("The stages of the conversation. '>' marks where you are and '*' marks stages with notes. "
            "Episode stages repeat for each episode. Choose a stage to move to it.")
    DEFAULT_CSS = "StageRail { width: 20; }"

    def show(self, sections: list[Section], current: int, has_notes) -> None:
        self.clear_options()
        self.add_options([
            Option(section_label(section, current=index == current, has_notes=has_notes(section.key)),
                   id=f"s{index}")
            for index, section in enumerate(sections)
        ])
        self.highlighted = current
