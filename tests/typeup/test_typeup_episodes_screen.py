"""The type-up screen's episode actions typed through their keys at 80x24 (issue #17): date an
episode (with how the date reads), combine the two copies of one episode, split, move and delete
one (asked first), each saved as a new revision; checked in the file."""

from __future__ import annotations

from datetime import date, datetime, timezone

from conftest import FrozenClock, open_conversation
from lt_interview.domain.account import account_id_for
from lt_interview.domain.models import Episode
from lt_interview.tui.app import make_app
from lt_interview.typeup import service

SIZE = (80, 24)
START = datetime(2026, 2, 20, 9, 0, tzinfo=timezone.utc)


def _app(path, passphrase):
    return make_app(mode="typeup", path=path, passphrase=passphrase, clock=FrozenClock(START))


def _screen_text(app) -> str:
    import html
    import re

    rows: dict[float, list[str]] = {}
    for y, body in re.findall(r'<text [^>]*?y="([0-9.]+)"[^>]*>(.*?)</text>', app.export_screenshot(), re.S):
        rows.setdefault(float(y), []).append(html.unescape(body).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items()))


def _add_third_episode(path, passphrase) -> None:
    """A duplicate of episode 1, as the other reviewer's copy captured it."""
    with open_conversation(path, passphrase) as store:
        conversation_id = store.meta("conversation_id")
        first = min(store.records(Episode, conversation_id), key=lambda e: e[1].position)[1]
        store.put(Episode(conversation_id=conversation_id, title=first.title + " (notetaker)",
                          did="Wrote it up the same afternoon.", felt=first.felt, position=9))


def _revisions(app) -> int:
    store = app.store  # the file the screen holds open
    return len(store.history(account_id_for(store.meta("conversation_id"))))


async def _go(pilot, key: str) -> None:
    screen = pilot.app.screen
    screen.go_to(key)
    parts = screen.query_one("#parts")
    parts.highlighted = parts.get_option_index(key)
    screen.query_one("#part-editor").focus()
    await pilot.pause()


def _episode_key(screen, number: int, field: str) -> str:
    return f"episode:{screen.account.episodes[number - 1].part_id}:{field}"


async def test_date_combine_move_split_and_delete_through_the_keys(captured, passphrase):
    _add_third_episode(captured, passphrase)
    app = _app(captured, passphrase)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        titles = [e.title for e in screen.account.episodes]
        assert len(titles) == 3
        # Date episode 2, seeing how it reads.
        await _go(pilot, _episode_key(screen, 2, "when"))
        editor = screen.query_one("#part-editor")
        editor.load_text("")
        await pilot.pause()
        await pilot.press(*"early", "space", *"March", "space", *"2025")
        await pilot.pause(0.3)
        assert "Read as 1 to 10 March 2025." in _screen_text(app)
        # Combine episode 3 (the notetaker's copy) with episode 1, through the episode menu.
        await _go(pilot, _episode_key(screen, 3, "did"))
        before = _revisions(app)
        await pilot.press("f12")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceScreen"
        await pilot.press("enter")  # the menu's first entry: Combine episodes
        await pilot.pause()
        assert "with which episode" in _screen_text(app)
        await pilot.press("enter")  # episode 1
        await pilot.pause(0.3)
        assert len(screen.account.episodes) == 2
        assert _revisions(app) > before
        # Move episode 2 up (Shift+F5), then split episode 1's "What they did" at the cursor.
        await _go(pilot, _episode_key(screen, 2, "title"))
        await pilot.press("shift+f5")
        await pilot.pause(0.3)
        assert [e.title for e in screen.account.episodes][0] == titles[1]
        await _go(pilot, _episode_key(screen, 1, "did"))
        screen.query_one("#part-editor").load_text("")
        await pilot.press(*"Rang the GP.", "space", *"Then wrote to the nursery.")
        await pilot.pause(0.3)
        text = screen.query_one("#part-editor").text
        assert text == "Rang the GP. Then wrote to the nursery."
        cut = len(text) // 2
        cut = text.index(" ", cut) + 1 if " " in text[cut:] else cut
        screen.query_one("#part-editor").move_cursor(screen.query_one("#part-editor").document.get_location_from_index(cut))
        await pilot.press("shift+f2")
        await pilot.pause(0.3)
        assert len(screen.account.episodes) == 3
        assert screen.current_key == _episode_key(screen, 2, "title")
        assert screen.account.episodes[0].did == text[:cut].rstrip()
        assert screen.account.episodes[1].did == text[cut:].strip() != ""
        # Delete the new one: asked first; Esc keeps it, then Yes deletes it.
        await pilot.press("shift+f4")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.account.episodes) == 3
        await pilot.press("shift+f4")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert len(screen.account.episodes) == 2
        await pilot.press("ctrl+q")

    with open_conversation(captured, passphrase) as store:
        state = service.load(store)
        account = state.account
        assert not state.added  # the combined duplicate is not brought back from the captures
        assert [e.title for e in account.episodes][0] == titles[1]
        assert account.episodes[0].when == "early March 2025"
        combined = account.episodes[1]
        assert titles[0] in combined.title and "(notetaker)" in combined.title  # both kept, marked
        assert "Wrote it up the same afternoon." in combined.did
        assert store.draft(state.account_id) is None  # every change sealed into a revision


async def test_episode_keys_away_from_an_episode_say_so_and_change_nothing(captured, passphrase):
    app = _app(captured, passphrase)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.current_key == "overview"
        before = app.screen.account.model_dump()
        for key in ("shift+f3", "shift+f4", "shift+f5", "f12"):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == "TypeUpScreen"
        assert app.screen.account.model_dump() == before
        assert "Choose a part of an episode" in "".join(n.message for n in app._notifications)
        await pilot.press("ctrl+q")


async def test_reshaping_an_agreed_account_asks_and_starts_a_new_version(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        service.ensure_saved(store)
        service.send_for_checking(store, date(2026, 2, 3))
        agreed = service.agree(store, date(2026, 2, 9))
    app = _app(captured, passphrase)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await _go(pilot, _episode_key(screen, 2, "title"))
        await pilot.press("shift+f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmEditScreen"
        await pilot.press("tab", "enter")  # Edit
        await pilot.pause(0.3)
        await pilot.press("ctrl+q")
    with open_conversation(captured, passphrase) as store:
        kept = service.account_at(store, agreed.revision_ids[0])
        now = service.load(store).account
        assert [e.part_id for e in now.episodes] == [e.part_id for e in reversed(kept.episodes)]
        assert not service.is_agreed(store, now.conversation_id)
