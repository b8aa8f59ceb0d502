"""Autosave writes between keys: just after the frame showing a key, or once the keys pause
(lt_interview/tui/screens/conversation_notes.py; keystroke budget of issue 7)."""

from __future__ import annotations

import time
from dataclasses import replace

from lt_interview.conversation.autosave import NOTES_AUTOSAVE
from lt_interview.domain.models import Note
from lt_interview.tui.screens import conversation as conversation_module
from lt_interview.tui.screens.conversation import ConversationScreen

from tui_helpers import conversation_app


def draft_text(app) -> str | None:
    row = app.store.conn.execute("SELECT body FROM draft WHERE kind = 'note'").fetchone()
    return Note.model_validate_json(row[0]).text if row else None


async def start(app, pilot) -> ConversationScreen:
    await pilot.pause()
    await pilot.press("down", "enter")  # the second reviewer takes notes
    await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    return app.screen


async def test_a_key_is_written_just_after_its_frame(conversation_file, clock, monkeypatch):
    # The timer never writes here: only the write after the frame can.
    monkeypatch.setattr(conversation_module, "NOTES_AUTOSAVE",
                        replace(NOTES_AUTOSAVE, pause_s=float("inf"), latest_s=float("inf")))
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert draft_text(app) == "14:05 a"
        await pilot.press("b")  # within 150 ms of the last write: not yet
        await pilot.pause()
        assert draft_text(app) == "14:05 a"
        assert screen.dirty
        await pilot.pause(NOTES_AUTOSAVE.throttle_s)
        await pilot.press("c")  # the next key after 150 ms writes both
        await pilot.pause()
        assert draft_text(app) == "14:05 abc"
        assert not screen.dirty
        await pilot.press("ctrl+q")


async def test_the_timer_writes_when_the_keys_pause_or_at_the_latest(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await pilot.press("x")
        await pilot.pause(0.3)
        assert draft_text(app) == "14:05 x"
        screen.autosave.last_write = time.monotonic()  # as if just written: the frame after "y" waits
        screen.query_one("#notes").insert("y")
        await pilot.pause()
        assert draft_text(app) == "14:05 x"
        now = time.monotonic()
        assert screen.dirty
        screen.autosave.last_write = now - 0.2  # past the throttle
        screen.autosave.last_edit = now  # but a key has just come: wait for the next key or a pause
        screen._tick()
        assert draft_text(app) == "14:05 x"
        screen.autosave.last_edit = now - NOTES_AUTOSAVE.pause_s  # the keys paused
        screen._tick()
        assert draft_text(app) == "14:05 xy"
        screen.autosave.last_write = time.monotonic()
        screen.query_one("#notes").insert("z")
        await pilot.pause()
        now = time.monotonic()
        assert screen.dirty
        screen.autosave.last_edit = now  # keys still coming...
        screen.autosave.last_write = now - NOTES_AUTOSAVE.latest_s  # ...but the last write is 250 ms old
        screen._tick()
        assert draft_text(app) == "14:05 xyz"
        await pilot.press("ctrl+q")
