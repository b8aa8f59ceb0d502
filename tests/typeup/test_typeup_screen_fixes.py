"""Type-up screen defects from exploratory testing: fast typing keeps every character, an agreed
account is frozen until an edit is confirmed, lifecycle dates are checked in the dialog, every
reminder is reachable, word counts follow the edit, and the screen works at 80x24. Each test
reads the file back, not only the screen."""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone
from pathlib import Path

from textual import events

from conftest import FrozenClock, open_conversation
from lt_interview.domain.account import account_id_for
from lt_interview.domain.lifecycle import Status
from lt_interview.tui.app import make_app
from lt_interview.typeup import service
from lt_interview.domain.account_parts import set_text

START = datetime(2026, 2, 20, 9, 0, tzinfo=timezone.utc)
SENTENCE = ("When I first visited the family in June the baby's cheek had a small mark and the mother "
            "said it came from the cot rails. I made a note, spoke to my manager the next day and we "
            "agreed to see them again within the week as planned.")


def _app(path, passphrase):
    return make_app(mode="typeup", path=path, passphrase=passphrase, clock=FrozenClock(START))


async def _type_fast(pilot, text: str) -> None:
    """One key event per character, posted without pausing (as a terminal delivers a burst)."""
    target = pilot.app.screen.focused
    for char in text:
        target.post_message(events.Key({" ": "space"}.get(char, char), char))
    await pilot.pause()


def _saved(path, passphrase):
    with open_conversation(path, passphrase) as store:
        store.seal_all()
        return service.load(store), store.get(store.meta("conversation_id")).record


def _agreed_file(path, passphrase) -> None:
    with open_conversation(path, passphrase, clock=FrozenClock(START)) as store:
        service.ensure_saved(store)
        service.send_for_checking(store, date(2026, 2, 3))
        service.agree(store, date(2026, 2, 12))


# --- 1. fast typing ------------------------------------------------------------------------


async def test_a_fast_burst_keeps_every_character(captured, passphrase):
    app = _app(captured, passphrase)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f7", "backspace")  # select all, delete: an empty overview
        await pilot.pause(0.3)
        for chunk in range(0, len(SENTENCE), 40):  # bursts with the autosave tick between them
            await _type_fast(pilot, SENTENCE[chunk:chunk + 40])
            await pilot.pause(0.06)
        await pilot.pause(0.3)
        assert app.screen.query_one("#part-editor").text == SENTENCE
        await pilot.press("ctrl+q")
    state, _ = _saved(captured, passphrase)
    assert state.account.overview == SENTENCE


# --- 2. an agreed account is frozen ----------------------------------------------------------


async def test_a_stray_key_in_an_agreed_account_changes_nothing_until_edit_is_confirmed(captured, passphrase):
    _agreed_file(captured, passphrase)
    before, _ = _saved(captured, passphrase)
    app = _app(captured, passphrase)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await _type_fast(pilot, "xyz")
        await pilot.press("backspace", "delete")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmEditScreen"
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "agreed with the practitioner on 12 February 2026" in shown
        assert "new version that will need checking again" in shown
        await pilot.press("escape")  # Cancel
        await pilot.pause(0.3)
        assert screen.query_one("#part-editor").text == before.account.overview
        assert "Agreed (12 February 2026)" in str(screen.query_one("#status").render())
        await pilot.press("ctrl+q")
    after, conversation = _saved(captured, passphrase)
    assert conversation.status == Status.AGREED
    assert after.revision.revision_id == before.revision.revision_id  # nothing new written
    with open_conversation(captured, passphrase) as store:
        assert store.draft(account_id_for(store.meta("conversation_id"))) is None


async def test_confirmed_edit_starts_a_new_version_and_the_status_line_says_so(captured, passphrase):
    _agreed_file(captured, passphrase)
    before, _ = _saved(captured, passphrase)
    app = _app(captured, passphrase)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        editor = screen.query_one("#part-editor")
        editor.move_cursor(editor.document.end)
        await _type_fast(pilot, "!")
        assert type(app.screen).__name__ == "ConfirmEditScreen"
        await pilot.press("tab", "enter")  # Edit
        await pilot.pause()
        assert editor.text == before.account.overview  # the key that asked is not typed
        await _type_fast(pilot, " Added.")
        await pilot.pause(0.3)
        assert "Type-up · Typed up" in str(screen.query_one("#status").render())
        store = app.store  # already written, before quitting
        assert store.get(store.meta("conversation_id")).record.status == Status.TYPED_UP
        await pilot.press("ctrl+q")
    after, conversation = _saved(captured, passphrase)
    assert conversation.status == Status.TYPED_UP
    assert after.account.overview == before.account.overview + " Added."
    with open_conversation(captured, passphrase) as store:
        kept = service.agreed_account(store, store.meta("conversation_id"))
        assert kept.overview == before.account.overview


# --- 3. lifecycle dates --------------------------------------------------------------------------


async def _date(pilot, value: str) -> None:
    pilot.app.screen.query_one("#date-text").value = value
    await pilot.press("enter")
    await pilot.pause()


async def test_dates_are_checked_in_the_dialog(captured, passphrase):
    app = _app(captured, passphrase)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await _date(pilot, "01/01/2030")
        assert type(app.screen).__name__ == "DatePrompt"  # still open, saying why
        assert "1 January 2030 is in the future" in str(app.screen.query_one("#date-error").render())
        await _date(pilot, "next week")
        assert "is not a date" in str(app.screen.query_one("#date-error").render())
        await _date(pilot, "10/02/2026")  # DD/MM/YYYY
        assert type(app.screen).__name__ == "TypeUpScreen"
        await pilot.press("f10")
        await pilot.pause()
        await _date(pilot, "2026-02-09")  # agreed before it was sent
        assert "before the conversation was sent for checking (10 February 2026)" in str(
            app.screen.query_one("#date-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert "Sent for checking (10 February 2026)" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+q")
    _, conversation = _saved(captured, passphrase)
    assert conversation.status == Status.SENT_FOR_CHECKING
    assert conversation.status_dates == {"sent_for_checking": date(2026, 2, 10)}  # no held/typed-up invented


# --- 4. reminders ---------------------------------------------------------------------------------


async def test_every_reminder_is_reachable(captured, passphrase):
    with open_conversation(captured, passphrase, clock=FrozenClock(START)) as store:
        account = service.ensure_saved(store).account
        text = ("Bryn and Amber Tenterden were there; Bryn rang.\nShe failed to ring and should have "
                "seen it; it was obvious.")
        service.save(store, set_text(account, "overview", text))
    app = _app(captured, passphrase)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = str(app.screen.query_one("#notices").render())
        assert "“failed to”, “should have”, “obvious”" in panel  # not crowded out by the names
        assert "real names" in panel and "Bryn" not in panel and "Tenterden" not in panel
        assert "F5" in panel
        await pilot.press("f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "RemindersScreen"
        listed = app.screen.query_one("#reminder-list")
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert sum("real name" in p for p in prompts) == 4 and not any("Bryn" in p for p in prompts)
        assert sum("can read as judging" in p for p in prompts) >= 3
        listed.highlighted = next(i for i, p in enumerate(prompts) if "“obvious”" in p)
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one("#part-editor")
        assert editor.selected_text == "obvious"
        await pilot.press("ctrl+q")


# --- 5. word counts ---------------------------------------------------------------------------------


async def test_word_count_in_the_parts_list_follows_the_edit(captured, passphrase):
    app = _app(captured, passphrase)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f7", "backspace")
        await _type_fast(pilot, "one two three")
        await pilot.pause(0.4)
        parts = app.screen.query_one("#parts")
        prompt = str(parts.get_option("overview").prompt)
        assert "(3 words)" in prompt
        await pilot.press("ctrl+q")
    state, _ = _saved(captured, passphrase)
    assert state.account.overview == "one two three"


# --- 6. 80x24 --------------------------------------------------------------------------------------------


async def test_at_80x24_the_footer_titles_and_editor_fit(captured, passphrase):
    sys.path.insert(0, str(Path(__file__).parent.parent / "tui"))
    from tui_helpers import rendered

    app = _app(captured, passphrase)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen_text = rendered(app)
        footer = screen_text.splitlines()[-1]
        for shown in ("f8 Send", "f10 Agree", "^q Quit", "f1 Help"):
            assert shown in footer, footer
        assert "The practitioner's account" in screen_text
        assert "stage by" not in screen_text
        assert app.screen.query_one("#part-editor").size.height >= 6
        await _type_fast(pilot, "x")
        await pilot.pause(0.3)
        await pilot.press("ctrl+q")
    state, _ = _saved(captured, passphrase)
    assert state.account.overview.startswith("x")
