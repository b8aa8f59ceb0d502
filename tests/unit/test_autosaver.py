"""The autosave state machine (lt_interview/conversation/autosave.py), on a hand-moved clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from lt_interview.conversation.autosave import (
    ACCOUNT_AUTOSAVE, NOTES_AUTOSAVE, AutosavePolicy, Autosaver, AutosaveState,
)

CLEAN, DIRTY, SAVING, FAILED = AutosaveState.CLEAN, AutosaveState.DIRTY, AutosaveState.SAVING, AutosaveState.FAILED


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def machine(policy: AutosavePolicy = NOTES_AUTOSAVE) -> tuple[Autosaver, FakeClock]:
    clock = FakeClock()
    return Autosaver(policy, clock), clock


def write(autosaver: Autosaver, ok: bool = True) -> None:
    with autosaver.writing():
        pass
    if ok:
        autosaver.saved()
    else:
        autosaver.failed()


def test_the_policies_keep_the_screens_figures():
    assert (NOTES_AUTOSAVE.tick_s, NOTES_AUTOSAVE.throttle_s, NOTES_AUTOSAVE.pause_s, NOTES_AUTOSAVE.latest_s,
            NOTES_AUTOSAVE.retry_s, NOTES_AUTOSAVE.after_key) == (0.05, 0.15, 0.15, 0.25, 1.0, True)
    assert (ACCOUNT_AUTOSAVE.tick_s, ACCOUNT_AUTOSAVE.throttle_s, ACCOUNT_AUTOSAVE.retry_s,
            ACCOUNT_AUTOSAVE.after_key) == (0.05, 0.2, 1.0, False)


def test_an_edit_then_a_write_that_works():
    autosaver, clock = machine()
    assert autosaver.state is CLEAN and not autosaver.dirty and not autosaver.due()
    assert autosaver.edited()  # long since the last write: write after the frame showing it
    assert autosaver.state is DIRTY and autosaver.dirty
    assert not autosaver.edited()  # already asked for
    assert autosaver.painted()
    with autosaver.writing() as unwritten:
        assert unwritten and autosaver.state is SAVING and not autosaver.dirty
    assert not autosaver.saved()  # no failure ended
    assert autosaver.state is CLEAN


def test_the_frame_after_a_key_writes_at_most_every_throttle():
    autosaver, clock = machine()
    autosaver.edited()
    assert autosaver.painted()
    write(autosaver)
    clock.advance(0.1)
    assert not autosaver.edited()  # 100 ms after a write: not after this frame
    clock.advance(0.06)
    assert autosaver.edited() and autosaver.painted()


def test_the_timer_waits_for_a_pause_or_the_latest():
    autosaver, clock = machine()
    autosaver.edited()
    write(autosaver)
    clock.advance(0.2)
    autosaver.edited()
    assert not autosaver.due()  # past the throttle, but a key has just come
    clock.advance(0.06)
    assert autosaver.due()  # over 250 ms since the last write: the latest
    autosaver2, clock2 = machine()
    autosaver2.edited()
    write(autosaver2)
    clock2.advance(0.16)
    autosaver2.edited()
    clock2.advance(0.16)
    assert autosaver2.due()  # the keys paused


def test_the_account_timer_writes_every_throttle_while_typing():
    autosaver, clock = machine(ACCOUNT_AUTOSAVE)
    assert not autosaver.edited()  # no write after the frame for the account
    write(autosaver)
    autosaver.edited()
    clock.advance(0.19)
    assert not autosaver.due()
    clock.advance(0.02)
    autosaver.edited()
    assert autosaver.due()


def test_a_failed_write_is_retried_after_retry_s_and_said_once():
    autosaver, clock = machine()
    autosaver.edited()
    with autosaver.writing():
        pass
    assert autosaver.failed()  # starts the failure: said
    assert autosaver.state is FAILED and autosaver.dirty
    clock.advance(0.5)
    assert not autosaver.due()  # not before the retry
    autosaver.edited()
    assert autosaver.state is FAILED
    clock.advance(0.51)
    assert autosaver.due()
    with autosaver.writing():
        assert autosaver.state is FAILED  # still said until a write works
    assert not autosaver.failed()  # the same failure: not said again
    clock.advance(1.0)
    with autosaver.writing():
        pass
    assert autosaver.saved()  # ends the failure: said
    assert autosaver.state is CLEAN


def test_an_edit_while_a_write_is_out_stays_dirty_after_it():
    autosaver, clock = machine()
    autosaver.edited()
    with autosaver.writing():
        pass
    autosaver.edited()
    autosaver.saved()  # the earlier write reports
    assert autosaver.state is DIRTY and autosaver.dirty


def test_loading_text_from_the_file_leaves_nothing_unwritten():
    autosaver, clock = machine()
    autosaver.edited()
    autosaver.loaded()
    assert autosaver.state is CLEAN and not autosaver.dirty


def test_typing_until_the_pause():
    autosaver, clock = machine()
    autosaver.edited()
    assert autosaver.typing()
    clock.advance(NOTES_AUTOSAVE.pause_s + 0.01)
    assert not autosaver.typing()


# --- no edit is ever lost ---------------------------------------------------------------------

@dataclass
class Screen:
    """A screen driving the Autosaver as the conversation screen does: writes handed to a writer
    thread report later, and only the latest write's report counts (session.is_latest_write)."""

    autosaver: Autosaver
    clock: FakeClock
    version: int = 0  # the text's version; each edit makes a new one
    saved_version: int = 0  # the version the file holds
    out: list[int] = field(default_factory=list)  # versions in writes not yet reported

    def edit(self) -> None:
        self.version += 1
        if self.autosaver.edited() and self.autosaver.painted():
            self.hand()

    def hand(self) -> None:
        with self.autosaver.writing():
            self.out.append(self.version)

    def report(self, ok: bool) -> None:
        """The oldest write out reports; stale reports (a newer write is out) are ignored."""
        version = self.out.pop(0)
        if self.out:
            if ok:
                self.saved_version = max(self.saved_version, version)
            return
        if ok:
            self.saved_version = max(self.saved_version, version)
            self.autosaver.saved()
        else:
            self.autosaver.failed()

    def flush(self, ok: bool) -> None:
        """Stage change or quit: written at once, and waited for."""
        with self.autosaver.writing():
            pass
        if ok:
            self.out.clear()  # the file now holds everything; the writer's reports are older
            self.saved_version = self.version
            self.autosaver.saved()
        else:
            self.autosaver.failed()

    def covered(self) -> bool:
        return self.saved_version == self.version

    def in_a_write_out(self) -> bool:
        return bool(self.out) and max(self.out) == self.version


step = st.one_of(
    st.tuples(st.just("edit"), st.none()),
    st.tuples(st.just("wait"), st.sampled_from([0.01, 0.05, 0.15, 0.3, 1.1])),
    st.tuples(st.just("tick"), st.none()),
    st.tuples(st.just("report"), st.booleans()),
    st.tuples(st.just("flush"), st.booleans()),
)


@settings(max_examples=300, deadline=None)
@given(steps=st.lists(step, max_size=60), policy=st.sampled_from([NOTES_AUTOSAVE, ACCOUNT_AUTOSAVE]))
def test_an_edit_is_never_lost(steps, policy):
    clock = FakeClock()
    screen = Screen(Autosaver(policy, clock), clock)
    for action, arg in steps:
        if action == "edit":
            screen.edit()
        elif action == "wait":
            clock.advance(arg)
        elif action == "tick":
            if screen.autosaver.due():
                screen.hand()
        elif action == "report" and screen.out:
            screen.report(arg)
        elif action == "flush":
            screen.flush(arg)
        # At every step: the latest edit is in the file, or in a write still out, or the
        # machine holds it as unwritten (so a later write takes it) and never says CLEAN.
        if not screen.covered():
            assert screen.autosaver.state is not CLEAN
            assert screen.autosaver.dirty or screen.in_a_write_out()
    while screen.out:  # every write out reports (any failure leaves the edit unwritten)
        screen.report(False)
    assert screen.autosaver.state in (DIRTY, FAILED) or screen.covered()
    if not screen.covered():
        assert screen.autosaver.dirty
        # and once the disk works again, the timer alone writes it
        clock.advance(policy.retry_s + policy.latest_s)
        assert screen.autosaver.due()
        screen.hand()
        screen.report(True)
        assert screen.covered() and screen.autosaver.state is CLEAN

