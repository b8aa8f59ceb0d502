"""When to write a draft: one state machine for every screen that saves as the user types.

The screen owns the text and the store; it tells the Autosaver what happened (an edit, a write
starting, a write that worked or failed) and asks it what to do (write now? retry yet? anything
unsaved?). The decisions live here, away from Textual, with an injected clock so that tests move
time by hand (tests/unit/test_autosaver.py). RELIABILITY.md §4 gives the budgets the policies
keep to: a crash loses at most the last 300 ms of typing.

States:
    CLEAN   every edit is in a write that worked
    DIRTY   an edit is in no write yet
    SAVING  every edit is in a write; the latest write has not reported yet
    FAILED  the latest write failed: its edits, and any since, wait for a retry; the state stays
            FAILED (the screen keeps saying so) until a write works
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum

Clock = Callable[[], float]  # monotonic seconds


class AutosaveState(Enum):
    CLEAN = "clean"
    DIRTY = "dirty"
    SAVING = "saving"
    FAILED = "failed"


@dataclass(frozen=True)
class AutosavePolicy:
    """When the timer (or the frame after a key) may write. The timer writes once `throttle_s`
    has passed since the last write and either no edit has come for `pause_s` or `latest_s` has
    passed since the last write."""

    tick_s: float  # how often the screen's timer asks `due()`
    throttle_s: float  # at most one automatic write this often
    pause_s: float  # no edit for this long: the typing has paused
    latest_s: float  # write anyway this long after the last write, even while edits keep coming
    retry_s: float  # after a failed write, the next automatic try waits this long
    after_key: bool  # also write just after the frame that shows a key (between two keys)


# The conversation's notes: a write after the frame showing a key, at most every 150 ms; the
# timer writes what is left once the keys pause for 150 ms or 250 ms after the last write, so
# the file is at most ~200 ms behind the typing.
NOTES_AUTOSAVE = AutosavePolicy(tick_s=0.05, throttle_s=0.15, pause_s=0.15, latest_s=0.25, retry_s=1.0,
                                after_key=True)

# The typed-up account: the timer writes at most every 200 ms, whether or not the keys pause
# (pause_s 0: every edit counts as paused).
ACCOUNT_AUTOSAVE = AutosavePolicy(tick_s=0.05, throttle_s=0.2, pause_s=0.0, latest_s=0.2, retry_s=1.0,
                                  after_key=False)


class Autosaver:
    def __init__(self, policy: AutosavePolicy, clock: Clock = time.monotonic) -> None:
        self.policy = policy
        self.clock = clock
        self.state = AutosaveState.CLEAN
        self.dirty = False  # an edit is in no write yet (true in DIRTY, and in FAILED until the retry starts)
        self.last_edit = 0.0
        self.last_write = 0.0  # when the last write was handed over (or finished, when written at once)
        self.retry_at = 0.0
        self.write_after_paint = False  # a write is already asked for after the next frame

    @property
    def failing(self) -> bool:
        return self.state is AutosaveState.FAILED

    # --- what happened ---------------------------------------------------------------------

    def edited(self) -> bool:
        """The text changed. True when the screen should ask for a write just after the frame
        that shows this change (policy.after_key); `painted()` then says whether to write."""
        now = self.clock()
        self.last_edit = now
        self.dirty = True
        if self.state is not AutosaveState.FAILED:
            self.state = AutosaveState.DIRTY
        if (self.policy.after_key and not self.write_after_paint
                and now - self.last_write >= self.policy.throttle_s):
            self.write_after_paint = True
            return True
        return False

    def loaded(self) -> None:
        """The editor now shows text just read from the file: nothing in it is unwritten."""
        self.dirty = False
        if self.state is AutosaveState.DIRTY:
            self.state = AutosaveState.CLEAN

    @contextmanager
    def writing(self) -> Iterator[bool]:
        """Around one write of everything edited so far (handed to a writer thread, or written at
        once); gives whether anything was unwritten. The throttle counts from the end of the
        handing over, so a slow write does not bring the next one closer. The screen reports the
        outcome with `saved()` or `failed()`."""
        unwritten = self.dirty
        self.dirty = False
        if self.state is not AutosaveState.FAILED:
            self.state = AutosaveState.SAVING
        try:
            yield unwritten
        finally:
            self.last_write = self.clock()

    def saved(self) -> bool:
        """The latest write is in the file. True when this ends a run of failed writes (the
        screen says saving works again)."""
        recovered = self.state is AutosaveState.FAILED
        self.state = AutosaveState.DIRTY if self.dirty else AutosaveState.CLEAN
        return recovered

    def failed(self) -> bool:
        """The latest write failed: what it held is unwritten again, retried after retry_s. True
        when this starts a run of failures (the screen says so once, loudly)."""
        self.dirty = True
        self.retry_at = self.clock() + self.policy.retry_s
        started = self.state is not AutosaveState.FAILED
        self.state = AutosaveState.FAILED
        return started

    # --- what to do --------------------------------------------------------------------------

    def painted(self) -> bool:
        """The frame showing the latest key is on screen (asked for by `edited()`): write now?"""
        self.write_after_paint = False
        now = self.clock()
        return now - self.last_write >= self.policy.throttle_s and self._may_write(now)

    def due(self) -> bool:
        """From the screen's timer: write now?"""
        now = self.clock()
        since_write = now - self.last_write
        return (since_write >= self.policy.throttle_s
                and (now - self.last_edit >= self.policy.pause_s or since_write >= self.policy.latest_s)
                and self._may_write(now))

    def typing(self) -> bool:
        """An edit came less than pause_s ago (the screen waits for the pause to say "Saved")."""
        return self.clock() - self.last_edit < self.policy.pause_s

    def _may_write(self, now: float) -> bool:
        return self.dirty and not (self.state is AutosaveState.FAILED and now < self.retry_at)
