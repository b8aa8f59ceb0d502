"""The last check before an export is written: no real name may appear in it.

Real names come from the review's pseudonym map and the practitioners' names (which the
review team uses among themselves and outputs never show), plus the salted name-guard
digests. The map itself is only read here, never written anywhere.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from lt_interview.analysis.loader import load
from lt_interview.domain.names import find_guarded_names, holds_guarded_name, name_digest, name_tokens
from lt_interview.errors import BadInput
from lt_interview.storage.lookups import name_guard_digests
from lt_interview.storage.store import Store

MAX_LISTED = 20  # findings listed one a line; the rest are counted


@dataclass(frozen=True)
class NameFound:
    """A name-like word that is a real name, and where it is."""

    word: str  # as written
    where: str  # "the conversation with the GP (agreed account), Episode 1: ..., What they did"
    line: int

    def describe(self) -> str:
        return f"“{' '.join(self.word.split())}” in {self.where}, line {self.line}"


def found_in(text: str, where: str, review_id: str, digests: set[str], cache: dict | None = None) -> list[NameFound]:
    """Every guarded word of `text`, with its line."""
    return [NameFound(text[start:end], where, text.count("\n", 0, start) + 1)
            for start, end in find_guarded_names(text, review_id, digests, cache)]


class RealNamesFound(BadInput):
    """Real names were found where none may be: a first line saying what was refused, then one
    line per finding (word, where, line), then how to fix them."""

    def __init__(self, refused: str, found: list[NameFound], fix: str) -> None:
        unique = list(dict.fromkeys(found))
        lines = [f"{refused}: {len(unique)} real name{'s' if len(unique) != 1 else ''} found "
                 "(replace each with its pseudonym, or the practitioner's role):"]
        lines += ["  " + item.describe() for item in unique[:MAX_LISTED]]
        if len(unique) > MAX_LISTED:
            lines.append(f"  and {len(unique) - MAX_LISTED} more")
        lines.append(fix)
        self.found = unique
        # Each line is one line (no data can add more); the lines are the message.
        Exception.__init__(self, "\n".join(" ".join(line.split()) if not line.startswith("  ") else
                                           "  " + " ".join(line.split()) for line in lines))


class RealNameInExport(RealNamesFound):
    """An export would contain a real name; nothing was written."""


FIX_ACCOUNT = ("To fix an account: in `lt-interview typeup ROLE.ltc`, Ctrl+R (Replace) finds the word and replaces it with "
               "the pseudonym everywhere in the account (a new version); have the corrected version agreed, merge "
               "it, and export again. Nothing was written.")
FIX_RECORDS = ("To fix the review team's own records (key practice episodes, findings, meetings, links), redraft "
               "them on the analysis screen, then export again. Nothing was written.")
FIX_REPORT = ("To fix it, redraft the record named on the analysis screen (or, for a practitioner's words, Ctrl+R in "
              "`lt-interview typeup ROLE.ltc` and have the corrected account agreed and merged), then draft the report "
              "again. Nothing was written.")


# Words of the method and of our own headings are never treated as names, so a test name such
# as "Practitioner 0001" cannot block every export. Roles and agencies are added per review.
NOT_NAMES = frozenset("""
practitioner practitioners reviewer reviewers review conversation conversations episode episodes
account accounts draft agreed family health visitor social worker nurse officer manager team agency
agencies unknown police nursery school doctor midwife support duty response emergency department
""".split())


def guard_digests(store: Store) -> set[str]:
    review_id = store.review_id
    digests = name_guard_digests(store)
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


def check_texts(store: Store, texts: list[tuple[str, str]], digests: set[str] | None = None, *,
                refused: str = "export refused", fix: str | None = None) -> None:
    """Refuse if any text holds a guarded name, naming each word, where it is and its line."""
    digests = guard_digests(store) if digests is None else digests
    if not digests:
        return
    cache: dict[str, str] = {}
    found: list[NameFound] = []
    for text, where in texts:
        if text and holds_guarded_name(text, store.review_id, digests, cache):
            found += found_in(text, where, store.review_id, digests, cache)
    if found:
        raise RealNameInExport(refused, found, fix or FIX_RECORDS)


def account_texts(data, conversation_id: str) -> list[tuple[str, str]]:
    """(text, where) for every part of a conversation's account as the analysis reads it."""
    from lt_interview.analysis.people import the_role
    from lt_interview.domain.account_parts import iter_parts

    source = data.accounts[conversation_id]

    def heading_title(heading_id: str) -> str:
        try:
            return data.structure.heading(heading_id).title
        except KeyError:
            return heading_id

    who = f"the conversation with {the_role(data.label_of_conversation(conversation_id))} ({source.label})"
    found = []
    for part in iter_parts(source.account, heading_title):
        section = f"{part.section_title}, " if part.section_title != part.label else ""
        found.append((part.text, f"{who}, {section}{part.label}"))
    return found


def names_in_accounts(store: Store, data, digests: set[str] | None = None) -> list[tuple[NameFound, str]]:
    """Every real name in the accounts `data` holds, with the practitioner's role of its
    conversation (for the analysis screen's list)."""
    from lt_interview.analysis.people import the_role

    digests = guard_digests(store) if digests is None else digests
    if not digests:
        return []
    cache: dict[str, str] = {}
    found: list[tuple[NameFound, str]] = []
    for conversation_id in data.accounts:
        role = the_role(data.label_of_conversation(conversation_id))
        for text, where in account_texts(data, conversation_id):
            if text and holds_guarded_name(text, store.review_id, digests, cache):
                found += [(item, role) for item in found_in(text, where, store.review_id, digests, cache)]
    return list(dict.fromkeys(found))


def check_accounts(store: Store, data, digests: set[str] | None = None) -> None:
    """Refuse an export if an account it would carry holds a real name: each one named with
    its conversation (by the practitioner's role), part and line."""
    found = [item for item, _ in names_in_accounts(store, data, digests)]
    if found:
        raise RealNameInExport("export refused", found, FIX_ACCOUNT)


_TAGS = re.compile(r"<[^>]*>")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>#|~!&+\-=.)])")


def plain_of_markup(text: str) -> str:
    """What a reader would see: tags dropped (as word breaks), entities and escapes undone."""
    return html.unescape(_MD_ESCAPE.sub(r"\1", _TAGS.sub(" ", text)))
