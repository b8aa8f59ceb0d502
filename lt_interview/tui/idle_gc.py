"""Full garbage collections while the user pauses, not in the middle of typing.

CPython runs a full (generation 2) collection after every ten collections of generation 1,
whenever it finds enough new long-lived objects. Typing into a long note makes many short-lived
objects (every frame's strips and segments), so a full pass came every 25 to 30 keys and took
8-12 ms over the ~40,000 objects the screen holds after start-up, delaying the key it landed on
(scripts/bench.py: keystroke to screen p99). Here the automatic full pass is made rare (a safety
net: after a thousand generation-1 collections, about 25,000 keys typed without a pause) and the
app runs it itself once no key or mouse event has come for QUIET_S. The young generations are
still collected as usual, and reference counting frees everything else at once, so memory stays
bounded while typing. One-off jobs that can wait (run_when_idle) use the same pause.
"""

from __future__ import annotations

import gc
import time

QUIET_S = 1.0  # no input for this long: a full collection does not delay anyone
CHECK_S = 0.25
RARE_FULL = 1000  # generation-1 collections before an automatic full one (CPython's default: 10)

_paused_for_start_up = False


def pause_for_start_up() -> None:
    """Switch the collector off while a screen starts (the modules, the models, the stylesheet
    and the first screen's widgets): about 60,000 objects that live as long as the app, which
    the collector went over some 200 times (one full pass among them) for about 25 ms of
    `converse`'s start-up (scripts/bench.py), finding almost nothing to free. Reference
    counting still frees everything else. The first ready screen freezes what start-up built
    and switches the collector back on (resume_after_start_up); so does the app's first check
    for a pause (after CHECK_S), whichever screen is shown, and the command when it returns."""
    global _paused_for_start_up
    if gc.isenabled():
        gc.disable()
        _paused_for_start_up = True


def resume_after_start_up() -> None:
    """Switch the collector back on if pause_for_start_up switched it off (else nothing)."""
    global _paused_for_start_up
    if _paused_for_start_up:
        _paused_for_start_up = False
        gc.enable()


class IdleCollector:
    def __init__(self, *, quiet_s: float = QUIET_S, clock=time.monotonic) -> None:
        self.quiet_s = quiet_s
        self.clock = clock
        self.last_input = clock()
        self.collections = 0
        self._saved: tuple[int, int, int] | None = None
        self._jobs: list = []

    def start(self, app) -> None:
        """Make automatic full collections rare and check for a pause every CHECK_S."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, RARE_FULL)
        app.set_interval(CHECK_S, self.check)

    def stop(self) -> None:
        """Give the interpreter back its own thresholds (the app is closing)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        self.last_input = self.clock()

    def run_when_idle(self, job) -> None:
        """Run `job()` once, at the next pause: work that would otherwise land on a key."""
        self._jobs.append(job)

    def check(self) -> bool:
        """Run a full collection if the user has paused and objects have reached the oldest
        generation since the last one. Returns whether it ran."""
        resume_after_start_up()  # if no ready screen has (a dialog came first)
        if self.clock() - self.last_input < self.quiet_s:
            return False
        jobs, self._jobs = self._jobs, []
        for job in jobs:
            job()
        if gc.get_count()[2] == 0:
            return False
        gc.collect()
        self.collections += 1
        return True
