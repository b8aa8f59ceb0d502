"""The conversation screen's clock: elapsed time shown, paused and written to the file."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

ELAPSED_EVERY_S = 60  # the conversation clock is written to the file at least this often while it runs


def format_elapsed(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class ConversationClock:
    """Mixed into ConversationScreen (which holds the clock's state: paused, running_since,
    elapsed_before and what was last written)."""

    def elapsed_seconds(self) -> float:
        running = 0.0
        if not self.paused and self.running_since is not None:
            running = (self.clock() - self.running_since).total_seconds()
        return self.elapsed_before + max(0.0, running)

    def _record_elapsed(self, *, every: int = 1, stamp: bool = False) -> None:
        """Write the clock when it has moved on by `every` seconds since it was last written;
        with `stamp` (once a minute while it runs, and on sealing: changing stage, quitting),
        also when it was (session.opened_after_the_conversation), not on each autosave, which
        would be a second commit each second while typing."""
        seconds = int(self.elapsed_seconds())
        if abs(seconds - self.elapsed_recorded) >= every:
            self.session.record_elapsed(seconds, self.clock() if stamp and not self.paused else None)
            self.elapsed_recorded = seconds
        if self.paused != self.paused_recorded:
            self.session.record_paused(self.paused)
            self.paused_recorded = self.paused

    def _show_elapsed(self) -> None:
        label = "Paused" if self.paused else "Elapsed"
        text = f"{label} {format_elapsed(self.elapsed_seconds())}"
        # A layout pass re-renders the whole screen (the notes editor too): only when the width changes.
        changed = len(text) != self.elapsed_width
        self.elapsed_width = len(text)
        self.query_one("#elapsed", Static).update(Text(text, style="reverse" if self.paused else ""),
                                                  layout=changed)
        if self.loaded_key is not None and not self.autosave.failing:
            try:
                self._record_elapsed(every=ELAPSED_EVERY_S, stamp=True)
            except Exception as exc:  # noqa: BLE001 - shown like any failed save, and retried by flush
                self._save_failed(exc)

    def action_pause(self) -> None:
        if self.paused:
            self.running_since = self.clock()
            self.paused = False
        else:
            self.elapsed_before = self.elapsed_seconds()
            self.paused = True
        self._show_elapsed()
        self.flush()
