"""Find and replace with a pseudonym across the whole account (issue #17, point 5): every part
at once, whole words in any case, a new revision; an agreed version is never changed in place."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from conftest import FrozenClock, open_conversation
from lt_interview.domain.account import Account, AccountEpisode, AccountItem
from lt_interview.domain.lifecycle import Status
from lt_interview.errors import BadInput
from lt_interview.tui.app import make_app
from lt_interview.typeup import service
from lt_interview.domain.account_parts import set_text
from lt_interview.typeup.replace import replace_in

START = datetime(2026, 2, 20, 9, 0, tzinfo=timezone.utc)


def _account() -> Account:
    return Account(conversation_id="c1", overview="Bryn was there. BRYN's car; Brynmor Road.",
                   episodes=[AccountEpisode(title="Visit with Bryn", knew="line one\nasked bryn  castellan")],
                   went_well=[AccountItem(text="Nothing about him.")])


def test_replace_every_part_whole_words_any_case():
    account, count, changed = replace_in(_account(), "Bryn", "Mr B")
    assert count == 4
    assert account.overview == "Mr B was there. Mr B's car; Brynmor Road."
    assert account.episodes[0].title == "Visit with Mr B" and account.episodes[0].knew.endswith("asked Mr B  castellan")
    assert changed == ["Overview in their own words, Overview", "Episode 1: Visit with Bryn, Episode", "Episode 1: Visit with Bryn, What they knew"]
    phrase, count, _ = replace_in(_account(), "bryn castellan", "Mr B")
    assert count == 1 and phrase.episodes[0].knew == "line one\nasked Mr B"
    with pytest.raises(BadInput):
        replace_in(_account(), "  ", "Mr B")
    with pytest.raises(BadInput):
        replace_in(_account(), "Bryn", " ")


def _agreed(path, passphrase) -> str:
    """Agree the typed-up account with "Bryn" in it; return the agreed revision id."""
    with open_conversation(path, passphrase) as store:
        state = service.ensure_saved(store)
        episode = state.account.episodes[1]
        service.save(store, set_text(state.account, f"episode:{episode.part_id}:did", "Rang Bryn to rebook."))
        service.send_for_checking(store, date(2026, 2, 3))
        return service.agree(store, date(2026, 2, 5)).revision_ids[0]


def test_replacing_in_an_agreed_account_starts_a_new_version(typed_up, passphrase):
    agreed_revision = _agreed(typed_up, passphrase)
    with open_conversation(typed_up, passphrase) as store:
        assert service.replace_everywhere(store, "Nobody", "Nobody") == (1, ["Episode 2: Missed visit in July, What they knew"])
        count, changed = service.replace_everywhere(store, "bryn", "Mr B")
        assert count == 1
        assert "Mr B" in service.load(store).account.episodes[1].did
        # The agreed version is untouched; the conversation is typed up again, as a new version.
        assert service.account_at(store, agreed_revision).episodes[1].did == "Rang Bryn to rebook."
        assert store.get(store.meta("conversation_id")).record.status == Status.TYPED_UP
        assert service.versions(store)[-1][1].status == "typed_up"
        assert service.replace_everywhere(store, "Tenterden", "Ms A") == (0, [])


async def test_replace_on_the_type_up_screen(typed_up, passphrase):
    """Ctrl+R, the word, Enter, the pseudonym, Enter: confirmed as a new version of the agreed
    account, and the database holds the pseudonym everywhere, the raw notes unchanged."""
    agreed_revision = _agreed(typed_up, passphrase)
    app = make_app(mode="typeup", path=typed_up, passphrase=passphrase, clock=FrozenClock(START))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"Bryn", "enter")
        await pilot.press("M", "r", "space", "B", "enter")
        await pilot.pause()
        # The account is agreed: editing asks first (Cancel has the focus), and Edit starts a new version.
        await pilot.press("tab", "enter")
        await pilot.pause(0.3)
        await pilot.press("ctrl+q")
    with open_conversation(typed_up, passphrase) as store:
        account = service.load(store).account
        assert account.episodes[1].did == "Rang Mr B to rebook."
        assert "Bryn" not in account.model_dump_json()
        assert service.account_at(store, agreed_revision).episodes[1].did == "Rang Bryn to rebook."
        assert store.get(store.meta("conversation_id")).record.status == Status.TYPED_UP
