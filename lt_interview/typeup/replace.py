"""Find and replace across a whole account: a real name that slipped in becomes its pseudonym
(or the practitioner's role) in every part at once. Never imports Textual.

Matching is by whole word or phrase, in any case, so "Bryn" is replaced in "Bryn's" but not
in "Brynmor"; the replacement is written as given. The result is a new account: saved through
the type-up service it is a new revision, and an agreed version is never changed in place
(editing an agreed account starts a new version that goes round the check again).
"""

from __future__ import annotations

import re

from lt_interview.domain.account import Account
from lt_interview.errors import BadInput
from lt_interview.domain.account_parts import iter_parts, set_text


def pattern_for(find: str) -> re.Pattern[str]:
    words = find.split()
    if not words:
        raise BadInput("give the word or name to find")
    body = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


def replace_in(account: Account, find: str, replacement: str) -> tuple[Account, int, list[str]]:
    """`account` with every whole-word occurrence of `find` replaced, the number replaced and
    the labels of the parts changed ("Episode 1: ..., What they did")."""
    replacement = " ".join(replacement.split())
    if not replacement:
        raise BadInput("give the pseudonym (or the practitioner's role) to put in its place")
    pattern = pattern_for(find)
    count = 0
    changed: list[str] = []
    new = account
    for part in iter_parts(account):
        text, n = pattern.subn(lambda _: replacement, part.text)
        if n:
            count += n
            new = set_text(new, part.key, text)
            label = part.label if part.section_title == part.label else f"{part.section_title}, {part.label}"
            changed.append(label)
    # Linked excerpts quote the raw notes, which stay as they were (the audit trail).
    return new, count, changed
