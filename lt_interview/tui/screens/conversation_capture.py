"""The conversation screen's quick capture: a quote, a question, an episode, a factor... from
the line or the selection in the notes, filed with the section open."""

from __future__ import annotations

from pydantic import ValidationError

from lt_interview.conversation.session import CAPTURE_LABELS, Section, strip_stamp
from lt_interview.errors import LtError, describe_validation
from lt_interview.tui.widgets.capture_list import CaptureList
from lt_interview.tui.widgets.notes_editor import NotesEditor


def not_kept(exc: Exception) -> str:
    """Why a capture or an edit was not kept, in one line: our own message, or the field the
    record's model refused and its rule (pydantic's message, without the text that was typed)."""
    if isinstance(exc, LtError):
        return f"Not kept: {exc.message}"
    if isinstance(exc, ValidationError):
        return f"Not kept: {describe_validation(exc)}"
    return "Not kept: that text cannot be stored"


class ConversationCapture:
    """Mixed into ConversationScreen (sections, the episode in focus and flush come from the
    other mixins)."""

    def _captured_text(self) -> str:
        editor = self.query_one(NotesEditor)
        if editor.selected_text.strip():
            return "\n".join(strip_stamp(line) for line in editor.selected_text.strip().splitlines())
        return strip_stamp(editor.document.get_line(editor.cursor_location[0]))

    def action_capture(self, kind: str) -> None:
        from lt_interview.tui.screens.dialogs import DivergencePrompt, FactorPicker, TextPrompt

        self.flush()
        text = self._captured_text()
        if kind == "factor":
            self.app.push_screen(FactorPicker(self.session.structure, text), self._factor_chosen)
        elif kind == "divergence":
            self.app.push_screen(DivergencePrompt(text, names_a_person=self.session.names_a_person),
                                 self._divergence_given)
        elif not text:
            self.app.push_screen(TextPrompt(f"{CAPTURE_LABELS[kind]}:"),
                                 lambda value: self._capture(kind, value) if value else None)
        else:
            self._capture(kind, text)

    def _capture(self, kind: str, text: str, differs_from: str = "") -> None:
        section = self._capture_section()
        record_id = ""
        try:
            if kind == "quote":
                self.session.add_quote(text, section)
            elif kind == "query":
                self.session.add_question(text, section)
            elif kind == "episode":
                record_id = self.session.add_episode(text)
            elif kind == "went_well":
                self.session.add_went_well(text, section)
            elif kind == "change":
                self.session.add_change(text)
            elif kind == "divergence":
                self.session.add_divergence(text, differs_from, section)
        except (LtError, ValueError) as exc:
            self.app.notify(not_kept(exc), severity="error", markup=False)
            return
        if kind == "episode":
            self._episode_named(record_id)
            return
        self._after_capture(self._capture_name(kind, section))

    def action_episode_when(self) -> None:
        """Date the episode in focus (the keys act on it, as the header and notes title show)."""
        from lt_interview.tui.screens.episode_when import EpisodeWhenPrompt

        focus = self.episode_in_focus()
        if focus is None:
            self.app.notify(f"No episode in focus: name one first ({self._key_for('capture.episode')}), "
                            "at stage 3a or from a line of notes.", timeout=4, markup=False)
            return
        self.flush()
        found = self.session.store.get(focus[0])
        when = getattr(found.record, "when", "") if found else ""
        if not when:
            editor = self.query_one(NotesEditor)
            when = " ".join(strip_stamp(editor.selected_text).split()) if editor.selected_text.strip() else ""
        self.app.push_screen(EpisodeWhenPrompt(f"episode {focus[1]} ({focus[2]})", when, self.session.default_year()),
                             lambda value: self._episode_dated(focus, value))

    def _episode_dated(self, focus: tuple[str, int, str], when: str | None) -> None:
        if when is None:
            return
        try:
            self.session.set_episode_when(focus[0], when)
        except (LtError, ValueError) as exc:
            self.app.notify(not_kept(exc), severity="error", markup=False)
            return
        said = f"dated “{when}”" if when else "no longer dated"
        self.app.notify(f"Episode {focus[1]} {said}.", timeout=3, markup=False)
        self._show_captured()
        self.query_one(NotesEditor).focus()

    def _capture_name(self, kind: str, section: Section) -> str:
        """"Quote" or, filed with an episode, "Quote for episode 2", so where it went is seen."""
        name = CAPTURE_LABELS[kind]
        if section.episode_id:
            number = next((s.episode_index for s in self.sections if s.episode_id == section.episode_id), 0)
            if number:
                name += f" for episode {number}"
        return name

    def _episode_named(self, record_id: str) -> None:
        """A new episode: in focus at once unless another episode's section is open (its notes
        stay with it); either way the screen says which episode the keys now act on."""
        exploring = self.section.episode_id
        if not exploring:
            self.focus_episode_id = record_id
        self._refresh_sections()
        number = next((s.episode_index for s in self.sections if s.episode_id == record_id), 0)
        if exploring:
            message = (f"Episode {number} kept; its stages follow on the rail. The keys act on episode "
                       f"{self.section.episode_index} while its notes are open.")
        elif not self._naming_episodes():
            message = f"Episode {number} kept; its stages are on the rail, after the other episodes'."
        else:
            message = (f"Episode {number} kept and in focus: {self._key_for('conversation.next_stage')} "
                       "goes to its stages.")
        self.app.notify(message, timeout=4, markup=False)
        self._show_captured()
        self.query_one(NotesEditor).focus()

    def _factor_chosen(self, result: tuple[str, str, str] | None) -> None:
        if not result:
            return
        heading_id, item, text = result
        section = self._capture_section()
        self.session.add_factor(heading_id, item, text, section)
        self._after_capture(self._capture_name("factor", section))

    def _divergence_given(self, result: tuple[str, str] | None) -> None:
        if result:
            differs_from, text = result
            self._capture("divergence", text, differs_from)

    def _after_capture(self, name: str) -> None:
        self.app.notify(f"{name} kept.", timeout=2, markup=False)
        self._show_captured()
        self.query_one(NotesEditor).focus()

    def _show_captured(self) -> None:
        self.query_one(CaptureList).show(self.session.captures())
