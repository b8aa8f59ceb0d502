"""Helpers shared by the TUI tests."""

from __future__ import annotations

from pathlib import Path

from lt_interview.storage.store import CONVERSATION, Store
from lt_interview.tui.app import make_app

from lt_interview.demo import data as demo_data

SECRET = demo_data.DEMO_PASSPHRASE
CANARY = "CHRONOLOGY-CANARY police attended a disturbance at the address"


def conversation_app(path: Path, clock, **kwargs):
    return make_app(mode="converse", path=path, passphrase=SECRET, clock=clock, **kwargs)


def open_file(path: Path) -> Store:
    return Store.open(path, SECRET, expect_kind=CONVERSATION)


async def type_text(pilot, text: str) -> None:
    """Type into the focused widget as the terminal driver would, one key event per character,
    without the pilot's per-key wait (which makes long texts slow); then let everything settle."""
    from textual import events

    target = pilot.app.screen.focused
    for char in text:
        key = {" ": "space", "\n": "enter"}.get(char, char)
        target.post_message(events.Key(key, None if char == "\n" else char))
    await pilot.pause()


def rendered(app) -> str:
    """Everything on screen now as plain lines of text, read back from the SVG screenshot."""
    import html
    import re

    lines: dict[float, list[str]] = {}
    for y, body in re.findall(r'<text [^>]*?y="([0-9.]+)"[^>]*>(.*?)</text>', app.export_screenshot(), re.S):
        lines.setdefault(float(y), []).append(html.unescape(body).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items()))


async def open_conversation_screen(app, pilot):
    """Past the 'who is writing' question, if asked, to the conversation screen."""
    from lt_interview.tui.screens.conversation import ConversationScreen
    from lt_interview.tui.screens.dialogs import ChoiceScreen

    await pilot.pause()
    if isinstance(app.screen, ChoiceScreen):
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    return app.screen
