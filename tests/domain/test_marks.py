"""The reviewers' mark on a line of notes (DOMAIN.md §4): added after the time stamp, removed
again, and found in a longer text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lt_interview.domain.marks import FROM_REVIEWERS, is_marked, mark_lines, marked_spans, unmark


def test_mark_goes_after_the_time_stamp_and_toggles_back():
    lines = ["14:05 Police were called in May", "", "A second line"]
    marked = mark_lines(lines)
    assert marked == ["14:05 (from the reviewers) Police were called in May", "",
                      "(from the reviewers) A second line"]
    assert mark_lines(marked) == lines


def test_a_partly_marked_selection_is_marked_throughout():
    lines = ["(from the reviewers) one", "two"]
    assert mark_lines(lines) == ["(from the reviewers) one", "(from the reviewers) two"]


def test_empty_lines_are_left_alone():
    assert mark_lines(["", "   "]) == ["", "   "]


def test_spans_point_at_each_mark():
    text = "first\n09:10 (from the reviewers) the GP was told\n(from the reviewers) again"
    spans = marked_spans(text)
    assert [text[start:end] for start, end in spans] == [FROM_REVIEWERS.rstrip()] * 2


lines_strategy = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"),
                                  max_size=30), min_size=1, max_size=6)


@given(lines_strategy)
def test_marking_twice_gives_back_the_lines_when_none_was_marked(lines):
    if any(is_marked(line) for line in lines):
        return
    once = mark_lines(lines)
    assert all(is_marked(line) for line in once if line.strip())
    assert [unmark(line) for line in once] == lines
    assert mark_lines(once) == lines
