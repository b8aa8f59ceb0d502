"""The last check before an export is written: no real name may appear in it.

Real names come from the review's pseudonym map and the practitioners' names (which the
review team uses among themselves and outputs never show), plus the salted name-guard
digests. The map itself is only read here, never written anywhere.
"""

from __future__ import annotations

import html
import re

from lt_interview.analysis.loader import load
from lt_interview.errors import BadInput
from lt_interview.operations.names import holds_guarded_name, name_digest, name_tokens
from lt_interview.storage.store import Store


class RealNameInExport(BadInput):
    """An export would contain a real name; nothing was written."""


# Words of the method and of our own headings are never treated as names, so a test name such
# as "Practitioner 0001" cannot block every export. Roles and agencies are added per review.
NOT_NAMES = frozenset("""
practitioner practitioners reviewer reviewers review conversation conversations episode episodes
account accounts draft agreed family health visitor social worker nurse officer manager team agency
agencies unknown police nursery school doctor midwife support duty response emergency department
""".split())


def guard_digests(store: Store) -> set[str]:
    review_id = store.review_id
    digests = {row[0] for row in store.conn.execute("SELECT digest FROM name_guard")}
    names = [row[0] for row in store.conn.execute("SELECT real_name FROM pseudonym_map")]
    practitioners = [item.record for item in load(store, "practitioner")]
    names += [p.name for p in practitioners]  # type: ignore[attr-defined]
    for name in names:
        digests |= {name_digest(review_id, token) for token in name_tokens(name or "")}
    common = set(NOT_NAMES)
    for practitioner in practitioners:
        common |= name_tokens(f"{practitioner.role} {practitioner.agency}")  # type: ignore[attr-defined]
    digests -= {name_digest(review_id, word) for word in common}
    return digests


def check_texts(store: Store, texts: list[tuple[str, str]], digests: set[str] | None = None) -> None:
    """Refuse (one line, without repeating the name) if any text holds a guarded name."""
    digests = guard_digests(store) if digests is None else digests
    if not digests:
        return
    cache: dict[str, str] = {}
    for text, where in texts:
        if text and holds_guarded_name(text, store.review_id, digests, cache):
            raise RealNameInExport(
                f"export refused: a real name appears in {where}; replace it with a pseudonym or the "
                "practitioner's role, then export again (nothing was written)")


_TAGS = re.compile(r"<[^>]*>")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>#|~!&+\-=.)])")


def plain_of_markup(text: str) -> str:
    """What a reader would see: tags dropped (as word breaks), entities and escapes undone."""
    return html.unescape(_MD_ESCAPE.sub(r"\1", _TAGS.sub(" ", text)))
