"""The digest's fast path writes the canonical JSON out by hand; it must be byte-identical to
the general encoder, or every stored digest would stop matching."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lt_interview.storage.revisions import _DIGEST_FIELDS, _plain_material, canonical_json

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
value = st.one_of(st.none(), text, st.integers(min_value=-2**70, max_value=2**70))


def general(fields: dict) -> str:
    material = {key: fields[key] for key in _DIGEST_FIELDS}
    material["parents"] = sorted(fields["parents"])
    return canonical_json(material)


@settings(max_examples=500)
@given(st.fixed_dictionaries({key: value for key in _DIGEST_FIELDS}), st.lists(text, max_size=5))
def test_fast_path_matches_the_general_encoder(fields, parents):
    fields["parents"] = parents
    assert _plain_material(fields) == general(fields)


def test_unusual_types_fall_back_to_the_general_encoder():
    fields = {key: "x" for key in _DIGEST_FIELDS}
    fields["parents"] = []
    for odd in (True, 1.5, ["a"], {"a": 1}):
        assert _plain_material({**fields, "deleted": odd}) is None
    assert _plain_material({**fields, "parents": [1]}) is None
