"""Type-up core: pre-filled account, lifecycle through every state, frozen agreed version,
writing checks and per-section differences. Every assertion reads the database back."""

from __future__ import annotations

from datetime import date

import pytest

from lt_interview.domain.names import find_guarded_names

from conftest import open_conversation
from lt_interview.domain.account import account_id_for
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import Conversation, Note
from lt_interview.errors import LifecycleError
from lt_interview.storage.lookups import name_guard_digests
from lt_interview.typeup import checks, service
from lt_interview.domain.account_parts import set_text
from lt_interview.typeup.render import diff_accounts, plain_sections


def test_account_is_prefilled_from_captured_records(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        state = service.load(store)
        assert state.revision is None  # nothing written until the first save
        account = state.account
        assert [e.title for e in account.episodes] == ["Small bruise seen at the 8-month review",
                                                      "Missed visit in July"]
        # What the practitioner said about each episode is in the notes, for the reviewer to type
        # up; the live capture gives each episode its title (and factors), not its wording.
        assert account.episodes[0].why_it_made_sense == ""
        assert any("Bruising guidance" in note.text and note.episode_id == account.episodes[0].source_id
                   for _, note in store.records(Note))
        assert [f.heading_id for f in account.episodes[0].factors] == ["family", "conditions"]
        assert account.episodes[1].factors[0].text == "Did not know about the police call-out."
        assert "10:06" not in account.overview and "Took over the family" in account.overview
        service.ensure_saved(store)
    with open_conversation(captured, passphrase) as store:
        rows = store.conn.execute("SELECT count(*) FROM revision WHERE kind = 'account'").fetchone()[0]
        assert rows == 1
        assert store.get(account_id_for(store.meta("conversation_id"))).record.episodes[0].factors


def _status(store) -> Conversation:
    return store.get(store.meta("conversation_id")).record


def test_every_lifecycle_state_and_frozen_agreed_version(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        state = service.ensure_saved(store)
        service.send_for_checking(store, date(2026, 2, 3))
        assert _status(store).status == Status.SENT_FOR_CHECKING
        service.comments_received(store, date(2026, 2, 10), comments="The visit was in August, not July.")
        corrected = set_text(service.load(store).account, f"episode:{state.account.episodes[1].part_id}:title",
                             "Missed visit in August")
        service.save(store, corrected)
        service.agree(store, date(2026, 2, 12))
    with open_conversation(captured, passphrase) as store:
        conversation = _status(store)
        assert conversation.status == Status.AGREED
        assert conversation.status_dates["sent_for_checking"] == date(2026, 2, 3)
        assert conversation.status_dates["comments_received"] == date(2026, 2, 10)
        assert conversation.status_dates["agreed"] == date(2026, 2, 12)
        # Sending marked it typed up, but on a day nobody recorded: no date is invented for it.
        assert "typed_up" not in conversation.status_dates
        steps = [(v.status, v.on) for _, v in service.versions(store)]
        assert [s for s, _ in steps] == ["sent_for_checking", "comments_received", "agreed"]
        sent, agreed, sent_v, agreed_v = service.sent_and_agreed(store)
        assert sent.episodes[1].title == "Missed visit in July"
        assert agreed.episodes[1].title == "Missed visit in August"
        agreed_revision = agreed_v.revision_ids[0]
        diff = [d for d in diff_accounts(sent, agreed) if d.changed]
        assert len(diff) == 1 and ("+", "Episode 2: Missed visit in August") in diff[0].lines
        # An edit after agreement: a new version, status back to typed up, the agreed one intact.
        edited = set_text(service.load(store).account, "overview", "A later addition.")
        new_revision = service.save(store, edited)
        assert new_revision.revision_id != agreed_revision
    with open_conversation(captured, passphrase) as store:
        assert _status(store).status == Status.TYPED_UP
        assert service.load(store).account.overview == "A later addition."
        kept = service.account_at(store, agreed_revision)
        assert kept.episodes[1].title == "Missed visit in August" and kept.overview != "A later addition."
        assert service.agreed_account(store, store.meta("conversation_id")) == kept
        assert not service.is_agreed(store, store.meta("conversation_id"))
        assert [v.status for _, v in service.versions(store)][-1] == "typed_up"
        with pytest.raises(LifecycleError):
            service.agree(store)  # must go round the check again


def _clock_on(day: date):
    from datetime import datetime, timezone

    return lambda: datetime(day.year, day.month, day.day, 12, 0, tzinfo=timezone.utc)


def test_lifecycle_dates_refused_in_the_future_or_out_of_order(captured, passphrase):
    with open_conversation(captured, passphrase, clock=_clock_on(date(2026, 2, 20))) as store:
        with pytest.raises(LifecycleError, match="1 January 2030 is in the future"):
            service.send_for_checking(store, date(2030, 1, 1))
        assert _status(store).status == Status.IN_PROGRESS  # nothing recorded
        service.send_for_checking(store, date(2026, 2, 10))
        with pytest.raises(LifecycleError, match="before the conversation was sent for checking"):
            service.agree(store, date(2026, 2, 9))  # agreed before it was sent
        with pytest.raises(LifecycleError, match="before"):
            service.comments_received(store, date(2026, 1, 31))
        with pytest.raises(LifecycleError, match="in the future"):
            service.agree(store, date(2026, 2, 21))
        service.agree(store, date(2026, 2, 10))  # the same day is fine
    with open_conversation(captured, passphrase) as store:
        conversation = _status(store)
        assert conversation.status == Status.AGREED
        # held and typed up were passed over: their dates stay unknown, never the later date
        assert conversation.status_dates == {"sent_for_checking": date(2026, 2, 10), "agreed": date(2026, 2, 10)}
        assert [v.status for _, v in service.versions(store)] == ["sent_for_checking", "agreed"]


def test_typed_up_cannot_be_dated_before_the_conversation_was_held(captured, passphrase):
    with open_conversation(captured, passphrase, clock=_clock_on(date(2026, 2, 20))) as store:
        conversation_id, conversation = service.conversation_of(store)
        store.put(conversation.model_copy(update={"held_on": date(2026, 2, 5)}), conversation_id)
        with pytest.raises(LifecycleError, match="before the conversation was held .5 February 2026."):
            service.mark_typed_up(store, date(2026, 2, 4))
        service.mark_typed_up(store, date(2026, 2, 6))
        assert _status(store).status_dates == {"typed_up": date(2026, 2, 6)}


def test_dates_as_british_users_write_them():
    from lt_interview.domain.lifecycle import parse_step_date, show_date
    from lt_interview.errors import BadInput

    assert parse_step_date("24/11/2026") == date(2026, 11, 24)
    assert parse_step_date(" 2026-11-24 ") == date(2026, 11, 24)
    assert parse_step_date("3/2/2026") == date(2026, 2, 3)
    assert show_date(date(2026, 11, 24)) == "24 November 2026"
    for bad in ("31/02/2026", "11/24/2026", "tomorrow", ""):
        with pytest.raises(BadInput, match="is not a date"):
            parse_step_date(bad)


def test_agree_refused_before_sending(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        with pytest.raises(LifecycleError):
            service.agree(store)
        assert store.conn.execute("SELECT count(*) FROM revision WHERE kind = 'account_version'").fetchone()[0] == 0


def test_judging_wording_and_real_names_are_flagged_without_naming(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        account = set_text(service.load(store).account, "overview",
                           "She failed to ring.\nIt was obviously a bruise; Amber Tenterden was there.")
        notices = checks.all_notices(store, account)
    wording = [n for n in notices if n.kind == "wording"]
    names = [n for n in notices if n.kind == "name"]
    assert [(n.start, n.end) for n in wording] == [(4, 13), (27, 36)]
    assert len(names) == 2 and all("Amber" not in n.message and "Tenterden" not in n.message for n in names)
    assert names[0].message.startswith("Overview, line 2 column 28")
    clean = checks.judging_spans("The errand was done; terror of faultless blamelessness.")
    assert clean == []


def test_lines_marked_as_from_the_reviewers_get_a_reminder(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        account = set_text(service.load(store).account, "overview",
                           "Took over in spring.\n(from the reviewers) The police were called in May.")
        notices = [n for n in checks.all_notices(store, account) if n.kind == "reviewers"]
    assert len(notices) == 1 and notices[0].message.startswith("Overview, line 2: the notes mark this")
    assert (notices[0].start, notices[0].end) == (21, 41)


def test_plain_sections_have_no_ids(typed_up, passphrase):
    import re

    with open_conversation(typed_up, passphrase) as store:
        account = service.load(store).account
    text = "\n".join(line for s in plain_sections(account) for line in [s.title, *s.lines()])
    assert "Why it made sense to you at the time: Bruising guidance" in text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)
    assert "inter_agency" not in text


def test_name_guard_catches_possessives_and_joined_names(captured, passphrase):
    with open_conversation(captured, passphrase) as store:
        digests, review_id = name_guard_digests(store), store.review_id
    assert find_guarded_names("Bryn's car; Tenterden-Castellan family; Brynmor", review_id, digests) == [
        (0, 4), (12, 21), (22, 31)]
