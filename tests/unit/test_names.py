"""One word scanner for the name guard, used by type-up and by every export."""

from hypothesis import assume, given
from hypothesis import strategies as st

from lt_interview.domain.names import find_guarded_names, holds_guarded_name, name_digest


def test_possessive_and_joined_forms_of_a_real_name_are_found():
    digests = {name_digest("r1", "bryn"), name_digest("r1", "castellan")}
    for text in ("Bryn's car", "Tenterden-Castellan", "BRYN’S", "seen by Bryn"):
        assert holds_guarded_name(text, "r1", digests), text
        assert find_guarded_names(text, "r1", digests), text
    for text in ("Brynmor", "a bryony", "Mr B", ""):
        assert not holds_guarded_name(text, "r1", digests), text
    assert find_guarded_names("Bryn's car", "r1", digests, cache={}) == [(0, 4)]


def _guard(*names: str) -> set[str]:
    from lt_interview.domain.names import name_tokens

    return {name_digest("r1", token) for name in names for token in name_tokens(name)}


def test_disguised_forms_of_a_real_name_are_found():
    """Each of these once passed the export guard (an exploratory test wrote them into every format)."""
    digests = _guard("Tobias Wrenfield", "Katarina Wrenfield", "Zoë Marsh")
    for text in ("The Wrenfields moved house", "the Katarinas", "TOBIAS_WRENFIELD", "_Wrenfield_",
                 "Katarina2", "Wren\u00adfield", "Wren\u200bfield", "ＷＲＥＮＦＩＥＬＤ", "Tobías", "Tobi\u0301as",
                 "the Wrenfield-Smith family", "Wrenfields'", "Zoe", "ZOË", "Zoe\u0308", "Marshes"):
        assert holds_guarded_name(text, "r1", digests), text
        assert find_guarded_names(text, "r1", digests), text
    for text in ("Wrenfieldson", "Tobia", "a marshmallow", "Katarin", "Zo", ""):
        assert not holds_guarded_name(text, "r1", digests), text


def test_spans_point_at_the_words_as_written():
    digests = _guard("Tobias Wrenfield")
    text = "Seen: ＷＲＥＮＦＩＥＬＤ and Tobi\u0301as, then Wren\u00adfield's car"
    spans = find_guarded_names(text, "r1", digests)
    assert [text[start:end] for start, end in spans] == ["ＷＲＥＮＦＩＥＬＤ", "Tobi\u0301as", "Wren\u00adfield"]


def test_digests_kept_before_folding_still_match():
    """Conversation files packed earlier hold digests of each word exactly as written (casefolded)."""
    digests = {name_digest("r1", "zoë"), name_digest("r1", "o'neill")}
    assert holds_guarded_name("met Zoë", "r1", digests)
    assert holds_guarded_name("O'Neill said", "r1", digests)


@given(name=st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=3, max_size=12),
       form=st.sampled_from(["{}", "{}s", "{}'s", "{}_x", "x_{}", "{}2", "({})", "{}-Smith"]),
       upper=st.booleans(), soft_hyphen=st.integers(min_value=1, max_value=11))
def test_a_name_is_found_in_any_of_its_forms(name, form, upper, soft_hyphen):
    from lt_interview.domain.names import fold

    folded, _ = fold(name)
    # Letters whose case does not round-trip (Turkish dotless i) are the alphabet's, not the guard's.
    assume(len(folded) >= 3 and folded.isalpha() and fold(folded)[0] == folded == fold(name.upper())[0])
    digests = _guard(name)
    written = name.upper() if upper else name
    if soft_hyphen < len(written):
        written = written[:soft_hyphen] + "\u00ad" + written[soft_hyphen:]
    assert holds_guarded_name("seen: " + form.format(written) + ".", "r1", digests)
