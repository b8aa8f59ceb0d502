"""Pilot tests of the type-up screen: type up a captured conversation, link excerpts, move it
through every lifecycle state, reopen, and assert on the database; snapshots of the screen and
of the differences view."""

from __future__ import annotations

from datetime import date, datetime, timezone

from conftest import FrozenClock, open_conversation
from lt_interview.domain.account import account_id_for
from lt_interview.domain.lifecycle import Status
from lt_interview.tui.app import make_app
from lt_interview.typeup import service

SIZE = (140, 40)
START = datetime(2026, 2, 20, 9, 0, tzinfo=timezone.utc)  # after every date the tests record


def _app(path, passphrase, clock=None):
    return make_app(mode="typeup", path=path, passphrase=passphrase, clock=clock or FrozenClock(START))


async def _type(pilot, text: str) -> None:
    names = {" ": "space", ".": "full_stop", ",": "comma", "'": "apostrophe", "\n": "enter"}
    await pilot.press(*[names.get(ch, ch) for ch in text])


async def _to_end(pilot) -> None:
    editor = pilot.app.screen.query_one("#part-editor")
    editor.focus()
    editor.move_cursor(editor.document.end)
    await pilot.pause()


async def _lifecycle(pilot, key: str, when: str, comments: str | None = None) -> None:
    await pilot.press(key)
    await pilot.pause()
    pilot.app.screen.query_one("#date-text").value = when
    await pilot.press("enter")
    await pilot.pause()
    if comments is not None:
        pilot.app.screen.query_one("#prompt-text").load_text(comments)
        await pilot.press("ctrl+s")
        await pilot.pause()


async def test_type_up_link_lifecycle_reopen(captured, passphrase):
    app = _app(captured, passphrase)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.pause()
        # type into the overview (pre-filled from the notes)
        await _to_end(pilot)
        await _type(pilot, " She knew the family well.")
        await pilot.pause(0.3)
        # link a raw-note excerpt to the overview
        raw = screen.query_one("#raw-notes")
        text = raw.text
        start = text.index("Mr B often at visits")
        doc = raw.document
        raw.selection = (doc.get_location_from_index(start),
                         doc.get_location_from_index(start + len("Mr B often at visits")))
        await pilot.press("f3")
        await pilot.pause()
        # move to episode 2's "What they did" and correct it
        key = next(k for k in screen.keys if k.endswith(":did") and k != screen.keys[0]
                   and screen._part(k).section_title.startswith("Episode 2"))
        screen.go_to(key)
        await pilot.pause()
        editor = screen.query_one("#part-editor")
        editor.focus()
        await _to_end(pilot)
        await _type(pilot, " Left a card.")
        await pilot.pause(0.3)
        await _lifecycle(pilot, "f8", "2026-02-03")
        await _to_end(pilot)
        await _type(pilot, " Rang later.")
        await pilot.pause(0.3)
        await _lifecycle(pilot, "f9", "2026-02-10", "Please add that I rang later.")
        await _lifecycle(pilot, "f10", "2026-02-12")
        await pilot.press("f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "DifferencesScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+q")

    with open_conversation(captured, passphrase) as store:
        conversation = store.get(store.meta("conversation_id")).record
        assert conversation.status == Status.AGREED
        assert conversation.status_dates["sent_for_checking"] == date(2026, 2, 3)
        assert conversation.status_dates["comments_received"] == date(2026, 2, 10)
        assert conversation.status_dates["agreed"] == date(2026, 2, 12)
        steps = [v for _, v in service.versions(store)]
        assert [v.status for v in steps] == ["sent_for_checking", "comments_received", "agreed"]
        assert steps[1].comments == "Please add that I rang later."
        sent, agreed, _, agreed_v = service.sent_and_agreed(store)
        assert sent.overview.endswith("She knew the family well.")
        assert sent.episodes[1].did.endswith("Left a card.")
        assert agreed.episodes[1].did.endswith("Left a card. Rang later.")
        [link] = agreed.links
        assert link.excerpt == "Mr B often at visits" and link.part == "overview"
        note = store.get(link.note_id).record
        assert note.text[link.start:link.end] == "Mr B often at visits"
        assert store.draft(account_id_for(conversation.practitioner_id and store.meta("conversation_id"))) is None
        agreed_revision = agreed_v.revision_ids[0]

    # reopen, edit after agreement (confirmed): a new version; the agreed one stays as it was
    app = _app(captured, passphrase)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.account.episodes[1].did.endswith("Rang later.")
        await _to_end(pilot)
        await _type(pilot, " ")
        assert type(app.screen).__name__ == "ConfirmEditScreen"
        await pilot.press("tab", "enter")  # Edit
        await pilot.pause()
        await _type(pilot, " Later addition.")
        await pilot.pause(0.3)
        await pilot.press("ctrl+q")
    with open_conversation(captured, passphrase) as store:
        assert store.get(store.meta("conversation_id")).record.status == Status.TYPED_UP
        assert service.load(store).account.overview.endswith("Later addition.")
        kept = service.account_at(store, agreed_revision)
        assert not kept.overview.endswith("Later addition.")
        assert service.latest_version(store, "agreed").revision_ids == [agreed_revision]


async def test_reminders_are_gentle_and_never_show_the_real_name(captured, passphrase):
    app = _app(captured, passphrase)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _to_end(pilot)
        await _type(pilot, " She should have seen Bryn.")
        await pilot.pause(0.3)
        notices = str(app.screen.query_one("#notices").render())
        assert "should have" in notices and "real name" in notices
        assert "Bryn" not in notices
        await pilot.press("ctrl+q")
    with open_conversation(captured, passphrase) as store:
        assert service.load(store).account.overview.endswith("should have seen Bryn.")  # never blocked


async def test_find_moves_to_the_matching_part(typed_up, passphrase):
    app = _app(typed_up, passphrase)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f")
        await _type(pilot, "rebooked")
        await pilot.press("enter")
        await pilot.pause()
        part = app.screen._part(app.screen.current_key)
        assert part.label == "What they did" and "Rebooked" in part.text
        assert app.screen.query_one("#part-editor").selected_text == "Rebooked"
        await pilot.press("escape", "ctrl+q")


def _snapshot_file(captured, passphrase):
    """The captured conversation sent, corrected and agreed, with fixed dates."""
    with open_conversation(captured, passphrase, clock=FrozenClock(START)) as store:
        state = service.ensure_saved(store)
        service.send_for_checking(store, date(2026, 2, 3))
        service.comments_received(store, date(2026, 2, 10))
        episode = state.account.episodes[1]
        fixed = state.account.model_copy(deep=True)
        fixed.episodes[1].title = "Missed visit in early August"
        fixed.episodes[1].did = episode.did + " Rang the GP the same week."
        service.save(store, fixed)
        service.agree(store, date(2026, 2, 12))


def test_snapshot_typeup_screen(typed_up, passphrase, snap_compare):
    _snapshot_file(typed_up, passphrase)
    app = _app(typed_up, passphrase)
    assert snap_compare(app, terminal_size=SIZE)


def test_snapshot_differences_view(typed_up, passphrase, snap_compare):
    _snapshot_file(typed_up, passphrase)
    app = _app(typed_up, passphrase)
    assert snap_compare(app, press=["f4"], terminal_size=SIZE)


def test_snapshot_typeup_screen_80x24(typed_up, passphrase, snap_compare):
    _snapshot_file(typed_up, passphrase)
    app = _app(typed_up, passphrase)
    assert snap_compare(app, terminal_size=(80, 24))
