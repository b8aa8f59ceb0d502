"""Roles in running text and labels (issue #19: "social Worker" seen in exports)."""

from __future__ import annotations

from lt_interview.analysis.people import role_labels, the_role
from lt_interview.domain.models import Practitioner


def test_the_role_in_running_text():
    assert the_role("Social Worker") == "the social worker"
    assert the_role("Duty Social Worker (2)") == "the duty social worker (2)"
    assert the_role("Health visitor") == "the health visitor"
    assert the_role("social worker") == "the social worker"
    assert the_role("GP") == "the GP"
    assert the_role("GP Practice Nurse") == "the GP practice nurse"
    assert the_role("Health visitor for the Millbrook team") == "the health visitor for the Millbrook team"
    assert the_role("") == "a practitioner"


def test_labels_start_with_a_capital():
    practitioners = [("p1", Practitioner(name="Sam Example", role="social worker", agency="Children's social care")),
                     ("p2", Practitioner(name="Kim Example", role="social worker", agency="Children's social care")),
                     ("p3", Practitioner(name="Lee Example", role="GP", agency="GP practice"))]
    assert role_labels(practitioners) == {"p1": "Social worker (1)", "p2": "Social worker (2)", "p3": "GP"}
