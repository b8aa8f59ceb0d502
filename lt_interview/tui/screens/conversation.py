"""The conversation screen: stage rail, prompts, notes, quick capture, framework, autosave.

A thin shell: the layout, start-up and the routing of events; each concern is a mixin of its
own module (conversation_start, _sections, _notes, _clock, _capture, _captured). What it reads
and writes goes through the headless ConversationSession (conversation/session.py), and when to
autosave is decided by the Autosaver (conversation/autosave.py).
"""

from __future__ import annotations

import gc
from datetime import datetime

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, TextArea

from lt_interview.conversation.autosave import NOTES_AUTOSAVE, Autosaver
from lt_interview.conversation.session import ConversationSession, Section, SectionKey
from lt_interview.tui.actions import BY_ID, bindings_for
from lt_interview.tui.idle_gc import resume_after_start_up
from lt_interview.tui.screens.conversation_capture import ConversationCapture
from lt_interview.tui.screens.conversation_captured import CapturedItems
from lt_interview.tui.screens.conversation_clock import ConversationClock
from lt_interview.tui.screens.conversation_notes import ConversationNotes
from lt_interview.tui.screens.conversation_sections import ConversationSections
from lt_interview.tui.screens.conversation_start import ConversationStart
from lt_interview.tui.styles import tcss
from lt_interview.tui.widgets.capture_list import CaptureList
from lt_interview.tui.widgets.notes_editor import NotesEditor
from lt_interview.tui.widgets.other_notes import OtherNotes
from lt_interview.tui.widgets.prompts_box import PromptsBox
from lt_interview.tui.widgets.save_status import SaveStatus
from lt_interview.tui.widgets.stage_rail import StageRail


def _import_dialogs() -> None:
    """The dialogs (capture, checklist, recovery, reviewer) are not on the first screen: imported
    when first needed, or at the first pause in typing, whichever comes first."""
    import lt_interview.tui.screens.dialogs  # noqa: F401


class ConversationScreen(ConversationStart, ConversationSections, ConversationNotes, ConversationClock,
                         ConversationCapture, CapturedItems, Screen):
    ACTION_SCOPES = ("conversation",)
    BINDINGS = bindings_for("conversation")
    HELP = "The conversation: stages on the left, prompts and notes in the middle, captured items on the right."
    CSS_PATH = tcss("conversation")
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

    # --- events, each to the mixin that handles it -------------------------------------------
    # (Textual finds @on handlers only on classes that are message pumps, so they live here.)

    @on(OptionList.OptionSelected, "#rail")
    def _rail_chosen(self, event: OptionList.OptionSelected) -> None:
        self.rail_chosen(event.option_id)

    @on(TextArea.Changed, "#notes")
    def _changed(self, event: TextArea.Changed) -> None:
        self.notes_changed(event.text_area)

    @on(ConversationNotes.DraftWritten)
    def _draft_written(self, message: ConversationNotes.DraftWritten) -> None:
        self.draft_written(message)

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
