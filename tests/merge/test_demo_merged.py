"""The demo now shows the whole journey: three conversations merged, and a chronology."""

from __future__ import annotations

from lt_interview.domain.models import ChronologyEntry, Episode, FactorTag, Note, NotedDivergence
from lt_interview.operations import demo_data
from lt_interview.operations.chronology import chronology_visible
from lt_interview.operations.demo import build_demo
from lt_interview.storage.store import Store


def test_demo_is_merged_with_a_chronology(tmp_path):
    review_path, conversations = build_demo(tmp_path / "demo")
    with Store.open(review_path, demo_data.DEMO_PASSPHRASE) as store:
        episodes = store.records(Episode)
        titles = {episode.title for _, episode in episodes}
        assert {"Small bruise seen at the 8-month review", "Cough appointment when a faded bruise was mentioned",
                "Saturday attendance: bruise to the cheek"} <= titles
        assert len({episode.conversation_id for _, episode in episodes}) >= 3
        assert store.records(Note) and store.records(FactorTag)
        # The divergences the reviewers noted live reach the review beside their episodes.
        noted = store.records(NotedDivergence)
        assert len(noted) == 2 and all(d.episode_id in {eid for eid, _ in episodes} for _, d in noted)
        assert len(store.records(ChronologyEntry)) == 8
        assert not chronology_visible(store)  # blind mode: no conversation agreed, no unlock
        ledger = store.conn.execute("SELECT count(*) FROM import_ledger").fetchone()[0]
        assert ledger == len(conversations)
        assert store.conflicts() == []
    for path in conversations:
        with Store.open(path, demo_data.DEMO_PASSPHRASE) as store:
            assert store.records(ChronologyEntry) == []
