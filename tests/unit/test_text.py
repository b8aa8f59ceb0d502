import re

from hypothesis import given, strategies as st

from lt_interview.domain.text import clean_line, clean_text

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@given(st.text())
def test_sanitised_text_has_no_controls_and_is_stable(value):
    once = clean_text(value)
    assert not CONTROLS.search(once)
    assert clean_text(once) == once


@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x7F))))
def test_the_quick_ascii_path_removes_exactly_what_the_pattern_does(value):
    assert clean_text(value) == CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


@given(st.text())
def test_single_line_fields_have_no_line_breaks(value):
    once = clean_line(value)
    assert "\n" not in once and "\t" not in once
    assert clean_line(once) == once


def test_escape_sequences_and_carriage_returns():
    assert clean_text("a\x1b]0;title\x07b\r\nc\rd\x9bz") == "a]0;titleb\nc\ndz"
    assert clean_text("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert clean_text("bidi \u202eevil\u202c") == "bidi evil"
