"""The type-up screen's recovery question shows the recovered words, by part (issue #19)."""

from __future__ import annotations

from conftest import FrozenClock
from lt_interview.tui.app import make_app
from lt_interview.tui.screens.dialogs import RecoveryScreen


async def test_recovered_type_up_text_is_shown(captured, passphrase):
    app = make_app(mode="typeup", path=captured, passphrase=passphrase, clock=FrozenClock())
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("#part-editor")
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.press(*"Zebra", "space", *"crossing")
        await pilot.pause(0.5)
        app.store.close()
        app.store = None  # as if killed: the draft stays
    app = make_app(mode="typeup", path=captured, passphrase=passphrase, clock=FrozenClock())
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        [(part, text)] = app.screen.recovered
        assert text.endswith("Zebra crossing") and part
        assert "Zebra crossing" in str(app.screen.query_one("#recovered").render())
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+q")
