"""Pure merge planning over sets of revisions (RELIABILITY.md §3).

A merge is a set union keyed by revision id. These functions hold no database: the importer
feeds them what it read, and `--dry-run` shows their plan. The property tests drive them with
thousands of generated multi-device histories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class Rev:
    """What merging needs to know about one revision."""

    revision_id: str
    record_id: str
    parents: frozenset[str] = frozenset()
    digest: str | bytes = ""  # compared only for equality; a merge keeps the raw bytes (half the memory)
    deleted: bool = False


class DigestMismatch(Exception):
    """A known revision id arrived with a different digest: tampering or a bug."""

    def __init__(self, revision_id: str, source: str = "") -> None:
        super().__init__(revision_id)
        self.revision_id = revision_id
        self.source = source  # the input that disagreed, when planning


RevSet = Mapping[str, Rev]


def as_set(revisions: Iterable[Rev]) -> dict[str, Rev]:
    found: dict[str, Rev] = {}
    for rev in revisions:
        _add(found, rev)
    return found


def _add(target: dict[str, Rev], rev: Rev) -> bool:
    """Add `rev` to `target`; False if it was already there. Raises DigestMismatch."""
    known = target.get(rev.revision_id)
    if known is None:
        target[rev.revision_id] = rev
        return True
    if known.digest != rev.digest:
        raise DigestMismatch(rev.revision_id)
    return False


def union(*sets: RevSet) -> dict[str, Rev]:
    """The union of revision sets, keyed by revision id; refuses a digest mismatch."""
    merged: dict[str, Rev] = {}
    for revisions in sets:
        for rev in revisions.values():
            _add(merged, rev)
    return merged


def heads(revisions: RevSet) -> dict[str, frozenset[str]]:
    """record_id -> its head revision ids (revisions no other revision names as a parent)."""
    named = {parent for rev in revisions.values() for parent in rev.parents}
    found: dict[str, set[str]] = {}
    for rev in revisions.values():
        if rev.revision_id not in named:
            found.setdefault(rev.record_id, set()).add(rev.revision_id)
    return {record_id: frozenset(ids) for record_id, ids in found.items()}


def conflicts(revisions: RevSet) -> dict[str, frozenset[str]]:
    """Records with more than one head. Nothing here picks a winner."""
    return {record_id: ids for record_id, ids in heads(revisions).items() if len(ids) > 1}


@dataclass
class InputPlan:
    name: str
    seen: int = 0
    added: int = 0
    duplicate: int = 0
    # Records left in conflict to which this input added a version (of a record known before it,
    # or one already in conflict once it was added); settled by Planner.finish.
    conflict_records: tuple[str, ...] = ()
    touched: frozenset[str] = field(default_factory=frozenset)
    _candidates: frozenset[str] = field(default_factory=frozenset, repr=False)

    @property
    def conflicts(self) -> int:
        return len(self.conflict_records)

    @property
    def result(self) -> str:
        return "added" if self.added else "duplicate"


@dataclass
class Plan:
    inputs: list[InputPlan]
    conflict_records: tuple[str, ...]  # every record in conflict once all inputs are merged

    @property
    def added(self) -> int:
        return sum(item.added for item in self.inputs)


class _State:
    """An incrementally maintained revision set with per-record heads, kept compact: the
    digest of each revision id, and per record a single revision id (the common case) or a set."""

    def __init__(self, existing: RevSet) -> None:
        self.digests: dict[str, object] = {}
        self.by_record: dict[str, str | set[str]] = {}
        self.named: set[str] = set()
        for rev in existing.values():
            self.add(rev)

    def add(self, rev: Rev) -> bool:
        known = self.digests.get(rev.revision_id, _MISSING)
        if known is not _MISSING:
            if known != rev.digest:
                raise DigestMismatch(rev.revision_id)
            return False
        self.digests[rev.revision_id] = rev.digest
        ids = self.by_record.get(rev.record_id)
        if ids is None:
            self.by_record[rev.record_id] = rev.revision_id
        elif isinstance(ids, str):
            self.by_record[rev.record_id] = {ids, rev.revision_id}
        else:
            ids.add(rev.revision_id)
        if rev.parents:
            self.named.update(rev.parents)
        return True

    def heads_of(self, record_id: str) -> set[str]:
        ids: str | set[str] | tuple[str, ...] = self.by_record.get(record_id, ())
        if isinstance(ids, str):
            ids = (ids,)
        return {rid for rid in ids if rid not in self.named}

    def in_conflict(self, record_id: str) -> bool:
        ids = self.by_record.get(record_id)
        if ids is None or isinstance(ids, str):
            return False  # one revision is one head at most
        return sum(1 for rid in ids if rid not in self.named) > 1


_MISSING = object()


class Planner:
    """`plan` one input at a time, so a caller need not hold every input's revisions at once."""

    def __init__(self, existing: RevSet) -> None:
        self.state = _State(existing)
        self.inputs: list[InputPlan] = []

    def know(self, revisions: Iterable[Rev]) -> None:
        """Revisions the target already holds (counted for no input). Raises DigestMismatch."""
        for rev in revisions:
            self.state.add(rev)

    def add_input(self, name: str, revisions: RevSet | Iterable[Rev], *, keep_touched: bool = True) -> InputPlan:
        """Plan one input (its revisions, by id or as an iterable of distinct revisions).
        Raises DigestMismatch naming the input."""
        state = self.state
        values = revisions.values() if isinstance(revisions, Mapping) else revisions
        item = InputPlan(name=name)
        touched: set[str] = set()
        brought: set[str] = set()  # records this input added a revision to
        created: set[str] = set()  # records this input brought first (for this input only)
        changed: set[str] = set()  # records known before this input, to which it added a version
        by_record = state.by_record
        for rev in values:
            item.seen += 1
            record_id = rev.record_id
            touched.add(record_id)
            known_before = record_id in by_record and record_id not in created
            try:
                new = state.add(rev)
            except DigestMismatch as exc:
                raise DigestMismatch(exc.revision_id, name) from None
            if new:
                item.added += 1
                brought.add(record_id)
                if known_before:
                    changed.add(record_id)
                else:
                    created.add(record_id)
            else:
                item.duplicate += 1
        # Only the conflicts this input brought: a file merged again, or one that merely carries
        # a copy of a record already in conflict, is not said to bring that conflict. Settled
        # against the conflicts left once every input is planned (`finish`): an input whose
        # version of a known record is later met by another input's counts it too.
        item.conflict_records = tuple(sorted(r for r in brought if state.in_conflict(r)))
        item._candidates = frozenset(changed) | frozenset(item.conflict_records)
        item.touched = frozenset(touched) if keep_touched else frozenset()
        self.inputs.append(item)
        return item

    def finish(self) -> Plan:
        state = self.state
        in_conflict = tuple(sorted(r for r in state.by_record if state.in_conflict(r)))
        final = frozenset(in_conflict)
        for item in self.inputs:
            item.conflict_records = tuple(sorted(item._candidates & final))
            item._candidates = frozenset()
        return Plan(inputs=self.inputs, conflict_records=in_conflict)


def plan(existing: RevSet, inputs: Sequence[tuple[str, RevSet]]) -> Plan:
    """What merging `inputs` in order into `existing` would do, input by input.

    Raises DigestMismatch (naming the revision) if any input disagrees with what is known.
    """
    planner = Planner(existing)
    for name, revisions in inputs:
        planner.add_input(name, revisions)
    return planner.finish()
