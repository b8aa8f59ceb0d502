"""Two reviewers' typed-up versions of one account, brought together part by part.

Never imports Textual. When both the lead and the notetaker typed up in their own copies, the
combined file holds two heads of the account record (a conflict, RELIABILITY.md §3.2). Nothing
here picks a winner: the heads stay in the file until a reviewer saves, and the account shown
in the meantime is their part-by-part union:

- a part found in only one version is kept;
- a part with the same text in every version appears once;
- a part that only one version changed (from their common ancestor, or from what was captured
  in the conversation when the copies share no ancestor) takes that version's text;
- a part that both changed holds both texts, each under a marked line naming whose it is,
  for the reviewer to combine ("⟦Robin Ashdown's version⟧ ... ⟦end of the versions: ...⟧").

Marked lines stay visible reminders until the reviewer deletes them: `marked_parts` finds
them, type-up lists them among its reminders, and the account cannot move on to the accuracy
check while any remain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lt_interview.domain.account import Account
from lt_interview.storage.revisions import Revision
from lt_interview.domain.account_parts import iter_parts

OPEN, CLOSE = "⟦", "⟧"
END_VERSIONS = f"{OPEN}end of the versions: combine them into one, then delete the lines marked {OPEN} {CLOSE}{CLOSE}"
_MARK = re.compile(f"{OPEN}[^{CLOSE}\\n]*{CLOSE}")

# Fields that hold a part's identity or classification rather than wording.
_KEYS = ("part_id", "link_id")
_NOT_WORDING = {"part_id", "link_id", "source_id", "heading_id", "item", "conversation_id", "note_id",
                "part", "excerpt"}
_LISTS = ("overview_quotes", "episodes", "factors", "went_well", "queries", "changes", "links", "quotes")


def marked(label: str) -> str:
    return f"{OPEN}{label}{CLOSE}"


def versions_text(versions: list[tuple[str, str]], *, single_line: bool = False,
                  end: str = END_VERSIONS) -> str:
    """Each (label, text) under a marked line holding its label ("Robin Ashdown's version"),
    then a closing marked line."""
    pieces = []
    for label, text in versions:
        pieces.append(marked(label))
        pieces.append(text)
    pieces.append(end)
    return " ".join(" ".join(p.split()) for p in pieces) if single_line else "\n".join(pieces)


def marked_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _MARK.finditer(text)]


def first_mark(text: str) -> list[tuple[int, int]]:
    """The first marked line of a part, if any (one reminder per part)."""
    found = _MARK.search(text)
    return [(found.start(), found.end())] if found else []


def marked_parts(account: Account) -> list[str]:
    """The keys of the parts that still hold marked versions to combine."""
    return [part.key for part in iter_parts(account) if _MARK.search(part.text)]


# --- the common ancestor ------------------------------------------------------------------


def common_ancestor(history: list[Revision], heads: list[Revision]) -> Revision | None:
    """The latest revision every head descends from (None when the copies share none)."""
    by_id = {rev.revision_id: rev for rev in history}

    def ancestors(revision_id: str) -> set[str]:
        seen: set[str] = set()
        todo = [revision_id]
        while todo:
            current = todo.pop()
            if current in seen or current not in by_id:
                continue
            seen.add(current)
            todo.extend(by_id[current].parents)
        return seen

    shared = set.intersection(*(ancestors(head.revision_id) for head in heads)) if heads else set()
    if not shared:
        return None
    return max((by_id[r] for r in shared), key=lambda rev: (rev.created_at, rev.revision_id))


# --- merging values ---------------------------------------------------------------------


@dataclass
class _Merge:
    names: list[str]  # whose each version is, in the order of `versions`
    clashes: int = 0

    def value(self, values: list[Any], base: Any, has_base: bool, captured: Any, *,
              text: bool, single_line: bool) -> Any:
        distinct: list[Any] = []
        for value in values:
            if value not in distinct:
                distinct.append(value)
        if len(distinct) == 1:
            return distinct[0]
        if has_base:
            changed = [v for v in distinct if v != base]
            if len(changed) == 1:
                return changed[0]
        elif captured is not None:
            changed = [v for v in distinct if v != captured]
            if len(changed) == 1:
                return changed[0]
        if text:
            filled = [v for v in distinct if isinstance(v, str) and v.strip()]
            if len(filled) == 1:
                return filled[0]
            self.clashes += 1
            return versions_text(self._whose(values), single_line=single_line)
        return values[0]  # an identity or classification field no one edits on screen

    def _whose(self, values: list[Any]) -> list[tuple[str, str]]:
        """One entry per distinct text, naming every version that holds it."""
        grouped: dict[str, list[str]] = {}
        for name, value in zip(self.names, values):
            if isinstance(value, str) and value.strip():
                grouped.setdefault(value, [])
                if name not in grouped[value]:
                    grouped[value].append(name)
        return [(" / ".join(names), value) for value, names in grouped.items()]


def _identity(item: dict) -> str | None:
    for key in _KEYS:
        if key in item:
            return item[key]
    return None


def _merge_dict(merge: _Merge, present: Sequence[dict | None], base: dict | None, has_base: bool,
                captured: dict | None, single_line_fields: set[str]) -> dict:
    """Merge one part (or the whole account) held by some of the versions."""
    holders = [(name, item) for name, item in zip(merge.names, present) if item is not None]
    keys: list[str] = []
    for _, item in holders:
        keys.extend(k for k in item if k not in keys)
    result: dict = {}
    inner = _Merge([name for name, _ in holders])
    for key in keys:
        values = [item.get(key) for _, item in holders]
        base_value = base.get(key) if base else None
        captured_value = captured.get(key) if captured else None
        if key == "set_aside":  # what either version took out stays out
            result[key] = {k: v for item in [base_value or {}, *values] for k, v in (item or {}).items()}
        elif key in _LISTS:
            result[key] = _merge_list(inner, [v or [] for v in values], base_value or [], has_base and base is not None,
                                      captured_value or [], single_line_fields)
        else:
            result[key] = inner.value(values, base_value, has_base and base is not None and key in base,
                                      captured_value, text=isinstance(values[0], str) and key not in _NOT_WORDING,
                                      single_line=key in single_line_fields)
    merge.clashes += inner.clashes
    return result


def _merge_list(merge: _Merge, lists: list[list[dict]], base: list[dict], has_base: bool,
                captured: list[dict], single_line_fields: set[str]) -> list[dict]:
    """Every item of every version, once, in the first version's order (others' items after
    the item they followed)."""
    order: list[str | None] = []
    for items in lists:
        previous = None
        for item in items:
            ident = _identity(item)
            if ident not in order:
                order.insert(order.index(previous) + 1 if previous is not None else 0, ident)
            previous = ident
    by_base = {_identity(item): item for item in base}
    by_captured = {_identity(item): item for item in captured}
    merged = []
    for ident in order:
        present = [next((item for item in items if _identity(item) == ident), None) for items in lists]
        merged.append(_merge_dict(merge, present, by_base.get(ident), has_base and ident in by_base,
                                  by_captured.get(ident), single_line_fields))
    return merged


_SINGLE_LINE = {"title", "when"}


def merge_versions(versions: list[tuple[str, Account]], base: Account | None,
                   captured: Account | None = None) -> tuple[Account, int]:
    """The union of the versions, part by part; returns it and the number of parts that hold
    more than one text (marked, for the reviewer to combine)."""
    merge = _Merge([name for name, _ in versions])
    dumps = [account.model_dump(mode="json") for _, account in versions]
    base_dump = base.model_dump(mode="json") if base is not None else None
    result = _merge_dict(merge, dumps, base_dump, base is not None,
                         captured.model_dump(mode="json") if captured is not None else None, _SINGLE_LINE)
    _leave_out_set_aside(result, dumps, base_dump)
    return Account.model_validate(result), merge.clashes


def _leave_out_set_aside(result: dict, versions: list[dict], base: dict | None) -> None:
    """An episode one reviewer combined into another or deleted stays out of the union when no
    other version changed it since their common version (else it stays, with its changes)."""
    aside = result.get("set_aside") or {}
    if not aside or base is None:
        return
    before = {episode["part_id"]: episode for episode in base.get("episodes", [])}

    def untouched(part_id: str) -> bool:
        held = [e for version in versions for e in version.get("episodes", []) if e["part_id"] == part_id]
        return part_id in before and all(e == before[part_id] for e in held)

    result["episodes"] = [e for e in result.get("episodes", []) if e["part_id"] not in aside or not untouched(e["part_id"])]


def version_names(names: dict[str, str], heads: list[Revision]) -> list[str]:
    """A label for each head: whose version it is, by reviewer name, with the time it was saved
    when a name recurs or is not known."""
    def saved(head: Revision) -> str:
        return head.created_at[:16].replace("T", " ")

    plain = [names.get(head.reviewer_id) for head in heads]
    labels = []
    for name, head in zip(plain, heads):
        if name is None:
            labels.append(f"Version saved {saved(head)}")
        elif plain.count(name) > 1:
            labels.append(f"{name}'s version saved {saved(head)}")
        else:
            labels.append(f"{name}'s version")
    return labels
