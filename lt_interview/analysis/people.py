"""How the analysis and its exports name practitioners: by role, never by name.

Two practitioners with the same role get "Health visitor (1)" and "Health visitor (2)",
numbered in the order they were registered.
"""

from __future__ import annotations

from lt_interview.domain.models import Practitioner


def role_labels(practitioners: list[tuple[str, Practitioner]]) -> dict[str, str]:
    counts: dict[str, int] = {}
    for _, practitioner in practitioners:
        key = practitioner.role.strip().casefold()
        counts[key] = counts.get(key, 0) + 1
    seen: dict[str, int] = {}
    labels = {}
    for practitioner_id, practitioner in practitioners:
        role = practitioner.role.strip() or "Practitioner"
        key = role.casefold()
        if counts[key] > 1:
            seen[key] = seen.get(key, 0) + 1
            labels[practitioner_id] = f"{role} ({seen[key]})"
        else:
            labels[practitioner_id] = role
    return labels


def the_role(label: str) -> str:
    """"Health visitor" -> "the health visitor" (for running text)."""
    if not label:
        return "a practitioner"
    first, _, rest = label.partition(" ")
    # Keep acronyms and proper nouns as they are ("GP", "PC").
    head = first if first.isupper() or first[1:] != first[1:].lower() else first.lower()
    return "the " + " ".join(part for part in (head, rest) if part)
