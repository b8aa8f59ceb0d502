"""Full garbage collections wait for a pause in typing (lt_interview/tui/idle_gc.py)."""

from __future__ import annotations

import gc

import pytest

from lt_interview.tui import idle_gc
from lt_interview.tui.idle_gc import IdleCollector
from lt_interview.tui.screens.conversation import ConversationScreen

from tui_helpers import conversation_app


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def promote_something() -> None:
    """Leave objects in the oldest generation, as typing does."""
    keep = [[] for _ in range(100)]
    gc.collect(1)
    assert gc.get_count()[2] > 0
    del keep


def test_collects_only_after_a_quiet_spell(thresholds):
    clock = Clock()
    collector = IdleCollector(quiet_s=1.0, clock=clock)
    promote_something()
    collector.input_seen()
    clock.now += 0.5
    assert not collector.check()  # typing: no full collection
    assert gc.get_count()[2] > 0
    clock.now += 0.6
    assert collector.check()  # a pause: the full collection runs now
    assert gc.get_count()[2] == 0
    assert not collector.check()  # nothing new in the oldest generation: nothing to do
    assert collector.collections == 1


class FakeApp:
    def __init__(self) -> None:
        self.intervals: list[tuple[float, object]] = []

    def set_interval(self, seconds, callback):
        self.intervals.append((seconds, callback))


def test_automatic_full_collections_made_rare_and_restored(thresholds):
    young, middle, oldest = thresholds
    collector = IdleCollector()
    app = FakeApp()
    collector.start(app)
    assert gc.get_threshold() == (young, middle, idle_gc.RARE_FULL)
    assert app.intervals == [(idle_gc.CHECK_S, collector.check)]
    collector.stop()
    assert gc.get_threshold() == thresholds
    collector.stop()
    assert gc.get_threshold() == thresholds


async def test_the_app_holds_full_collections_while_keys_arrive(conversation_file, clock, thresholds):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert gc.get_threshold()[2] == idle_gc.RARE_FULL
        before = app.idle_gc.last_input
        await pilot.press("a", "b", "c")  # through the app, as the terminal driver delivers keys
        assert app.idle_gc.last_input > before  # each key counts as activity
        assert app.screen.query_one("#notes").text.endswith("abc")
        app.idle_gc.last_input -= 10  # as if the notetaker had paused for ten seconds
        promote_something()
        await pilot.pause(idle_gc.CHECK_S * 2 + 0.1)
        assert app.idle_gc.collections >= 1
        await pilot.press("ctrl+q")
    assert gc.get_threshold() == thresholds


def test_jobs_wait_for_a_pause_and_run_once(thresholds):
    clock = Clock()
    collector = IdleCollector(quiet_s=1.0, clock=clock)
    ran = []
    collector.run_when_idle(lambda: ran.append("loaded"))
    collector.input_seen()
    clock.now += 0.5
    collector.check()
    assert ran == []  # still typing
    clock.now += 1.0
    collector.check()
    collector.check()
    assert ran == ["loaded"]


async def test_the_conversation_screen_loads_what_writes_need_at_the_first_pause(conversation_file, clock):
    from lt_interview.domain.lifecycle import Status
    from lt_interview.domain.models import Reviewer

    from tui_helpers import open_file

    with open_file(conversation_file) as store:  # a conversation under way, its notetaker known
        conversation_id = store.meta("conversation_id")
        current = store.get(conversation_id).record
        store.put(current.model_copy(update={"notetaker_id": store.records(Reviewer)[1][0],
                                             "status": Status.IN_PROGRESS}), conversation_id)
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        store = app.screen.session.store
        assert store._db is None  # opening and showing the notes used plain SQL
        app.idle_gc.last_input -= 10  # a pause
        app.idle_gc.check()
        assert store._db is not None  # sqlite-utils ready before the first stage change
        await pilot.press("ctrl+q")


def test_the_collector_paused_for_start_up_comes_back_on_once():
    assert gc.isenabled()
    try:
        idle_gc.pause_for_start_up()
        assert not gc.isenabled()
        idle_gc.pause_for_start_up()  # already off: still one resume turns it back on
        idle_gc.resume_after_start_up()
        assert gc.isenabled()
        gc.disable()  # switched off by someone else: not ours to switch on
        idle_gc.resume_after_start_up()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_first_check_for_a_pause_switches_a_paused_collector_back_on(thresholds):
    collector = IdleCollector(quiet_s=1.0, clock=Clock())
    try:
        idle_gc.pause_for_start_up()
        collector.check()
        assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_collector_paused_for_start_up_is_back_on_once_the_screen_is_ready(
        conversation_file, clock, thresholds):
    idle_gc.pause_for_start_up()
    try:
        app = conversation_app(conversation_file, clock)
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press("down", "enter")  # who is taking notes
            await pilot.pause()
            assert isinstance(app.screen, ConversationScreen) and app.screen.loaded_key is not None
            assert gc.isenabled()
            await pilot.press("ctrl+q")
    finally:
        idle_gc.resume_after_start_up()
        gc.enable()
