"""One table of episode fields and labels (domain/episode_fields.py): both episode models hold
its fields, and each wording readers see is kept."""

from __future__ import annotations

from lt_interview.domain import episode_fields as table
from lt_interview.domain.account import AccountEpisode
from lt_interview.domain.models import Episode


def test_both_episode_models_hold_the_fields_of_the_table_with_the_same_types():
    for field in table.EPISODE_FIELDS:
        assert field.name in Episode.model_fields
    for field in table.ACCOUNT_FIELDS:
        assert AccountEpisode.model_fields[field.name].annotation == Episode.model_fields[field.name].annotation
        assert field.multiline == (field.name not in ("title", "when"))
    assert table.SOURCE_EXCERPT.name not in AccountEpisode.model_fields


def test_the_fields_come_in_the_order_the_method_asks_about_them():
    assert table.ACCOUNT_FIELD_NAMES == (
        "title", "when", "knew", "thought", "felt", "did", "why_it_made_sense", "helped", "hindered")
    assert table.RECALLED_NAMES == table.ACCOUNT_FIELD_NAMES[2:]
    assert table.EPISODE_FIELD_NAMES == (*table.ACCOUNT_FIELD_NAMES, "source_excerpt")
    assert len(set(table.EPISODE_FIELD_NAMES)) == len(table.EPISODE_FIELDS)


def test_each_reader_keeps_its_wording():
    by_name = {field.name: field for field in table.EPISODE_FIELDS}
    assert by_name["why_it_made_sense"].label == "Why it made sense at the time"  # reviewers, exports
    assert by_name["why_it_made_sense"].short == "Why it made sense"  # the analysis side-by-side
    assert by_name["why_it_made_sense"].plain == "Why it made sense to you at the time"  # the practitioner
    assert by_name["hindered"].plain == "What made it harder"
    assert table.LABELS["title"] == "Episode"


def test_account_values_copies_an_episode_into_an_account_episode():
    episode = Episode(conversation_id="c1", title="Home visit", when="May", knew="little", hindered="time",
                      source_excerpt="raw words")
    copied = AccountEpisode(**table.account_values(episode))
    assert table.account_values(copied) == table.account_values(episode)
    assert copied.hindered == "time"
