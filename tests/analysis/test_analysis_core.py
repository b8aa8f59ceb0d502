"""The headless analysis core on the fictional four-conversation review."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from lt_interview.analysis import findings as findings_ops
from lt_interview.analysis import kpe as kpe_ops
from lt_interview.analysis.search import search
from lt_interview.analysis.workspace import open_workspace_model
from lt_interview.domain.analysis import KeyPracticeEpisode
from lt_interview.domain.models import ChronologyEntry
from lt_interview.errors import BadInput


@pytest.fixture
def store(case_review, passphrase, case_builder):
    with case_builder.open_review(case_review, passphrase) as store:
        yield store


def _episode_ids(model, *titles):
    by_title = {item.title: item.item_id for item in model.timeline.items if item.source == "episode"}
    return [by_title[title] for title in titles]


def test_timeline_lanes_order_and_drafts(store):
    model = open_workspace_model(store)
    timeline = model.timeline
    labels = [lane.label for lane in timeline.lanes]
    assert labels[:4] == ["Health visitor", "GP", "Emergency department nurse", "Duty social worker"]
    titles = [item.title for item in timeline.items]
    # June accounts first (by their fuzzy dates), the undated GP episode just after the GP's June one.
    assert titles.index("Small bruise seen at the 8-month review") < titles.index("Missed visit in July")
    assert titles.index("Appointment about the bruise") + 1 == titles.index("Repeat prescription review")
    assert titles[-1] == "Attendance with a head bump"
    undated = timeline.item(_episode_ids(model, "Repeat prescription review")[0])
    assert undated.placed_by == "their order" and undated.sort_date == date(2025, 6, 1)
    drafts = {item.title: item.draft for item in timeline.items}
    assert drafts["Appointment about the bruise"] and drafts["Referral screened out"]
    assert not drafts["Small bruise seen at the 8-month review"]
    # No practitioner's name anywhere in the model's labels.
    assert not any("Hartley" in lane.label or "Nandi" in lane.label for lane in timeline.lanes)


def test_divergences_overlap_and_links(store):
    model = open_workspace_model(store)
    same_period = [d for d in model.timeline.divergences if d.kind == "same period"]
    june = same_period[0]
    assert set(june.who) == {"Health visitor", "GP", "Duty social worker"} and june.period == "June 2025"
    link_ids = _episode_ids(model, "Missed visit in July", "Attendance with a head bump")
    link_id = kpe_ops.link_episodes(store, link_ids, label="Two views of late summer")
    model.refresh()
    linked = [d for d in model.timeline.divergences if d.kind == "linked"]
    assert len(linked) == 1 and linked[0].link_id == link_id and set(linked[0].item_ids) == set(link_ids)
    with pytest.raises(BadInput):
        kpe_ops.link_episodes(store, link_ids[:1])


def test_divergence_noted_in_a_conversation_sits_beside_its_episode(store):
    model = open_workspace_model(store)
    [noted] = [d for d in model.timeline.divergences if d.kind == "noted"]
    assert noted.who == ("GP",) and noted.differs_from == "the health visitor"
    assert noted.draft  # the GP's account is not yet agreed
    assert [item.title for item in model.timeline.side_by_side(noted.item_ids)] == ["Appointment about the bruise"]
    assert noted.period == "June 2025"
    assert noted.title == ("GP, differs from the health visitor: Says the message arrived before the "
                           "appointment; the health visitor thought it came after.")
    hits = search(model.data, "thought it came after")
    assert [(hit.kind, hit.who) for hit in hits] == [("divergence", "GP")]


def test_lanes_by_agency(store):
    model = open_workspace_model(store, "agency")
    assert "Health visiting" in [lane.label for lane in model.timeline.lanes]


def test_chronology_hidden_until_visible(store):
    with store.transaction():
        store.put(ChronologyEntry(when=date(2025, 6, 14), agency="Police", event="Call-out to a noise complaint"))
    model = open_workspace_model(store)
    assert not model.timeline.chronology_shown
    assert all(item.source == "episode" for item in model.timeline.items)
    from lt_interview.operations import chronology

    chronology.unlock(store, "Preparing the second review-team meeting")
    model = open_workspace_model(store)
    assert model.timeline.chronology_shown
    entry = [item for item in model.timeline.items if item.source == "chronology"]
    assert [item.title for item in entry] == ["Call-out to a noise complaint"]
    assert any(lane.kind == "chronology" for lane in model.timeline.lanes)


def test_factor_matrix_counts_and_drill_down(store):
    model = open_workspace_model(store)
    matrix = model.matrix
    labels = dict((label, pid) for pid, label in matrix.practitioners)
    assert matrix.heading_total("conditions") == 3
    assert matrix.count("conditions", labels["GP"]) == 1
    assert matrix.count("family") == 1 and matrix.count("wider_context") == 0
    support = matrix.drill_down("conditions", labels["Duty social worker"])
    assert [s.text for s in support if s.kind == "factor"] == ["Eleven referrals waiting."]
    # The support is the account's own wording, never the raw notes taken on those factors.
    assert support and all(s.kind == "factor" for s in support) and all(s.draft for s in support)
    assert not any("Factors noted for" in s.text for s in matrix.drill_down("conditions"))
    episode_id = _episode_ids(model, "Appointment about the bruise")[0]
    assert matrix.count("inter_agency", labels["GP"], episode_id) == 1


def test_search_every_conversation(store):
    model = open_workspace_model(store)
    hits = model.search("referrals")
    assert {hit.who for hit in hits} == {"Duty social worker"}
    assert model.search('"someone else had it in hand"')  # a quote, in every conversation
    assert model.search("CASELOAD 400")[0].kind == "factor"
    assert model.search("nothing like this") == []
    assert model.search("") == []
    # What the practitioner said, as typed up into the account, is found; the raw notes are not
    # searched (they stay in the file for the audit trail).
    assert [hit.kind for hit in model.search("Threshold guidance")] == ["episode"]
    assert model.search("Factors noted for") == []


def test_kpe_register_revisions_and_checks(store):
    model = open_workspace_model(store)
    episode_id = _episode_ids(model, "Referral screened out")[0]
    kpe_id = kpe_ops.add_kpe(store, title="Screening decision", period="June 2025",
                             factor_ids=["conditions", "conditions-workload"], bias_ids=["not_revising"])
    kpe_ops.add_evidence(store, kpe_id, "episode", episode_id, "One faded mark")
    kpe_ops.update_kpe(store, kpe_id, appraisal="mixed", appraisal_rationale="Met the threshold guidance")
    assert len(store.history(kpe_id)) == 3  # three revisions, one record
    assert kpe_ops.add_kpe(store, title="Second") and [k.number for _, k in kpe_ops.list_kpes(store)] == [1, 2]
    current: KeyPracticeEpisode = store.get(kpe_id).record
    assert current.appraisal == "mixed" and current.evidence[0].ref_id == episode_id
    with pytest.raises(BadInput, match="reasoning-bias"):
        kpe_ops.add_kpe(store, title="x", bias_ids=["careless"])
    with pytest.raises(BadInput, match="contributory factor"):
        kpe_ops.add_kpe(store, title="x", factor_ids=["nonsense"])
    with pytest.raises(BadInput, match="appraisal"):
        kpe_ops.update_kpe(store, kpe_id, appraisal="poor")
    with pytest.raises(BadInput, match="typology"):
        kpe_ops.map_to_category(store, kpe_id, "blame")
    first = kpe_ops.map_to_category(store, kpe_id, "tools", "Forms")
    assert kpe_ops.map_to_category(store, kpe_id, "tools") == first  # no duplicate mapping
    finding_id = findings_ops.add_finding(store, title="Thresholds hide patterns", kpe_ids=[kpe_id],
                                          board_questions=["How would the partnership know?"], priority=2)
    findings_ops.update_finding(store, finding_id, priority=1)
    assert findings_ops.list_findings(store)[0][1].priority == 1
    with pytest.raises(BadInput):
        findings_ops.add_finding(store, title="x", kpe_ids=["not-a-kpe"])


def test_bias_tags_never_attach_to_people():
    from lt_interview.domain.analysis import ANALYSIS_KINDS

    for model in ANALYSIS_KINDS:
        fields = set(model.model_fields)
        if "bias_ids" in fields:
            assert model.__name__ == "KeyPracticeEpisode"  # on the explanation of an episode only
    assert not any("practitioner" in name and "bias" in name for m in ANALYSIS_KINDS for name in m.model_fields)


def test_concurrent_kpe_edits_show_as_conflict(store):
    kpe_id = kpe_ops.add_kpe(store, title="Shared record")
    base = store.heads(kpe_id)[0].revision_id
    record = store.get(kpe_id).record
    store.put(record.model_copy(update={"explanation": "one reviewer"}), kpe_id, parents=[base])
    store.put(record.model_copy(update={"explanation": "the other"}), kpe_id, parents=[base])
    model = open_workspace_model(store)
    assert [item.conflict for item in model.data.kpes] == [True]


def test_core_never_imports_textual():
    code = ("import sys; sys.modules['textual'] = None\n"
            "import lt_interview.analysis.workspace, lt_interview.analysis.search, lt_interview.export\n"
            "import lt_interview.export.pack, lt_interview.export.qdpx, lt_interview.export.docx\n"
            "import lt_interview.export.markdown, lt_interview.export.html, lt_interview.export.csv_safe\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_large_review_opens_whole(tmp_path, passphrase):
    """100 conversations, 10 captured episodes and 50 notes each: every episode on the timeline
    and searchable, marked as not typed up; the notes are not searched (how quickly is
    measured in scripts/bench.py, never here)."""
    from lt_interview.domain.ids import new_id
    from lt_interview.domain.models import Conversation, Episode, FactorTag, Note, Practitioner
    from lt_interview.operations.demo_data import FRAMEWORK
    from lt_interview.operations.review import create_review

    with create_review(tmp_path / "big.ltr", passphrase, framework=FRAMEWORK, actor="t") as store:
        with store.transaction():
            for number in range(100):
                pid = store.put(Practitioner(name=f"Person {number}", role="Social worker")).record_id
                cid = new_id()
                store.put(Conversation(practitioner_id=pid), cid, audit=False)
                for e in range(10):
                    eid = store.put(Episode(conversation_id=cid, title=f"Episode {e} of the week",
                                            when=f"{e % 12 + 1:02d}/06/2025"
                                            if e % 3 else "spring 2025", position=e), audit=False).record_id
                    store.put(FactorTag(conversation_id=cid, heading_id="conditions", text="Busy",
                                        episode_id=eid), audit=False)
                for _ in range(50):
                    store.put(Note(conversation_id=cid, stage_id="overview", author_id="a",
                                   text="Words about the week " * 20), audit=False)
        model = open_workspace_model(store)
        hits = model.search("week")
    assert len(model.timeline.items) == 1000 and len(hits) == 500
    assert {hit.kind for hit in hits} == {"episode"} and all(hit.draft for hit in hits)
    assert {source.state for source in model.data.accounts.values()} == {"not_typed_up"}
