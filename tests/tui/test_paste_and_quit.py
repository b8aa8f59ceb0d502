"""Pasting into the notes and quitting when saving fails (#18 items 4 and 5), on the real screen
with Pilot, asserting on the database."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual import events

from lt_interview.conversation.autosave import NOTES_AUTOSAVE
from lt_interview.domain.models import Note
from lt_interview.domain.text import MAX_TEXT
from lt_interview.errors import SaveFailed
from lt_interview.tui.screens import conversation as conversation_module
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.widgets.notes_editor import NotesEditor

from tui_helpers import conversation_app, type_text

pytestmark = pytest.mark.reliability


def draft_text(app) -> str | None:
    row = app.store.conn.execute("SELECT body FROM draft WHERE kind = 'note'").fetchone()
    return Note.model_validate_json(row[0]).text if row else None


async def start(app, pilot) -> ConversationScreen:
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    return app.screen


async def test_a_paste_holding_escapes_and_control_bytes_inserts_literal_text(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        screen.query_one(NotesEditor)  # the notes editor is on screen
        await type_text(pilot, "before ")
        app.post_message(events.Paste("A\x1b\x0cB\x1b\x11 C\x1b[31m D\x1b]52;c;QUFB\x07 E\x00\x7f\x9b"))
        await pilot.pause(0.4)
        assert draft_text(app) == "14:05 before AB C[31m D]52;c;QUFB E"
        assert app.is_running and app.screen is screen  # no quit, no checklist: nothing fired
        await pilot.press("ctrl+q")


async def test_an_oversized_paste_is_refused_in_one_line_and_the_note_kept(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        editor = screen.query_one(NotesEditor)
        await type_text(pilot, "earlier text")
        await pilot.pause(0.4)
        app.post_message(events.Paste("word " * (MAX_TEXT // 5 + 200_000)))  # about 2 MB
        await pilot.pause(0.4)
        assert editor.text == "14:05 earlier text"
        assert draft_text(app) == "14:05 earlier text"
        assert str(screen.status.render()) == "Saved"  # never "NOT SAVED" for ever
        (message,) = [n.message for n in app._notifications if "Not pasted" in n.message]
        assert "\n" not in message and f"{MAX_TEXT:,}" in message
        await type_text(pilot, " and more")  # the editor still works, undo too
        await pilot.press("ctrl+z")
        await pilot.pause(0.4)
        assert app.is_running and app._exception is None
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_a_paste_up_to_the_limit_is_kept(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        editor = screen.query_one(NotesEditor)
        await type_text(pilot, "x")
        room = MAX_TEXT - len(editor.text)
        app.post_message(events.Paste("y" * room))
        await pilot.pause(0.5)
        assert len(editor.text) == MAX_TEXT
        await type_text(pilot, "z")  # one more is refused
        await pilot.pause(0.5)
        assert len(editor.text) == MAX_TEXT and not editor.text.endswith("z")
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert len(draft_text_after(conversation_file)) == MAX_TEXT


def draft_text_after(path) -> str:
    from tui_helpers import open_file

    with open_file(path) as store:
        drafts = [rec.text for _, rec, _ in store.pending_drafts() if isinstance(rec, Note)]
        notes = drafts or [rec.text for _, rec in store.records(Note)]
    return max(notes, key=len)


async def test_quitting_is_possible_while_saving_keeps_failing(conversation_file, clock, monkeypatch):
    monkeypatch.setattr(conversation_module, "NOTES_AUTOSAVE", replace(NOTES_AUTOSAVE, retry_s=0.05))
    app = conversation_app(conversation_file, clock)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await type_text(pilot, "saved words")
        await pilot.pause(0.4)

        def broken(row):
            raise SaveFailed("disk full")

        app.store._write_draft = broken
        await type_text(pilot, " and words that cannot be saved")
        await pilot.pause(0.3)
        assert str(screen.status.render()) == "NOT SAVED - retrying"
        await pilot.press("ctrl+z")  # undo while saving fails: no crash
        await pilot.pause(0.2)
        assert app._exception is None
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running  # the first press says why, once
        assert any(n.message.startswith("NOT SAVED") and "Ctrl+Q again" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 1
    assert app.refusal and "closed without saving the latest notes" in app.refusal
    assert draft_text_after(conversation_file).startswith("14:05 saved words")
