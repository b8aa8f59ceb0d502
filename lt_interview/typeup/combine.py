"""Bring the lead's and the notetaker's copies of one conversation together.

The same rules as the review merge (RELIABILITY.md §3.2), through the same importer
(lt_interview/merge/importer.py): a set union of immutable revisions keyed by revision id,
all copies or none. Nothing is lost, both authors' revisions are kept, duplicates are not
doubled, combining again adds nothing, and competing heads are left as a conflict for a
reviewer to settle.

After the union, in a second transaction (the union alone already holds everything):

- a record whose competing versions agree (the same content, or, for the conversation record,
  changes to different fields from their common version, such as the lead's copy naming the
  lead and the notetaker's naming the notetaker) is settled with a revision naming every
  version as a parent, so it is not reported as a conflict; every version stays in the history;
- captured items that arrived with the other copy and are not yet in an account already typed
  up are added to it, in their parts (typeup/build.py `add_captured`); the typed wording is
  not changed. When the account itself has competing versions, nothing is written: type-up
  shows their part-by-part union until a reviewer saves (typeup/versions.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lt_interview.errors import ImportRefused
from lt_interview.merge.importer import merge_files
from lt_interview.domain.record_kinds import kind_model
from lt_interview.storage.store import Store
from lt_interview.typeup.versions import common_ancestor

@dataclass(frozen=True)
class CombineResult:
    source: Path
    seen: int
    added: int
    already_held: int
    conflicts: int  # records with competing heads after combining (in the whole file)
    settled: int = 0  # records whose versions agreed, settled on combining
    account_added: tuple[str, ...] = ()  # captured items added to the typed-up account
    account_versions: int = 0  # competing versions of the account itself (0 or 1: none)
    account_clashes: int = 0  # parts of the account both versions changed

    def describe(self) -> str:
        parts = [f"{self.source.name}: {self.added} new revision{'s' if self.added != 1 else ''} added",
                 f"{self.already_held} already held"]
        if self.conflicts:
            parts.append(f"{self.conflicts} record{'s' if self.conflicts != 1 else ''} with competing versions to settle")
        return ", ".join(parts)

    def account_lines(self) -> list[str]:
        """What combining meant for the typed-up account, for the reviewer to read."""
        lines = []
        if self.account_added:
            lines.append("Added to the typed-up account from the combined copies: "
                         + ", ".join(self.account_added) + " (your typed wording is unchanged).")
        if self.account_versions > 1:
            text = (f"Both reviewers typed up this account ({self.account_versions} versions): type-up shows "
                    "them combined part by part")
            if self.account_clashes:
                text += (f"; {self.account_clashes} part{'s' if self.account_clashes != 1 else ''} "
                         f"hold{'s' if self.account_clashes == 1 else ''} both versions, marked ⟦ ⟧, to combine")
            lines.append(text + ". Saving in type-up settles it; every version stays in the history.")
        return lines


def combine_copies(target: Store, sources: list[Path], passphrase: str) -> list[CombineResult]:
    """Combine the copies into `target` through the review merge's importer (all or none)."""
    sources = [Path(source) for source in sources]
    for source in sources:
        if source.exists() and source.resolve() == target.path.resolve():
            raise ImportRefused(f"{source.name}: refused: that is the file being typed up")
    target.seal_all()  # our own drafts become revisions first
    report = merge_files(target, sources, passphrase)
    settled = settle_agreeing_versions(target)
    added, versions, clashes = _bring_captures_into_account(target)
    conflicts = len(target.conflicts())
    return [CombineResult(item.path, item.seen, item.added, item.duplicate, conflicts, settled,
                          tuple(added), versions, clashes)
            for item in report.inputs]


def _bring_captures_into_account(store: Store) -> tuple[list[str], int, int]:
    from lt_interview.typeup import service

    conversation_id = store.meta("conversation_id")
    if not conversation_id or store.get(conversation_id) is None:
        return [], 0, 0
    state = service.load(store)
    if state.revision is None:
        return [], 0, 0  # not typed up yet: the pre-fill will hold everything
    if state.added and state.competing <= 1:
        with store.transaction():
            store.put(state.account, state.account_id)
            store.audit("account.captured_added", state.account_id, {"kinds": len(state.added)})
    return list(state.added), state.competing, state.clashes


# Records whose competing versions may be brought together field by field when each field was
# changed by at most one version. Every opening of a copy with a role writes the conversation
# record (the lead's names the lead, the notetaker's the notetaker), so two copies of one pack
# always disagree there without anyone disagreeing.
FIELD_MERGE_KINDS = ("conversation",)


def settle_agreeing_versions(store: Store) -> int:
    """Settle each record whose competing versions agree; returns how many were settled.

    Versions agree when they hold the same content, or (for FIELD_MERGE_KINDS) when no field
    was changed differently by two of them since their common version. The settling revision
    names every version as a parent (RELIABILITY.md §3.2), and nothing else is settled: a
    removal, a typed-up account, or a field changed two ways stays a conflict."""
    settled = 0
    for record_id in store.conflicts():
        heads = store.heads(record_id)
        if len(heads) < 2 or any(head.deleted for head in heads) or len({h.kind for h in heads}) != 1:
            continue
        body = _agreed_body(store, record_id, heads)
        if body is None:
            continue
        record = kind_model(heads[0].kind).model_validate(body)
        conversation_id = next((head.conversation_id for head in heads if head.conversation_id), None)
        with store.transaction():
            store.put(record, record_id, parents=[head.revision_id for head in heads],
                      conversation_id=conversation_id)
            store.audit("conflict.settled_agreeing", record_id, {"versions": len(heads)})
        settled += 1
    return settled


def _agreed_body(store: Store, record_id: str, heads) -> dict | None:
    bodies = [json.loads(head.body) for head in heads]
    if all(body == bodies[0] for body in bodies):
        return bodies[0]
    if heads[0].kind not in FIELD_MERGE_KINDS:
        return None
    base = common_ancestor(store.history(record_id), heads)
    if base is None or base.deleted:
        return None
    original = json.loads(base.body)
    merged: dict = {}
    for key in {key for body in bodies for key in body} | set(original):
        changed = []
        for body in bodies:
            value = body.get(key, original.get(key))
            if value != original.get(key) and value not in changed:
                changed.append(value)
        if len(changed) > 1:
            return None  # changed two ways: a reviewer decides
        merged[key] = changed[0] if changed else original.get(key)
    return merged
