"""U1/U2: 500 generated adversarial strings through the widgets that show user text. Each is
shown exactly as typed (after the sanitiser), nothing raises, and no action fires."""

from __future__ import annotations

import random

import pytest

from lt_interview.domain.models import Episode, Note, Quote, Reviewer
from lt_interview.domain.text import clean_text
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.widgets.capture_list import SHOWN_CHARS, CaptureList

from tui_helpers import conversation_app, open_file, rendered

pytestmark = pytest.mark.reliability

FRAGMENTS = [
    "[", "]", "[/]", "[/", "[b]", "[bold red]", "[@click=app.quit]", "[@click=screen.capture('quote')]",
    "[link=file:///etc/passwd]", "[/link]", "\\", "\\[", "$", "${x}", "{x}", "%s", "\x1b[2J", "\x1b]0;t\x07",
    "\x9b31m", "\x07", "\x00", "\r", "\t", "\u202e", "\u200b", "é", "記録", "👶🏽", "ﷺ", "Z̤͔ͧ̑", "a" * 40,
    "[on #ff0000]", ":warning:", "&lt;b&gt;", "<script>", "=cmd|' /C calc'!A0", " ", "'", '"',
]


def adversarial(count: int, seed: int = 500) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.3:
            text += "\\"  # a trailing backslash, which rich.markup.escape would double
        out.append(text)
    return out


STRINGS = adversarial(500)


def seed(path) -> None:
    with open_file(path) as store:
        conversation_id = store.meta("conversation_id")
        reviewer_id = store.records(Reviewer)[0][0]
        current = store.get(conversation_id)
        store.put(current.record.model_copy(update={"notetaker_id": reviewer_id}), conversation_id)
        store.put(Note(conversation_id=conversation_id, stage_id="introduction", author_id=reviewer_id,
                       text="\n".join(STRINGS)))
        for text in STRINGS:
            if clean_text(text).strip():
                store.put(Quote(conversation_id=conversation_id, text=text))
        store.put(Episode(conversation_id=conversation_id, title=STRINGS[1] or "x"))


async def test_500_adversarial_strings_are_shown_literally(conversation_file, clock):
    seed(conversation_file)
    app = conversation_app(conversation_file, clock)
    fired: list[str] = []
    original = app.run_action

    async def spy(action, *args, **kwargs):
        fired.append(str(action))
        return await original(action, *args, **kwargs)

    app.run_action = spy  # any action smuggled in by markup would pass through here
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        notes = screen.query_one("#notes")
        assert notes.text == clean_text("\n".join(STRINGS))
        captured = screen.query_one(CaptureList)
        quotes = [item for item in captured.items if item.kind == "quote"]
        expected = [clean_text(s) for s in STRINGS if clean_text(s).strip()]
        assert len(quotes) == len(expected)
        for index, (item, text) in enumerate(zip(quotes, expected)):
            prompt = captured.get_option_at_index(captured.items.index(item)).prompt
            body = " ".join(text.split())
            shown = body[:SHOWN_CHARS] + ("…" if len(body) > SHOWN_CHARS else "")
            assert prompt.plain == f"{item.label}\n{shown}", index
        for _ in range(5):  # click where links would be
            await pilot.click(CaptureList, offset=(4, 1))
            await pilot.click("#notes", offset=(6, 2))
        screen_text = rendered(app)
        assert "\x1b" not in screen_text and "\x9b" not in screen_text
        assert app.is_running
    assert not [a for a in fired if "quit" in a or "capture" in a], fired
