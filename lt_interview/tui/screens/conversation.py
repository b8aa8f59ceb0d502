"""The conversation screen: stage rail, prompts, notes, quick capture, framework, autosave.

Autosave (RELIABILITY.md §4): a keystroke marks the note dirty. When 150 ms have passed since
the last write, the draft is handed to the store's writer thread just after the frame that shows
the keystroke, when the next key is least likely to be waiting: the UI thread only cleans and
encodes the text (about 1 ms for 20,000 words); the commit (1-9 ms in SQLite, syncing the disk)
runs on the writer thread and reports back with a message. A 50 ms timer writes what is left
once no key has come for 150 ms (a pause) or 250 ms have passed since the last write; so the
file is at most ~200 ms behind the typing (budget 250 ms; a crash may lose at most 300 ms).
Changing stage, opening another screen, losing terminal focus and quitting write at once and
wait for the disk; changing stage and quitting also seal the drafts into revisions.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import datetime

from pydantic import ValidationError
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.message import Message
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, TextArea

from lt_interview.conversation.autosave import NOTES_AUTOSAVE, Autosaver
from lt_interview.conversation.session import (
    CAPTURE_LABELS, Captured, ConversationSession, Section, SectionKey, doing, strip_stamp,
)
from lt_interview.domain.ids import parse_iso
from lt_interview.domain.marks import is_marked, mark_lines
from lt_interview.errors import LtError, describe_validation
from lt_interview.tui.actions import BY_ID, bindings_for
from lt_interview.tui.idle_gc import resume_after_start_up
from lt_interview.tui.widgets.capture_list import CaptureList
from lt_interview.tui.widgets.notes_editor import NotesEditor
from lt_interview.tui.widgets.other_notes import OtherNotes
from lt_interview.tui.widgets.prompts_box import PromptsBox
from lt_interview.tui.widgets.save_status import SaveStatus, announce_save_failure, announce_saving_works
from lt_interview.tui.widgets.stage_rail import StageRail

ELAPSED_EVERY_S = 60  # the conversation clock is written to the file at least this often while it runs

def _import_dialogs() -> None:
    """The dialogs (capture, checklist, recovery, reviewer) are not on the first screen: imported
    when first needed, or at the first pause in typing, whichever comes first."""
    import lt_interview.tui.screens.dialogs  # noqa: F401


def not_kept(exc: Exception) -> str:
    """Why a capture or an edit was not kept, in one line: our own message, or the field the
    record's model refused and its rule (pydantic's message, without the text that was typed)."""
    if isinstance(exc, LtError):
        return f"Not kept: {exc.message}"
    if isinstance(exc, ValidationError):
        return f"Not kept: {describe_validation(exc)}"
    return "Not kept: that text cannot be stored"


EPISODES_STAGE = "episodes"  # stage 3a, where the practitioner names the episodes


def format_elapsed(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class ConversationScreen(Screen):
    ACTION_SCOPES = ("conversation",)
    BINDINGS = bindings_for("conversation")
    HELP = "The conversation: stages on the left, prompts and notes in the middle, captured items on the right."
    # The notes editor has focus from the first frame, so the footer is composed once with its
    # keys (focusing it only once the note is loaded recomposed the footer: a layout pass and a
    # frame more before the screen was ready).
    AUTO_FOCUS = "#notes"

    def __init__(self, session: ConversationSession, *, stamp_after_seconds: int = 60) -> None:
        super().__init__()
        self.session = session
        self.clock = session.clock
        self.stamp_after_seconds = stamp_after_seconds
        self.sections: list[Section] = session.sections()
        self.index = 0
        self.autosave = Autosaver(NOTES_AUTOSAVE)  # when to write the notes (conversation/autosave.py)
        self.paused = False
        self.paused_on_reopening = False  # opened again after the conversation (on_mount)
        self.elapsed_before = 0.0
        self.elapsed_recorded = 0  # whole seconds last written to the file
        self.paused_recorded = False  # the pause as last written to the file
        self.place_recorded: SectionKey | None = None  # the section last written as this reviewer's place
        self.running_since: datetime | None = None
        self.elapsed_width = 0
        self.loaded_key: SectionKey | None = None
        # The episode the episode keys act on: the episode of the section open, or, at the stage
        # where episodes are named (3a), the one named or explored last (DOMAIN.md §5.2: name an
        # episode, explore it, then the next).
        self.focus_episode_id: str | None = None

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(Text(self.session.title()), id="title", markup=False)
            yield Static("", id="section-title", markup=False)
            yield Static("", id="elapsed", markup=False)
            yield SaveStatus(id="save-status")
        with Horizontal(id="body"):
            yield StageRail(id="rail")
            with Vertical(id="centre"):
                with PromptsBox(id="prompts"):
                    yield Static("", id="prompt-text", markup=False)
                yield OtherNotes(id="others", classes="-empty")
                yield NotesEditor(clock=self.clock, stamp_after_seconds=self.stamp_after_seconds, id="notes")
            with Vertical(id="side"):
                yield Static(Text("\n".join(self.session.framework_lines()) or "No case framework in this file"),
                             id="framework", markup=False)
                yield Static(Text("Captured", style="bold"), id="captured-title", markup=False)
                yield CaptureList(id="captured")
        yield Footer()

    def on_mount(self) -> None:
        self.status = self.query_one(SaveStatus)
        self.query_one("#prompts").border_title = "Prompts (F8 hides)"
        self.query_one("#framework").border_title = "Case framework"
        self.query_one("#notes").border_title = "Notes"
        self._resize_classes(self.app.size.width, self.app.size.height)
        # The clock goes on from where it stood when the file was last closed (a crash loses at
        # most the last ELAPSED_EVERY_S of it).
        self.elapsed_before = self.session.elapsed_before()
        self.elapsed_recorded = int(self.elapsed_before)
        self.paused = self.paused_recorded = self.session.paused_before()  # a pause outlasts closing
        self.paused_on_reopening = not self.paused and self.session.opened_after_the_conversation(self.clock())
        if self.paused_on_reopening:
            self.paused = True  # editing the notes afterwards is not conversation time
        self.running_since = self.clock()
        self.set_interval(self.autosave.policy.tick_s, self._tick)
        self.set_interval(1.0, self._show_elapsed)
        self._show_elapsed()
        self._frame_at_once_after_a_pause()
        if self.session.author_id and not self.session.pending():
            # Nothing to ask: load the note now, so the first frame is the ready screen (a
            # frame earlier, and the note is wrapped once, at the editor's final width).
            self._ready()
        else:
            self.call_after_refresh(self._start)

    def _frame_at_once_after_a_pause(self) -> None:
        """Textual 8.2.8 paints at most 60 frames a second with a timer that, after any pause,
        waits one to two frame periods (16-33 ms) before the next frame; so a key pressed just
        after another repaint (the save indicator, the clock) waited that long to show. Without
        skipping, the timer paints at once after a pause and still keeps to 60 a second under
        sustained updates (scripts/bench.py: keystroke latency). Private to Textual: guarded."""
        timer = getattr(self, "_update_timer", None)
        if timer is not None and hasattr(timer, "_skip"):
            timer._skip = False

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

    def _ready(self) -> None:
        self.session.start()
        self.sections = self.session.sections()
        # Back where this reviewer last worked (or the first stage).
        self.place_recorded = self.session.last_section()
        self._load_section(next((index for index, section in enumerate(self.sections)
                                 if section.key == self.place_recorded), 0))
        self._show_captured()
        self.query_one(NotesEditor).focus()
        if self.paused_on_reopening:
            self.app.notify("The conversation clock is paused: this file was opened again after the "
                            f"conversation. {self._key_for('conversation.pause')} starts it again.",
                            timeout=6, markup=False)
        elif self.paused:
            self.app.notify(f"The clock is paused, as it was when this file was closed: "
                            f"{self._key_for('conversation.pause')} starts it again.", timeout=6, markup=False)
        idle = getattr(self.app, "idle_gc", None)
        if idle is not None:  # the first stage change or capture then finds its modules loaded
            idle.run_when_idle(self.session.store.prepare_writes)
            idle.run_when_idle(_import_dialogs)
        # What start-up built (modules, styles, the structure, the loaded notes) lives as long as
        # the app: leave it out of the collector's full passes (about 30 ms over ~110,000 objects,
        # landing on keystrokes; scripts/bench.py). Reference counting still frees all of it.
        gc.freeze()
        resume_after_start_up()  # `converse` switched the collector off while it started up

    def _key_for(self, action_id: str) -> str:
        """The key an action has now (remapped in config.toml or the default), as 'Ctrl+O'."""
        config = getattr(self.app, "config", None)
        keys = (config.keymap.get(action_id) if config else None) or BY_ID[action_id].default_keys
        return "+".join(part.capitalize() for part in keys.split(",")[0].strip().split("+"))

    def on_resize(self, event: events.Resize) -> None:
        self._resize_classes(event.size.width, event.size.height)

    def _resize_classes(self, width: int, height: int) -> None:
        was_narrow = self.has_class("-narrow")
        self.set_class(width < 110, "-narrow")
        self.set_class(height < 30, "-short")
        if was_narrow != self.has_class("-narrow"):
            self._show_section_title()

    # --- sections ------------------------------------------------------------------------

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

    @on(OptionList.OptionSelected, "#rail")
    def _rail_chosen(self, event: OptionList.OptionSelected) -> None:
        self._go_to(int((event.option_id or "s0")[1:]))
        self.query_one(NotesEditor).focus()

    # --- autosave ------------------------------------------------------------------------

    @on(TextArea.Changed, "#notes")
    def _changed(self, event: TextArea.Changed) -> None:
        # Per keystroke: mark dirty, nothing else (no query, no database, no re-render).
        editor = event.text_area
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

    @on(DraftWritten)
    def _draft_written(self, message: DraftWritten) -> None:
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

    # --- elapsed time --------------------------------------------------------------------

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

    def _record_place(self) -> None:
        """Write the section shown as this reviewer's place, to reopen there."""
        if self.loaded_key is not None and self.loaded_key != self.place_recorded:
            self.session.record_section(self.loaded_key)
            self.place_recorded = self.loaded_key

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

    # --- quick capture -------------------------------------------------------------------

    def _captured_text(self) -> str:
        editor = self.query_one(NotesEditor)
        if editor.selected_text.strip():
            return "\n".join(strip_stamp(line) for line in editor.selected_text.strip().splitlines())
        return strip_stamp(editor.document.get_line(editor.cursor_location[0]))

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

    # --- other actions -------------------------------------------------------------------

    def action_toggle_prompts(self) -> None:
        self.query_one("#prompts").toggle_class("-hidden")
        self.query_one(OtherNotes).toggle_class("-hidden")

    def action_toggle_framework(self) -> None:
        if self.has_class("-short"):
            # Too short to show it beside the notes (80x24): in a window of its own, Esc closes.
            from lt_interview.tui.screens.framework_view import FrameworkScreen

            self.app.push_screen(FrameworkScreen(self.session.framework_lines()))
            return
        self.query_one("#framework").toggle_class("-hidden")

    def action_checklist(self) -> None:
        from lt_interview.tui.screens.dialogs import ChecklistScreen

        self.flush()
        self.app.push_screen(ChecklistScreen(self.session.checklist()))

    def action_focus_captured(self) -> None:
        self.query_one(CaptureList).focus()

    def action_focus_notes(self) -> None:
        self.query_one(NotesEditor).focus()
