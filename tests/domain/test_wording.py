"""The no-blame wording check (domain/wording.py): one phrase list, a gentle suggestion for each,
quoted words and feelings left alone, and the word "hindsight" never flagged."""

from __future__ import annotations

from hypothesis import given, strategies as st

from lt_interview.domain import wording


def _found(text: str) -> list[str]:
    return [hit.phrase for hit in wording.blame_hits(text)]


def test_the_issue_phrases_are_found_with_a_gentle_suggestion():
    text = ("The health visitor failed to ring. It was a missed opportunity; the warning signs were "
            "ignored, the mother was non-compliant (disguised compliance) and someone should have acted. "
            "Obviously careless.")
    assert _found(text) == ["failed to", "missed opportunity", "warning signs", "ignored", "non-compliant",
                            "disguised compliance", "should have", "Obviously", "careless"]
    for hit in wording.blame_hits(text):
        assert hit.suggestion and "must" not in hit.suggestion and hit.suggestion.startswith(("Consider", "This"))
        assert hit.message.startswith(f"“{hit.phrase}” can read as judging.")


def test_quoted_words_feelings_and_hindsight_are_left_alone():
    assert _found('She said “I was ignored by everyone” and "I missed the signs".') == []
    assert _found("I felt ignored at the strategy meeting.") == []
    assert _found("With hindsight I would have rung; in hindsight it looks different.") == []
    assert _found("The referral was ignored.") == ["ignored"]
    assert _found("An unclosed “quote that failed to end") == ["failed to"]


def test_places_name_where_and_what():
    found = wording.places([("KPE 1, rationale", "They failed to share it."), ("KPE 1, title", "A visit")])
    assert [place.line() for place in found] == ["KPE 1, rationale: “failed to”"]
    assert wording.gentle_notice(found).startswith("Some wording can read as blame (KPE 1, rationale: “failed to”)")
    assert wording.gentle_notice([]) == ""


@given(st.text(max_size=200))
def test_hits_are_always_inside_the_text(text):
    for hit in wording.blame_hits(text):
        assert text[hit.start:hit.end] == hit.phrase
