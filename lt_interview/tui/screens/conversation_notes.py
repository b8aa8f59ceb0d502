"""The conversation screen's notes: autosave and the reviewers' mark.

Autosave (RELIABILITY.md §4; the figures are NOTES_AUTOSAVE in conversation/autosave.py, which
makes every decision): a keystroke marks the note dirty. When 150 ms have passed since the last
write, the draft is handed to the store's writer thread just after the frame that shows the
keystroke, when the next key is least likely to be waiting: the UI thread only cleans and
encodes the text (about 1 ms for 20,000 words); the commit (1-9 ms in SQLite, syncing the disk)
runs on the writer thread and reports back with a message. A 50 ms timer writes what is left
once no key has come for 150 ms (a pause) or 250 ms have passed since the last write; so the
file is at most ~200 ms behind the typing (budget 250 ms; a crash may lose at most 300 ms).
Changing stage, opening another screen, losing terminal focus and quitting write at once and
wait for the disk; changing stage and quitting also seal the drafts into revisions.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import TextArea

from lt_interview.conversation.autosave import Autosaver
from lt_interview.conversation.session import SectionKey
from lt_interview.domain.marks import is_marked, mark_lines
from lt_interview.tui.widgets.notes_editor import NotesEditor
from lt_interview.tui.widgets.save_status import announce_save_failure, announce_saving_works


class ConversationNotes:
    """Mixed into ConversationScreen (which holds session, loaded_key, status and the autosave)."""

    autosave: Autosaver

    def notes_changed(self, editor: TextArea) -> None:
        # Per keystroke: mark dirty, nothing else (no query, no database, no re-render).
        if editor.ignore_changed:  # type: ignore[attr-defined]
            editor.ignore_changed = False  # type: ignore[attr-defined]
            return
        # The corner says "Saving…" at the next tick, not in this key's frame.
        if self.autosave.edited():
            self.call_after_refresh(self._flush_painted)

    @property
    def dirty(self) -> bool:
        """Some of the notes are in no write yet."""
        return self.autosave.dirty

    def _flush_painted(self) -> None:
        """The frame showing the latest key is on screen: write now, between two keys."""
        if self.autosave.painted():
            self._write_soon()

    def _tick(self) -> None:
        """While keys keep coming, _flush_painted writes; this writes once they pause."""
        if self.autosave.due():
            self._write_soon()
        self._show_save_state()

    class DraftWritten(Message):
        """From the store's writer thread: one autosave commit is done (or failed)."""

        def __init__(self, key: SectionKey, ticket: int, failure: BaseException | None) -> None:
            super().__init__()
            self.key = key
            self.ticket = ticket
            self.failure = failure

    def _write_soon(self) -> None:
        """Autosave: hand the text to the writer thread and go back to the keys."""
        key = self.loaded_key
        if key is None:
            return
        try:
            with self.autosave.writing():
                had_notes = self.session.has_notes(key)
                changed = self.session.save_draft_soon(key, self.query_one(NotesEditor).text,
                                                       self._written_by_thread)
                if had_notes != self.session.has_notes(key):
                    self._show_rail()
        except Exception as exc:  # noqa: BLE001 - a text the model refuses, say: shown and retried
            self._save_failed(exc)
            return
        if not changed and not self.session.write_pending(key):
            self._save_worked()  # else "Saved" waits for the writer's report

    def _written_by_thread(self, key: SectionKey, ticket: int, failure: BaseException | None) -> None:
        # On the writer thread: never touch a widget; post_message is thread-safe.
        self.post_message(self.DraftWritten(key, ticket, failure))

    def draft_written(self, message: DraftWritten) -> None:
        if not self.session.is_latest_write(message.key, message.ticket):
            return  # a newer write of that section decides what is shown
        if message.failure is None:
            self._save_worked()
        elif message.key == self.loaded_key:
            self._save_failed(message.failure)

    def _save_failed(self, exc: BaseException) -> None:
        if self.autosave.failed():  # said once, loudly; retried after the policy's retry_s
            announce_save_failure(self.app, self.status, exc, "Your notes")

    def _save_worked(self) -> None:
        if self.autosave.saved():
            announce_saving_works(self.app, "your notes are")
        # "Saved" once the typing pauses (_tick): while keys keep coming it stays "Saving…", so
        # a write's report does not repaint the corner between two keys (a frame that a key
        # landing on it waited for) nor flicker there several times a second.
        self.status.state = "saving" if self.autosave.dirty or self.autosave.typing() else "saved"

    def _show_save_state(self) -> None:
        """The corner, from the timer: "Saving…" once a key is not yet in the file, "Saved" once
        the typing has paused and every write is in. From here, not from the key or the write's
        report, so that it repaints between keys (up to one tick, 50 ms, behind)."""
        if self.autosave.failing:
            return
        if self.autosave.dirty:
            self.status.state = "saving"
        elif (self.status.state == "saving"
                and not self.autosave.typing() and self.loaded_key is not None
                and not self.session.write_pending(self.loaded_key)):
            self.status.state = "saved"

    def flush(self, *, seal: bool = False, force: bool = True) -> bool:
        """Write the current note's draft now and wait for the disk (and seal drafts into
        revisions if asked). `force` compares the text even when no change message has arrived
        yet (a key typed just before a stage change or quit). Returns False, loudly, when the
        write fails; retried."""
        if self.loaded_key is None:
            return True
        try:
            with self.autosave.writing() as unwritten:
                if unwritten or force:
                    had_notes = self.session.has_notes(self.loaded_key)
                    self.session.save_draft(self.loaded_key, self.query_one(NotesEditor).text)
                    if had_notes != self.session.has_notes(self.loaded_key):
                        self._show_rail()
                if seal:
                    self.session.seal()
                self._record_elapsed(stamp=seal)
                self._record_place()
        except Exception as exc:  # noqa: BLE001 - any failed write is shown and retried
            self._save_failed(exc)
            return False
        self._save_worked()
        return True

    def flush_now(self, *, seal: bool = False) -> bool:
        """Called by the app on quit, signals and crashes."""
        return self.flush(seal=seal)

    def on_screen_suspend(self) -> None:
        self.flush()

    def action_mark_from_reviewers(self) -> None:
        editor = self.query_one(NotesEditor)
        if editor.read_only:
            return
        first, last = sorted((editor.selection.start[0], editor.selection.end[0]))
        lines = [editor.document.get_line(row) for row in range(first, last + 1)]
        marked = mark_lines(lines)
        if marked == lines:
            self.app.notify("Nothing to mark on an empty line.", timeout=2, markup=False)
            return
        for row, (before, after) in enumerate(zip(lines, marked), start=first):
            if before != after:
                editor.replace(after, (row, 0), (row, len(before)))
        now_marked = any(is_marked(line) for line in marked)
        self.app.notify("Marked as from the reviewers." if now_marked else "Mark removed.", timeout=2, markup=False)
        editor.focus()
