"""The conversation screen's sections: the stage rail, the prompts shown, moving between
stages, and the episode in focus (the one the episode keys act on)."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.widgets import Static

from lt_interview.conversation.session import Section
from lt_interview.tui.widgets.notes_editor import NotesEditor
from lt_interview.tui.widgets.other_notes import OtherNotes
from lt_interview.tui.widgets.stage_rail import StageRail

EPISODES_STAGE = "episodes"  # stage 3a, where the practitioner names the episodes


class ConversationSections:
    """Mixed into ConversationScreen (which holds session, sections, index and loaded_key)."""

    @property
    def section(self) -> Section:
        return self.sections[self.index]

    def _load_section(self, index: int) -> None:
        self.index = max(0, min(index, len(self.sections) - 1))
        section = self.section
        if section.episode_id:
            self.focus_episode_id = section.episode_id
        editor = self.query_one(NotesEditor)
        editor.load_notes(self.session.note_text(section.key))
        self.loaded_key = section.key
        self.autosave.loaded()
        self._show_section()

    def _show_section(self) -> None:
        section = self.section
        stage = self.session.structure.stage(section.stage_id)
        focus = self.episode_in_focus()
        self._show_section_title()
        self.query_one(OtherNotes).show(self.session.other_notes(section.key))
        prompt = Text()
        if stage.purpose:
            prompt.append(stage.purpose + "\n", style="italic")
        if section.episode_id:
            prompt.append(f"Episode {section.episode_index}: ", style="bold")
            prompt.append(f"{section.episode_title} ({self._key_for('capture.episode_when')} dates it)\n")
        elif focus:
            prompt.append(f"In focus: Episode {focus[1]}: ", style="bold")
            prompt.append(f"{focus[2]} ({self._key_for('conversation.next_stage')} goes to its stages, "
                          f"{self._key_for('capture.episode_when')} dates it; the episode keys act on it)\n")
        for line in stage.prompts:
            prompt.append(f"- {line}\n")
        if stage.id == "factors":
            for heading in self.session.structure.headings:
                prompt.append(f"  {heading.number} {heading.title}: {heading.prompt}\n")
        if stage.id == "introduction":
            prompt.append("\nIntroduction to read out\n", style="bold")
            prompt.append(self.session.structure.introduction.strip() + "\n")
        self.query_one("#prompt-text", Static).update(prompt)
        self.query_one("#prompts").scroll_home(animate=False)
        self._show_rail()

    def _show_section_title(self) -> None:
        """The stage, and the title of the episode in focus (the one the episode keys act on);
        when narrow, the stage's short name and "Ep", so that the episode's title (in the
        reviewers' words) is not cut off at 80 columns. The notes box names it too."""
        if self.loaded_key is None:
            return
        stage = self.session.structure.stage(self.section.stage_id)
        focus = self.episode_in_focus()
        narrow = self.has_class("-narrow")
        title = Text(f"{stage.number} {stage.short if focus and narrow else stage.title}")
        if focus:
            title.append(f" · {'Ep' if narrow else 'Episode'} {focus[1]}: {focus[2]}", style="bold")
        self.query_one("#section-title", Static).update(title)
        notes_title = "Notes" if not focus else f"Notes · Episode {focus[1]}: {focus[2]}"
        self.query_one(NotesEditor).border_title = Text(notes_title, no_wrap=True, overflow="ellipsis")

    def _show_rail(self) -> None:
        self.query_one(StageRail).show(self.sections, self.index, self.session.has_notes)

    # --- the episode in focus --------------------------------------------------------------

    def _naming_episodes(self) -> bool:
        """At the stage where episodes are named (3a), which belongs to no one episode."""
        return self.section.stage_id == EPISODES_STAGE and self.section.episode_id is None

    def episode_in_focus(self) -> tuple[str, int, str] | None:
        """(record id, number, title) of the episode the episode keys act on, or None: in an
        episode's section, that episode; at 3a, the one named or explored last."""
        section = self.section if self.sections else None
        if section is None:
            return None
        if section.episode_id:
            return section.episode_id, section.episode_index, section.episode_title
        if section.stage_id != EPISODES_STAGE:
            return None
        numbered = [(s.episode_id, s.episode_index, s.episode_title) for s in self.sections if s.episode_id]
        if not numbered:
            return None
        chosen = next((e for e in numbered if e[0] == self.focus_episode_id), None)
        return chosen or max(numbered, key=lambda e: e[1])

    def _capture_section(self) -> Section:
        """Where a capture is filed: the section open, with the episode in focus at 3a."""
        focus = self.episode_in_focus()
        if focus and self._naming_episodes():
            return replace(self.section, episode_id=focus[0])
        return self.section

    def action_move(self, delta: int) -> None:
        focus = self.episode_in_focus()
        if delta > 0 and focus and self._naming_episodes():
            # From 3a, on to the stages of the episode in focus (the one just named), not episode 1's.
            first = next(index for index, s in enumerate(self.sections) if s.episode_id == focus[0])
            self._go_to(first)
            return
        self._go_to(self.index + delta)

    def _go_to(self, index: int) -> None:
        index = max(0, min(index, len(self.sections) - 1))
        if index == self.index and self.loaded_key == self.section.key:
            return
        if not self.flush(seal=True):
            return  # never move away from text that is not saved
        self._load_section(index)
        try:
            self._record_place()
        except Exception as exc:  # noqa: BLE001 - shown like any failed save; flush writes it again
            self._save_failed(exc)

    def _refresh_sections(self) -> None:
        key = self.section.key
        self.sections = self.session.sections()
        for index, section in enumerate(self.sections):
            if section.key == key:
                self.index = index
        self._show_rail()
        self._show_section()

    def rail_chosen(self, option_id: str | None) -> None:
        self._go_to(int((option_id or "s0")[1:]))
        self.query_one(NotesEditor).focus()

    def _record_place(self) -> None:
        """Write the section shown as this reviewer's place, to reopen there."""
        if self.loaded_key is not None and self.loaded_key != self.place_recorded:
            self.session.record_section(self.loaded_key)
            self.place_recorded = self.loaded_key
