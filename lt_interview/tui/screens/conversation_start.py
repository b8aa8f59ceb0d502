"""The conversation screen's start: who is writing (asked once), then any recovered draft."""

from __future__ import annotations

from rich.text import Text

from lt_interview.conversation.session import doing
from lt_interview.domain.ids import parse_iso


class ConversationStart:
    """Mixed into ConversationScreen: before the notes open, ask who is writing (when the file
    does not say) and offer the text recovered from an unfinished session."""

    def _start(self) -> None:
        if not self.session.author_id:
            self._ask_author()
            return
        self._recover_or_load()

    def _ask_author(self) -> None:
        from lt_interview.tui.screens.dialogs import ChoiceScreen

        reviewers = self.session.reviewers()
        other = self.session.other_author()
        choices = [(rid, f"{r.name} ({r.role})"
                    + (f", already {doing(self.session.other_role)} in this file" if rid == other else ""))
                   for rid, r in reviewers]
        if not choices:
            self.app.exit(2, message=Text("This file names no reviewers; add them to the review first."))
            return
        self.app.push_screen(ChoiceScreen(
            f"Who is {doing(self.session.role)}?", choices,
            "Asked once; remembered in the conversation file. Esc closes without choosing."),
            self._author_chosen)

    def _author_chosen(self, reviewer_id: str | None) -> None:
        if reviewer_id is None:
            # Nothing is written before the choice: say so, rather than vanish without a word.
            self.app.exit(message=Text(f"Closed before choosing who is {doing(self.session.role)}; "
                                       "nothing was changed."))
            return
        if reviewer_id == self.session.other_author():
            from lt_interview.tui.screens.dialogs import ChoiceScreen

            name = dict((rid, r.name) for rid, r in self.session.reviewers()).get(reviewer_id, "This reviewer")
            self.app.push_screen(ChoiceScreen(
                f"{name} is already {doing(self.session.other_role)} in this file. "
                f"Is {name} {doing(self.session.role)} as well?",
                [("again", "No: choose again"), ("both", f"Yes: {name} does both")],
                "One person usually leads and the other takes notes; the choice cannot be changed here later."),
                lambda answer: self._set_author(reviewer_id) if answer == "both" else self._ask_author())
            return
        self._set_author(reviewer_id)

    def _set_author(self, reviewer_id: str) -> None:
        self.session.set_author(reviewer_id)
        self._recover_or_load()

    def _recover_or_load(self) -> None:
        pending = self.session.pending()
        if pending:
            from lt_interview.tui.screens.dialogs import RecoveryScreen

            when = parse_iso(max(saved for _, _, saved in pending)).astimezone()
            self.app.push_screen(RecoveryScreen(when.strftime("%H:%M:%S on %d %b %Y"), len(pending),
                                                self.session.recovered_texts()),
                                 self._recovered)
            return
        self._ready()

    def _recovered(self, keep: bool | None) -> None:
        if keep is False:
            self.session.discard_recovered()
        else:
            self.session.keep_recovered()
        self._ready()
