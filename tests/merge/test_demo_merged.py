"""The demo now shows the whole journey: three conversations merged, and a chronology."""

from __future__ import annotations

from lt_interview.demo import data as demo_data
from lt_interview.demo.build import build_demo
from lt_interview.domain.models import ChronologyEntry, Episode, FactorTag, Note, NotedDivergence
from lt_interview.storage.lookups import chronology_visible
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


def test_the_demo_goes_the_users_way_and_its_story_reads_the_agreed_accounts(tmp_path):
    """Issue #17: the demo no longer writes the episodes' detail into the captured records; it
    types them up and agrees them, and the story of the case reads the agreed accounts."""
    from lt_interview.analysis.workspace import open_workspace_model

    review_path, _ = build_demo(tmp_path / "demo")
    with Store.open(review_path, demo_data.DEMO_PASSPHRASE) as store:
        # Captured live: titles only; what the practitioner knew and thought is in the notes.
        assert all(not (e.knew or e.thought or e.did or e.why_it_made_sense) for _, e in store.records(Episode))
        model = open_workspace_model(store)
        states = {model.data.label_of_conversation(cid): source.state for cid, source in model.data.accounts.items()}
        assert states["Health visitor"] == states["GP"] == "agreed"
        assert states["Emergency department nurse"] == "sent_for_checking"
        items = {item.title: item for item in model.timeline.items}
        bruise = items["Small bruise seen at the 8-month review"]
        assert bruise.episode.knew == demo_data.HEALTH_VISITOR_CORRECTION["text"]  # the practitioner's correction
        assert bruise.when_text == "early summer 2025" and bruise.date.known and not bruise.draft
        assert bruise.episode.thought and bruise.episode.did and bruise.episode.why_it_made_sense
        assert items["Saturday attendance: bruise to the cheek"].draft
        assert model.search("Tearful") == []  # a reviewers' working note in the raw notes
