"""Agencies' chronologies carry more columns than date, agency and event, and dates known only
to the month or year ("2024-03"): both were refused (issue #19)."""

from __future__ import annotations

from datetime import date

import pytest

from lt_interview.analysis.timeline import chronology_date
from lt_interview.cli import main
from lt_interview.domain.models import ChronologyEntry
from lt_interview.errors import BadInput
from lt_interview.review.chronology import parse_chronology
from lt_interview.storage.lookups import chronology_entries
from lt_interview.storage.store import Store

from .test_chronology import write

WIDE = (
    "Ref,Date,Agency,Event,Source document,\n"
    "A1,2024-03,GP practice,Registered with the practice (fictional),GP notes,\n"
    "A2,03/2024,Nursery,Started two mornings a week (fictional),,\n"
    "A3,March 2024,Police,Welfare check (fictional),log 12,\n"
    "A4,2024,Housing,Moved to the flat (fictional),,\n"
    "A5,14/06/2024,Health visiting,8-month review (fictional),,\n"
)


def test_extra_columns_are_left_out_and_reported(review_path, passphrase, tmp_path, capsys):
    csv_path = write(tmp_path, WIDE)
    assert main(["chronology", "import", str(review_path), str(csv_path)]) == 0
    out = capsys.readouterr().out
    assert "Columns left out (only date, agency and event are imported): Ref, Source document, column 6 (no name)" in out
    assert "Imported 5 chronology entries" in out
    with Store.open(review_path, passphrase) as store:
        found = {entry.agency: entry for _, entry in chronology_entries(store)}
    assert (found["GP practice"].when, found["GP practice"].when_text) == (date(2024, 3, 1), "2024-03")
    assert (found["Nursery"].when, found["Nursery"].when_text) == (date(2024, 3, 1), "03/2024")
    assert found["Police"].when_text == "March 2024"
    assert (found["Housing"].when, found["Housing"].when_text) == (date(2024, 1, 1), "2024")
    assert (found["Health visiting"].when, found["Health visiting"].when_text) == (date(2024, 6, 14), "")
    assert "Ref" not in found["GP practice"].event and "GP notes" not in found["GP practice"].event


def test_a_month_spans_the_month_on_the_timeline():
    month = chronology_date(ChronologyEntry(when=date(2024, 3, 1), when_text="2024-03", agency="GP", event="x"))
    assert (month.start, month.end, month.precision, month.text) == (date(2024, 3, 1), date(2024, 3, 31), "month", "2024-03")
    year = chronology_date(ChronologyEntry(when=date(2024, 1, 1), when_text="2024", agency="GP", event="x"))
    assert (year.end, year.precision) == (date(2024, 12, 31), "year")
    day = chronology_date(ChronologyEntry(when=date(2024, 6, 14), agency="GP", event="x"))
    assert (day.start, day.end, day.text) == (date(2024, 6, 14), date(2024, 6, 14), "2024-06-14")


@pytest.mark.parametrize("text, message", [
    ("date,agency,event,date\n2024-03,GP,x,2024\n", "line 1: the header must name the columns date, agency and event, once each"),
    ("date,agency,event\n2024-13,GP,x\n", "line 2: 2024-13 is not a real month"),
    ("date,agency,event\nsoon,GP,x\n", "line 2: the date must be yyyy-mm-dd or dd/mm/yyyy, or a month or year"),
    ("ref,date,agency,event\nA1,2024-03,GP\n", "line 2: expected 4 columns (ref, date, agency, event), found 3"),
])
def test_what_is_still_refused(text, message):
    with pytest.raises(BadInput) as refused:
        parse_chronology(text)
    assert message in refused.value.message
