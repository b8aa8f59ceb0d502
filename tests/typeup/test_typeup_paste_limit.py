"""The type-up account editor: a paste holding escapes goes in cleaned, and one that would take a
part past the 1,000,000-character limit is refused in one line, the part kept (#18 items 4, 5)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual import events

from lt_interview.domain.text import MAX_TEXT
from lt_interview.tui.app import make_app

pytestmark = pytest.mark.reliability
START = datetime(2026, 2, 20, 9, 0, tzinfo=timezone.utc)


async def test_account_editor_cleans_pastes_and_refuses_oversized_ones(captured, passphrase):
    app = make_app(mode="typeup", path=captured, passphrase=passphrase, clock=lambda: START)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("#part-editor")
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.pause()
        before = editor.text
        app.post_message(events.Paste(" A\x1b\x0cB\x1b]0;T\x07"))
        await pilot.pause()
        assert editor.text == before + " AB]0;T"
        app.post_message(events.Paste("word " * (MAX_TEXT // 5 + 1)))
        await pilot.pause()
        assert editor.text == before + " AB]0;T"
        assert any("Not pasted" in n.message for n in app._notifications)
        assert app.is_running
        await pilot.press("ctrl+q")
