"""Changing the review settings is one use case (review/settings.py), used by `review set`; a new
review's settings are checked the same way."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lt_interview.cli import main
from lt_interview.errors import BadInput
from lt_interview.review import settings
from lt_interview.review.framework_file import FrameworkFile
from lt_interview.review.settings import change_settings, wanted_changes
from lt_interview.review.setup import create_review
from lt_interview.storage.lookups import review_record
from lt_interview.storage.store import Store


def _audited(store: Store) -> list[dict]:
    rows = store.conn.execute("SELECT detail FROM audit WHERE action = 'review.settings'").fetchall()
    return [json.loads(detail) for (detail,) in rows]


def test_a_change_is_one_audited_revision_naming_only_the_settings(review_path, passphrase):
    with Store.open(review_path, passphrase) as store:
        before = store.count_revisions()
        changed = change_settings(store, {"legal_hold": True, "retain_until": date(2031, 3, 31),
                                          "guiding_question": None})
        assert changed.legal_hold and changed.retain_until == date(2031, 3, 31)
        _, review = review_record(store)
        assert review == changed
        assert store.count_revisions() == before + 1
        assert _audited(store) == [{"changed": ["legal_hold", "retain_until"]}]


def test_nothing_to_change_is_refused_before_the_review_is_opened():
    with pytest.raises(BadInput, match="nothing to change"):
        wanted_changes({"legal_hold": None, "blind_mode": None})


def test_a_bad_value_changes_nothing(review_path, passphrase):
    with Store.open(review_path, passphrase) as store:
        _, before = review_record(store)
        with pytest.raises(BadInput, match="^review settings: "):
            change_settings(store, {"review_type": "no such type"})
        assert review_record(store)[1] == before
        assert _audited(store) == []


def test_a_new_review_is_checked_the_same_way(tmp_path, passphrase):
    framework = FrameworkFile.model_validate({"review": {"name": "Child W"}})
    framework.review.variant = "x" * 10_000  # over a line's length: the settings record refuses it
    with pytest.raises(BadInput, match="^review settings: "):
        create_review(tmp_path / "new.ltr", passphrase, framework=framework)
    assert not (tmp_path / "new.ltr").exists()


def test_review_set_goes_through_the_use_case(review_path, passphrase, monkeypatch, capsys):
    calls = []
    real = settings.change_settings
    monkeypatch.setattr(settings, "change_settings", lambda store, changes: calls.append(changes) or real(store, changes))
    assert main(["review", "set", str(review_path), "--blind-mode", "off", "--variant", "focused"]) == 0
    assert calls == [{"blind_mode": False, "variant": "focused"}]
    assert "Updated: blind mode = False, variant = focused" in capsys.readouterr().out
    with Store.open(review_path, passphrase) as store:
        _, review = review_record(store)
        assert review.blind_mode is False and review.variant == "focused"
