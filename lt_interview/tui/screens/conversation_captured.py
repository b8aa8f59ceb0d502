"""The conversation screen's captured items: edit, remove, or mark a question returned to."""

from __future__ import annotations

from lt_interview.conversation.session import Captured
from lt_interview.errors import LtError
from lt_interview.tui.screens.conversation_capture import not_kept


class CapturedItems:
    """Mixed into ConversationScreen; called by the list of captured items (CaptureList)."""

    def edit_captured(self, item: Captured) -> None:
        from lt_interview.tui.screens.dialogs import DivergencePrompt, FactorPicker, TextPrompt

        if item.kind == "factor":
            try:
                current = self.session.factor_choice(item.record_id)
            except LtError as exc:
                self.app.notify(not_kept(exc), severity="error", markup=False)
                return
            self.app.push_screen(FactorPicker(self.session.structure, " ".join(item.text.split()), current=current),
                                 lambda result: self._factor_edited(item, result))
            return
        if item.kind == "divergence":
            self.app.push_screen(DivergencePrompt(item.text, item.differs_from,
                                                  names_a_person=self.session.names_a_person),
                                 lambda result: self._divergence_edited(item, result))
            return

        def done(value: str | None) -> None:
            if value:
                self.session.edit_capture(item.record_id, value)
                self._show_captured()
                if item.kind == "episode":
                    self._refresh_sections()
                    self._show_section()
        self.app.push_screen(TextPrompt(f"Edit: {item.label}", item.text), done)

    def _factor_edited(self, item: Captured, result: tuple[str, str, str] | None) -> None:
        if not result:
            return
        heading_id, choice, text = result
        if text == " ".join(item.text.split()):
            text = item.text  # the dialog's box is one line: keep the words' own line breaks when unchanged
        try:
            self.session.edit_factor(item.record_id, heading_id, choice, text)
        except (LtError, ValueError, KeyError) as exc:
            self.app.notify(not_kept(exc), severity="error", markup=False)
            return
        self._show_captured()

    def _divergence_edited(self, item: Captured, result: tuple[str, str] | None) -> None:
        if not result:
            return
        differs_from, text = result
        if text == " ".join(item.text.split()):
            text = item.text  # the dialog's box is one line: keep the words' own line breaks when unchanged
        try:
            self.session.edit_divergence(item.record_id, text, differs_from)
        except (LtError, ValueError) as exc:
            self.app.notify(not_kept(exc), severity="error", markup=False)
            return
        self._show_captured()

    def remove_captured(self, item: Captured) -> None:
        """Asks first: Delete on the list is one key, and the item leaves the screen (and the
        analysis) at once, though the file keeps its history."""
        from lt_interview.tui.screens.dialogs import ChoiceScreen

        episode_notes = " Its stages leave the rail; their notes stay in the file." if item.kind == "episode" else ""
        self.app.push_screen(ChoiceScreen(
            f"Remove {item.label}?", [("keep", "No: keep it"), ("remove", "Yes: remove it")],
            f"A removed item stays in the file's history but leaves this list and the analysis.{episode_notes} "
            "Esc keeps it."),
            lambda answer: self._remove_captured(item) if answer == "remove" else None)

    def _remove_captured(self, item: Captured) -> None:
        if item.kind == "episode" and self.section.episode_id == item.record_id:
            # Out of every section of that episode: to the one before its first (its factors
            # section's neighbour is its own mindset section).
            first = next(index for index, s in enumerate(self.sections) if s.episode_id == item.record_id)
            self._go_to(max(0, first - 1))
        self.session.remove_capture(item.record_id)
        self.app.notify(f"{item.label} removed (kept in the file's history).", timeout=3, markup=False)
        self._show_captured()
        if item.kind == "episode":
            self._refresh_sections()

    def returned_captured(self, item: Captured) -> None:
        if item.kind == "query":
            self.session.mark_returned(item.record_id)
            self._show_captured()
