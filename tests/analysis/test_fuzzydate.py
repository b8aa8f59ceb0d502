from datetime import date

import pytest
from hypothesis import given, strategies as st

from lt_interview.analysis.fuzzydate import parse_fuzzy


@pytest.mark.parametrize("text, start, end, precision", [
    ("2025-06-03", date(2025, 6, 3), date(2025, 6, 3), "day"),
    ("03/06/2025", date(2025, 6, 3), date(2025, 6, 3), "day"),
    ("3rd June 2025", date(2025, 6, 3), date(2025, 6, 3), "day"),
    ("July 2025", date(2025, 7, 1), date(2025, 7, 31), "month"),
    ("early July 2025", date(2025, 7, 1), date(2025, 7, 10), "part of month"),
    ("late Feb 2024", date(2024, 2, 21), date(2024, 2, 29), "part of month"),
    ("spring 2025", date(2025, 3, 1), date(2025, 5, 31), "season"),
    ("early summer 2025", date(2025, 6, 1), date(2025, 6, 30), "season"),
    ("winter 2025", date(2025, 12, 1), date(2026, 2, 28), "season"),
    ("Q3 2025", date(2025, 7, 1), date(2025, 9, 30), "quarter"),
    ("late 2025", date(2025, 9, 2), date(2025, 12, 31), "year"),
    ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
])
def test_absolute_dates(text, start, end, precision):
    found = parse_fuzzy(text)
    assert (found.start, found.end, found.precision) == (start, end, precision)


def test_phrases_without_a_year_take_the_review_year():
    found = parse_fuzzy("mid-June", default_year=2025)
    assert found.start == date(2025, 6, 11) and found.year_assumed
    assert not parse_fuzzy("mid-June").known  # no year anywhere: no guess


def test_relative_and_named_periods():
    after = parse_fuzzy("after the summer holidays started", default_year=2025)
    assert after.relative == "after" and after.start == date(2025, 7, 20) and after.end > date(2025, 8, 31)
    before = parse_fuzzy("just before Christmas 2024")
    assert before.relative == "before" and before.start < date(2024, 12, 18)


def test_unknown_phrases_have_no_range():
    for text in ("after the strategy discussion", "it may have been then", "", "the day after the visit"):
        assert not parse_fuzzy(text, default_year=2025).known


@given(st.text(max_size=80), st.one_of(st.none(), st.integers(1990, 2090)))
def test_never_raises_and_ranges_are_ordered(text, year):
    found = parse_fuzzy(text, year)
    if found.known:
        assert found.start <= found.end


def test_clause_after_the_date_does_not_shift_it():
    found = parse_fuzzy("mid June 2025, a week or so after the HV visit")
    assert (found.start, found.end, found.relative) == (date(2025, 6, 11), date(2025, 6, 20), "")
    found = parse_fuzzy("early June 2025, a few days before the 8-month review")
    assert (found.start, found.end) == (date(2025, 6, 1), date(2025, 6, 10))


def test_month_and_year_as_forms_write_it_and_the_reading_shown_to_reviewers():
    from lt_interview.analysis.fuzzydate import reading

    found = parse_fuzzy("03/2024")
    assert (found.start, found.end, found.precision) == (date(2024, 3, 1), date(2024, 3, 31), "month")
    assert parse_fuzzy("03/06/2024").start == date(2024, 6, 3)  # a day is still a day
    assert reading("early March 2024") == (True, "Read as 1 to 10 March 2024.")
    assert reading("spring 2023") == (True, "Read as 1 March to 31 May 2023.")
    assert reading("03/2024") == (True, "Read as March 2024.")
    assert reading("around Christmas 2023") == (True, "Read as 18 to 31 December 2023.")
    assert reading("July", 2025) == (True, "Read as July 2025 (the year taken from the review period).")
    known, line = reading("after the strategy discussion")
    assert not known and "\n" not in line and "keeps their order" in line
