"""Autosave, flush triggers, failed writes, crash handling and recovery (RELIABILITY.md §4, §5.3)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from textual import events

from lt_interview.conversation.autosave import NOTES_AUTOSAVE
from lt_interview.domain.models import Note
from lt_interview.errors import SaveFailed
from lt_interview.paths import log_dir
from lt_interview.tui.screens import conversation as conversation_module
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import RecoveryScreen

from tui_helpers import conversation_app, open_file, type_text

READY = ("down", "enter")  # choose the second reviewer when asked who takes notes


def draft_text(app) -> str | None:
    row = app.store.conn.execute("SELECT body FROM draft WHERE kind = 'note'").fetchone()
    return Note.model_validate_json(row[0]).text if row else None


async def start(app, pilot):
    await pilot.pause()
    await pilot.press(*READY)
    await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    return app.screen


async def test_draft_written_within_a_quarter_second_of_typing(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await type_text(pilot, "first words")
        await pilot.pause(0.3)
        assert draft_text(app) == "14:05 first words"
        assert str(screen.status.render()) == "Saved"
        await type_text(pilot, " and more")
        await pilot.pause(0.3)
        assert draft_text(app) == "14:05 first words and more"
        await pilot.press("ctrl+q")


async def test_focus_loss_and_stage_change_flush_at_once(conversation_file, clock, monkeypatch):
    # The timer never flushes here.
    monkeypatch.setattr(conversation_module, "NOTES_AUTOSAVE", replace(NOTES_AUTOSAVE, throttle_s=float("inf")))
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await type_text(pilot, "typed before the window lost focus")
        await pilot.pause(0.1)
        assert draft_text(app) is None
        app.post_message(events.AppBlur())
        await pilot.pause()
        assert draft_text(app) == "14:05 typed before the window lost focus"
        app.post_message(events.AppFocus())
        await pilot.pause()
        await type_text(pilot, " then moved on")
        await pilot.press("f5")  # stage change: flushed and sealed
        assert draft_text(app) is None
        notes = {n.stage_id: n.text for _, n in app.store.records(Note, screen.session.conversation_id)}
        assert notes["introduction"].endswith("then moved on")
        await pilot.press("ctrl+q")


async def test_failed_write_is_loud_and_retried(conversation_file, clock, monkeypatch):
    monkeypatch.setattr(conversation_module, "NOTES_AUTOSAVE", replace(NOTES_AUTOSAVE, retry_s=0.05))
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        real = app.store._write_draft
        calls = []

        def broken(row):
            calls.append(threading.current_thread().name)
            raise SaveFailed("disk full")

        app.store._write_draft = broken  # every draft commit, on whichever thread, fails
        await type_text(pilot, "while the disk is full")
        await pilot.pause(0.3)
        assert calls and str(screen.status.render()) == "NOT SAVED - retrying"
        assert set(calls) == {"lt-interview autosave"}  # the UI thread never waited for the disk
        assert len(calls) >= 2  # retried
        assert any("could not be saved" in n.message for n in app._notifications)
        app.store._write_draft = real
        await pilot.pause(0.3)
        assert str(screen.status.render()) == "Saved"
        assert draft_text(app) == "14:05 while the disk is full"
        await pilot.press("ctrl+q")


async def test_time_stamp_after_a_pause(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await type_text(pilot, "one\n")
        clock.advance(20)
        await type_text(pilot, "two\n")
        clock.advance(125)
        await type_text(pilot, "three")
        assert screen.query_one("#notes").text == "14:05 one\ntwo\n14:07 three"
        await pilot.press("ctrl+q")


async def test_crash_saves_reports_without_text_and_recovery_offers_keep(conversation_file, clock, monkeypatch, capsys):
    secret = "a sentence the practitioner said"

    def boom(self):
        raise RuntimeError(f"failure quoting {secret}")

    monkeypatch.setattr(ConversationScreen, "action_checklist", boom)
    app = conversation_app(conversation_file, clock)
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await start(app, pilot)
            await type_text(pilot, secret)
            await pilot.press("ctrl+l")
            await pilot.pause()
    assert app.return_code == 1 and app.crash_id
    reports = list(log_dir().glob("crash-*.txt"))
    assert len(reports) == 1 and app.crash_id in reports[0].name
    assert secret not in reports[0].read_text()
    shown = capsys.readouterr()
    assert app.crash_id in shown.err and secret not in shown.err + shown.out
    assert "Traceback" not in shown.err
    with open_file(conversation_file) as store:  # the draft reached the disk before the exit
        assert [d[1].text for d in store.pending_drafts()] == [f"14:05 {secret}"]

    monkeypatch.undo()
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert "Recovered unsaved text from 14:05" in str(app.screen.query_one(".title").render())
        await pilot.press("k")
        await pilot.pause()
        assert secret in app.screen.query_one("#notes").text
        await pilot.press("ctrl+q")
    with open_file(conversation_file) as store:
        assert store.pending_drafts() == []
        assert [n.text for _, n in store.records(Note)] == [f"14:05 {secret}"]


async def test_recovery_discard_keeps_text_only_in_history(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await start(app, pilot)
        await type_text(pilot, "sealed words\n")
        await pilot.press("f5", "shift+f5")  # seal
        await type_text(pilot, "draft words")
        await pilot.pause(0.3)
        app.store.close()
        app.store = None  # as if killed: the draft stays unsealed
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("d")
        await pilot.pause()
        assert "draft words" not in app.screen.query_one("#notes").text
        await pilot.press("ctrl+q")
    with open_file(conversation_file) as store:
        notes = store.records(Note)
        assert len(notes) == 1, [(n.stage_id, n.text) for _, n in notes]
        (record_id, note), = notes
        assert "draft words" not in note.text and "sealed words" in note.text
        assert any("draft words" in rev.record().text for rev in store.history(record_id))


async def test_saved_shows_once_typing_pauses(conversation_file, clock, monkeypatch):
    """A write's report does not flip the corner to "Saved" between two keys; the pause does,
    and only once the write is in the file."""
    # A typist who has not paused yet.
    monkeypatch.setattr(conversation_module, "NOTES_AUTOSAVE", replace(NOTES_AUTOSAVE, pause_s=30.0))
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await type_text(pilot, "still typing")
        screen.flush(force=True)  # written and reported now, mid-typing
        await pilot.pause()
        assert draft_text(app) == "14:05 still typing"
        assert str(screen.status.render()) == "Saving…"
        screen.autosave.last_edit -= 31.0  # the typist pauses
        await pilot.pause(0.2)  # a tick or more
        assert str(screen.status.render()) == "Saved"
        await pilot.press("ctrl+q")
