"""Pilot: open the workspace on a merged review, find a divergence on the timeline, register a
KPE with evidence, map it to a typology category and draft a finding; then reopen the
database and check what was written."""

from __future__ import annotations

from textual.widgets import Button, DataTable, Input, Select, SelectionList, TabbedContent, TextArea

from lt_interview.domain.analysis import Finding, KeyPracticeEpisode, PatternMapping
from lt_interview.storage.store import REVIEW, Store
from lt_interview.tui.app import make_app
from lt_interview.tui.widgets.findings_pane import FindingsPane
from lt_interview.tui.widgets.kpe_pane import KpePane


async def test_workspace_journey(case_review, passphrase):
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        assert type(screen).__name__ == "AnalysisScreen"
        timeline = screen.query_one("#timeline", DataTable)
        assert timeline.row_count == 6  # every episode of the four conversations
        divergences = screen.query_one("#divergences", DataTable)
        assert divergences.row_count >= 1
        # The first divergence: June 2025, health visitor, GP and duty social worker.
        divergences.focus()
        divergences.move_cursor(row=0)
        await pilot.pause()
        side = screen.query("#side-by-side Static")
        assert len(side) == 3
        shown = " ".join(str(widget.render()) for widget in side)
        assert "(draft account)" in shown  # the GP's account is not agreed yet
        screen.query_one("#divergence-evidence", Button).press()
        await pilot.pause()
        screen.query_one("#link-divergence", Button).press()
        await pilot.pause()

        screen.query_one("#tabs", TabbedContent).active = "kpes"
        await pilot.pause()
        screen.query_one("#kpe-title", Input).value = "A faded mark explained away"
        screen.query_one("#kpe-appraisal", Select).value = "mixed"
        screen.query_one("#kpe-rationale", TextArea).text = "Each step fitted the guidance each agency held."
        screen.query_one("#kpe-explanation", TextArea).text = "Nobody held the whole picture."
        screen.query_one("#kpe-factors", SelectionList).select("conditions")
        screen.query_one("#kpe-biases", SelectionList).select("not_revising")
        screen.query_one("#kpe-new", Button).press()
        await pilot.pause()
        assert screen.query_one("#kpe-table", DataTable).row_count == 1

        screen.query_one("#tabs", TabbedContent).active = "patterns"
        await pilot.pause()
        kpe_id = screen.query_one(KpePane).editing
        screen.query_one("#map-kpe", Select).value = kpe_id
        screen.query_one("#map-category", Select).value = "management_systems"
        screen.query_one("#map-rationale", Input).value = "Workload at every front door"
        screen.query_one("#map-save", Button).press()
        await pilot.pause()
        screen.query_one("#finding-title", Input).value = "Front doors are too busy to see patterns"
        screen.query_one("#finding-questions", TextArea).text = "How does the partnership know?\nWho holds the picture?"
        screen.query_one("#finding-kpes", SelectionList).select(kpe_id)
        screen.query_one("#finding-categories", SelectionList).select("management_systems")
        screen.query_one("#finding-priority", Input).value = "1"
        screen.query_one("#finding-save", Button).press()
        await pilot.pause()
        assert screen.query_one("#finding-table", DataTable).row_count == 1

        # Search works on the merged conversations.
        screen.query_one("#tabs", TabbedContent).active = "search"
        await pilot.pause()
        search = screen.query_one("#search-input", Input)
        search.focus()
        search.value = "referrals"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#search-results", DataTable).row_count >= 1
        await pilot.press("ctrl+q")

    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        from lt_interview.analysis.loader import load

        kpes = store.records(KeyPracticeEpisode)
        assert len(kpes) == 1
        kpe_id, kpe = kpes[0]
        assert kpe.number == 1 and kpe.title == "A faded mark explained away"
        assert kpe.appraisal == "mixed" and kpe.factor_ids == ["conditions"] and kpe.bias_ids == ["not_revising"]
        assert len(kpe.evidence) == 3 and {item.kind for item in kpe.evidence} == {"episode"}
        from lt_interview.analysis.data import load_case

        # Evidence names an episode by its account part id, stable across versions of the account.
        episodes = {item.record_id: item.record for item in load_case(store).episodes}
        titles = {episodes[item.ref_id].title for item in kpe.evidence}
        assert titles == {"Small bruise seen at the 8-month review", "Appointment about the bruise",
                          "Referral screened out"}
        assert len(kpe.practitioner_ids) == 3
        links = load(store, "episode_link")
        assert len(links) == 1 and set(links[0].record.episode_ids) == {item.ref_id for item in kpe.evidence}
        mappings = store.records(PatternMapping)
        assert [(m.kpe_id, m.category_id, m.rationale) for _, m in mappings] == [
            (kpe_id, "management_systems", "Workload at every front door")]
        findings = store.records(Finding)
        assert len(findings) == 1
        finding = findings[0][1]
        assert finding.kpe_ids == [kpe_id] and finding.priority == 1
        assert finding.board_questions == ["How does the partnership know?", "Who holds the picture?"]
        assert finding.category_ids == ["management_systems"] and len(finding.evidence) == 3


async def test_redraft_finding_remove_mapping_and_unlink(case_review, passphrase):
    """A team redrafts a finding over several meetings, drops a mapping it no longer holds and
    undoes a link between episodes that turned out to be different events. Nothing is lost:
    each change is a new revision, and removals are tombstones in the history."""
    from lt_interview.analysis import findings as findings_ops, kpe as kpe_ops
    from lt_interview.analysis.loader import load

    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        episode_ids = [item.record_id for item in load(store, "episode")][:2]
        link_id = kpe_ops.link_episodes(store, episode_ids)
        kpe_id = kpe_ops.add_kpe(store, title="Visits rebooked over the summer")
        mapping_id = kpe_ops.map_to_category(store, kpe_id, "management_systems", "Caseloads")
        finding_id = findings_ops.add_finding(store, title="Summer cover is thin", kpe_ids=[kpe_id],
                                              board_questions=["Who covers in August?"], priority=2)

    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        screen.query_one("#tabs", TabbedContent).active = "patterns"
        await pilot.pause()
        findings = screen.query_one("#finding-table", DataTable)
        findings.focus()
        findings.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(FindingsPane).editing == finding_id
        title = screen.query_one("#finding-title", Input)
        assert title.value == "Summer cover is thin"
        assert screen.query_one("#finding-questions", TextArea).text == "Who covers in August?"
        assert list(screen.query_one("#finding-kpes", SelectionList).selected) == [kpe_id]
        title.focus()
        await pilot.press("end", *" across agencies")
        questions = screen.query_one("#finding-questions", TextArea)
        questions.focus()
        questions.move_cursor(questions.document.end)
        await pilot.pause()
        await pilot.press("enter", *"Who checks it?")
        screen.query_one("#finding-update", Button).press()
        await pilot.pause()
        assert findings.row_count == 1  # redrafted, not duplicated

        mappings = screen.query_one("#mappings", DataTable)
        assert mappings.row_count == 1
        mappings.move_cursor(row=0)
        screen.query_one("#map-remove", Button).press()
        await pilot.pause()
        assert mappings.row_count == 0

        screen.query_one("#tabs", TabbedContent).active = "story"
        await pilot.pause()
        divergences = screen.query_one("#divergences", DataTable)
        linked_rows = [index for index, divergence in enumerate(screen.model.timeline.divergences)
                       if divergence.link_id == link_id]
        assert linked_rows
        divergences.focus()
        divergences.move_cursor(row=linked_rows[0])
        await pilot.pause()
        screen.query_one("#unlink-divergence", Button).press()
        await pilot.pause()
        assert all(divergence.link_id is None for divergence in screen.model.timeline.divergences)
        await pilot.press("ctrl+q")

    with Store.open(case_review, passphrase, expect_kind=REVIEW) as store:
        findings = store.records(Finding)
        assert [record_id for record_id, _ in findings] == [finding_id]
        finding = findings[0][1]
        assert finding.title == "Summer cover is thin across agencies"
        assert finding.board_questions == ["Who covers in August?", "Who checks it?"]
        assert finding.kpe_ids == [kpe_id] and finding.priority == 2
        history = store.history(finding_id)
        assert len(history) == 2 and not any(rev.deleted for rev in history)
        assert store.records(PatternMapping) == [] and load(store, "episode_link") == []
        for removed in (mapping_id, link_id):
            assert store.get(removed) is None
            assert [rev.deleted for rev in store.history(removed)] == [0, 1]  # kept, then a tombstone


async def test_tab_goes_straight_into_each_form(case_review, passphrase):
    from textual.widgets import Tabs

    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for tab, first in (("kpes", "kpe-table"), ("patterns", "map-kpe"), ("meetings", "meeting-table")):
            screen.query_one("#tabs", TabbedContent).active = tab
            screen.query_one(Tabs).focus()
            await pilot.pause()
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is not None and app.focused.id == first, (tab, app.focused)


async def test_a_noted_divergence_becomes_kpe_evidence(case_review, passphrase):
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        divergences = screen.query_one("#divergences", DataTable)
        kinds = [d.kind for d in screen.model.timeline.divergences]
        divergences.focus()
        divergences.move_cursor(row=kinds.index("noted"))
        await pilot.pause()
        shown = " ".join(str(widget.render()) for widget in screen.query("#side-by-side Static"))
        assert "Divergence noted in the conversation" in shown and "Differs from: the health visitor" in shown
        assert "Appointment about the bruise" in shown  # the episode it concerned, beside it
        screen.query_one("#divergence-evidence", Button).press()
        await pilot.pause()
        evidence = screen.query_one(KpePane).evidence
        excerpts = [item["excerpt"] for item in evidence]
        assert excerpts[0].startswith("GP, divergence noted (differs from the health visitor): Says the message")
        assert len(excerpts) == 2 and evidence[1]["kind"] == "episode"


async def test_every_tab_is_in_view_at_80_columns_and_named_in_full_when_wide(case_review, passphrase):
    """At 80 columns the seven full tab names (108 columns) scrolled the bar and hid Meetings,
    Search and Chronology; short names keep every tab in view, and widening brings the full names back."""
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one("#tabs").query_one("Tabs")
        tabs = list(bar.query("Tab"))
        assert [tab.label_text for tab in tabs] == [
            "Story", "Factors", "KPEs", "Findings", "Meetings", "Search", "Chronology"]
        assert all(tab.region.right <= 80 for tab in tabs)
        await pilot.press("right", "right", "right", "right")  # the tab bar has focus: on to Meetings
        await pilot.pause()
        assert app.screen.query_one("#tabs", TabbedContent).active == "meetings"
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert [tab.label_text for tab in tabs][0] == "Story of the case"
        assert all(tab.region.right <= 140 for tab in tabs)
