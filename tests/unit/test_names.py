"""One word scanner for the name guard, used by type-up and by every export."""

from lt_interview.operations.names import find_guarded_names, holds_guarded_name, name_digest


def test_possessive_and_joined_forms_of_a_real_name_are_found():
    digests = {name_digest("r1", "bryn"), name_digest("r1", "castellan")}
    for text in ("Bryn's car", "Tenterden-Castellan", "BRYN’S", "seen by Bryn"):
        assert holds_guarded_name(text, "r1", digests), text
        assert find_guarded_names(text, "r1", digests), text
    for text in ("Brynmor", "a bryony", "Mr B", ""):
        assert not holds_guarded_name(text, "r1", digests), text
    assert find_guarded_names("Bryn's car", "r1", digests, cache={}) == [(0, 4)]
