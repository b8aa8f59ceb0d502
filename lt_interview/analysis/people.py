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
        role = role[:1].upper() + role[1:]  # a label starts a line or a column: "social worker" -> "Social worker"
        if counts[key] > 1:
            seen[key] = seen.get(key, 0) + 1
            labels[practitioner_id] = f"{role} ({seen[key]})"
        else:
            labels[practitioner_id] = role
    return labels


def the_role(label: str) -> str:
    """"Health visitor" -> "the health visitor" (for running text). A role written in title case
    ("Social Worker") is lowered throughout, not only its first word ("the social Worker")."""
    if not label:
        return "a practitioner"
    words = label.split(" ")

    def lowered(word: str) -> str:
        # Acronyms and words with capitals inside stay as they are ("GP", "PC", "McKenzie").
        return word.lower() if word[:1].isupper() and word[1:] == word[1:].lower() else word

    if all(word[:1].isupper() for word in words if word[:1].isalpha()):
        return "the " + " ".join(lowered(word) for word in words)
    return "the " + " ".join([lowered(words[0]), *words[1:]])
