"""`lt-interview typeup --status`: counts read as English, dates as users write them."""

from __future__ import annotations

from datetime import date, datetime, timezone

from conftest import open_conversation
from lt_interview.commands.typeup import _count, status_lines
from lt_interview.typeup import service
from lt_interview.domain.account_parts import set_text


def test_status_lines_pluralise_and_show_dates_in_words(captured, passphrase):
    clock = lambda: datetime(2026, 2, 20, 12, 0, tzinfo=timezone.utc)  # noqa: E731
    with open_conversation(captured, passphrase, clock=clock) as store:
        account = service.ensure_saved(store).account
        service.save(store, set_text(account, "overview", "Word"))
        service.send_for_checking(store, date(2026, 2, 3))
        lines = status_lines(store)
    episodes = len(account.episodes)
    assert any(line.startswith(f"Account: saved, {_count(episodes, 'episode')}, ") for line in lines)
    assert _count(1, "episode") == "1 episode" and _count(2, "word") == "2 words"
    assert "  Sent for checking: 3 February 2026" in lines
    assert "  version 1: sent for checking on 3 February 2026" in lines
