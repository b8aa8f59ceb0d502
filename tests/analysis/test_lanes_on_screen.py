"""The story of the case at 120 columns: every lane on screen, the agency records in one lane
(issue #19: the last practitioners' lanes and the chronology's lanes were off-screen)."""

from __future__ import annotations

from datetime import date

from lt_interview.domain.models import ChronologyEntry
from lt_interview.review import chronology
from lt_interview.storage.store import REVIEW, Store
from lt_interview.tui.app import make_app


def _with_chronology(path, passphrase) -> None:
    with Store.open(path, passphrase, expect_kind=REVIEW, actor_id="tester") as store:
        with store.transaction():
            for day, agency in ((3, "Police"), (4, "Housing"), (5, "Probation"), (6, "Nursery"), (7, "School")):
                store.put(ChronologyEntry(when=date(2025, 6, day), agency=agency, event=f"{agency} record (fictional)"))
        chronology.unlock(store, "Checking the lanes")


async def test_every_lane_fits_a_120_column_screen(case_review, passphrase):
    _with_chronology(case_review, passphrase)
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#timeline")
        labels = [column.label.plain.replace("\n", " ") for column in table.columns.values()]
        assert labels[-1] == "Agency records" and len(labels) >= 6
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= 120 - 2
        rows = [table.get_row_at(row) for row in range(table.row_count)]
        shown = [str(cell).replace("\n", " ") for row in rows for cell in row]
        assert any(text.startswith("Probation: Probation") for text in shown)  # the agency named
        # Each cell wrapped to its column's width (at most three lines, then "…"), never cut mid-line.
        widths = [column.width for column in table.columns.values()]
        assert all(len(line) <= width for row in rows for cell, width in zip(row, widths)
                   for line in str(cell).split("\n"))
        await pilot.press("f8")  # by agency: each agency's records in its lane
        await pilot.pause()
        labels = [column.label.plain.replace("\n", " ") for column in table.columns.values()]
        assert "Agency records" not in labels and "Probation" in labels
        await pilot.press("ctrl+q")


async def test_form_focus_and_tick_boxes_do_not_rely_on_colour(case_review, passphrase):
    """On the analysis forms the focused field differed from the others only by a colour, and a
    tick box showed an X whether ticked or not (ticked in green)."""
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one("#tabs").active = "kpes"
        await pilot.pause()
        title, period = screen.query_one("#kpe-title"), screen.query_one("#kpe-period")
        title.focus()
        await pilot.pause()
        assert title.styles.border.top[0] == "heavy" and period.styles.border.top[0] != "heavy"
        people = screen.query_one("#kpe-people")
        people.select(people.get_option_at_index(0).value)
        people.focus()
        await pilot.pause()
        assert people.styles.border.top[0] == "heavy" and title.styles.border.top[0] != "heavy"
        empty = people.get_component_rich_style("selection-list--button")
        ticked = people.get_component_rich_style("selection-list--button-selected")
        assert empty.color == empty.bgcolor  # no mark: an empty box
        assert ticked.color != ticked.bgcolor and ticked.bold  # the X shows
        await pilot.press("ctrl+q")
