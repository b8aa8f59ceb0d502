"""Merge algebra over generated three-device histories (RELIABILITY.md §3.3, acceptance M1, M3).

Each example simulates three devices that create, edit and remove records and now and then
sync with each other, then checks the pure planner: union is idempotent, commutative,
associative and lossless; heads are exactly the revisions nothing descends from, so
concurrent edits (and an edit racing a removal) show as conflicts with two or more heads.
Together these tests run well over 1,000 generated histories.
"""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lt_interview.merge.plan import DigestMismatch, Rev, conflicts, heads, plan, union

DEVICES = 3
RECORDS = 4

op = st.tuples(
    st.integers(0, DEVICES - 1),  # device
    st.sampled_from(["create", "edit", "edit", "delete", "sync"]),
    st.integers(0, RECORDS - 1),  # record
    st.integers(0, DEVICES - 1),  # sync partner
)


def simulate(ops) -> list[dict[str, Rev]]:
    """Run the operations; return each device's revision set."""
    counter = itertools.count()
    devices: list[dict[str, Rev]] = [{} for _ in range(DEVICES)]

    def new_rev(device: int, record: int, parents: frozenset[str], deleted: bool) -> Rev:
        rid = f"r{next(counter)}-d{device}"
        digest = hashlib.sha256(f"{rid}|{record}|{sorted(parents)}|{deleted}".encode()).hexdigest()
        return Rev(rid, f"rec{record}", parents, digest, deleted)

    for device, kind, record, partner in ops:
        mine = devices[device]
        record_heads = heads(mine).get(f"rec{record}", frozenset())
        if kind == "create" or (kind in ("edit", "delete") and not record_heads):
            if record_heads:
                continue
            rev = new_rev(device, record, frozenset(), False)
        elif kind in ("edit", "delete"):
            rev = new_rev(device, record, record_heads, kind == "delete")
        else:
            devices[device] = union(mine, devices[partner])
            continue
        devices[device][rev.revision_id] = rev
    return devices


histories = st.lists(op, min_size=1, max_size=30).map(simulate)
FAST = settings(max_examples=350, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ancestors(revisions: dict[str, Rev], revision_id: str) -> set[str]:
    seen: set[str] = set()
    stack = list(revisions[revision_id].parents)
    while stack:
        current = stack.pop()
        if current in seen or current not in revisions:
            continue
        seen.add(current)
        stack.extend(revisions[current].parents)
    return seen


@FAST
@given(histories)
def test_union_is_idempotent_commutative_associative_and_lossless(devices):
    a, b, c = devices
    assert union(a, a) == a
    assert union(a, b) == union(b, a)
    assert union(union(a, b), c) == union(a, union(b, c)) == union(c, b, a)
    merged = union(a, b, c)
    assert set(merged) == set(a) | set(b) | set(c)
    for device in devices:
        for rid, rev in device.items():
            assert merged[rid] == rev  # nothing lost, nothing altered


@FAST
@given(histories)
def test_heads_are_exactly_the_revisions_nothing_descends_from(devices):
    merged = union(*devices)
    found = heads(merged)
    by_record: dict[str, set[str]] = {}
    for rev in merged.values():
        by_record.setdefault(rev.record_id, set()).add(rev.revision_id)
    for record_id, ids in by_record.items():
        below = set().union(*(ancestors(merged, rid) for rid in ids))
        maximal = ids - below
        assert found[record_id] == maximal
        # every version is either current or an ancestor of a current one: nothing hidden
        current = found[record_id]
        assert ids <= current | set().union(*(ancestors(merged, rid) for rid in current))
        # concurrent versions (neither descends from the other) both stay visible unless a
        # later version settles them by naming both
        for x, y in itertools.combinations(ids, 2):
            if x not in ancestors(merged, y) and y not in ancestors(merged, x):
                settled = any({x, y} <= ancestors(merged, h) | {h} for h in current)
                assert settled or (len(current) >= 2)
    assert set(conflicts(merged)) == {r for r, h in found.items() if len(h) > 1}


@FAST
@given(histories, st.permutations(range(DEVICES)))
def test_plan_counts_match_the_union_in_any_order(devices, order):
    a = devices[0]
    inputs = [(f"device{i}", devices[i]) for i in order]
    result = plan(a, inputs)
    merged = union(a, *(revs for _, revs in inputs))
    assert result.added == len(merged) - len(a)
    assert set(result.conflict_records) == set(conflicts(merged))
    for item, (_, revs) in zip(result.inputs, inputs):
        assert item.added + item.duplicate == len(revs)
    # merging again adds nothing and every input is a duplicate
    again = plan(merged, inputs)
    assert again.added == 0 and all(item.result == "duplicate" for item in again.inputs)
    assert set(again.conflict_records) == set(result.conflict_records)


def test_concurrent_edits_and_edit_against_delete_are_conflicts():
    base = Rev("r0", "rec", frozenset(), "d0")
    edit_a = Rev("r1", "rec", frozenset({"r0"}), "d1")
    edit_b = Rev("r2", "rec", frozenset({"r0"}), "d2")
    delete_c = Rev("r3", "rec", frozenset({"r0"}), "d3", deleted=True)
    one = {r.revision_id: r for r in (base, edit_a)}
    two = {r.revision_id: r for r in (base, edit_b)}
    three = {r.revision_id: r for r in (base, delete_c)}
    assert conflicts(union(one, two)) == {"rec": frozenset({"r1", "r2"})}
    assert conflicts(union(one, three)) == {"rec": frozenset({"r1", "r3"})}
    assert conflicts(union(one, two, three))["rec"] == frozenset({"r1", "r2", "r3"})
    settle = Rev("r4", "rec", frozenset({"r1", "r2", "r3"}), "d4")
    assert conflicts(union(one, two, three, {"r4": settle})) == {}


@pytest.mark.parametrize("where", [0, 1])
def test_a_known_id_with_another_digest_is_refused(where):
    good = {"r0": Rev("r0", "rec", frozenset(), "d0")}
    bad = {"r0": Rev("r0", "rec", frozenset(), "tampered")}
    sets = [good, bad] if where == 0 else [bad, good]
    with pytest.raises(DigestMismatch) as caught:
        union(*sets)
    assert caught.value.revision_id == "r0"
    with pytest.raises(DigestMismatch):
        plan(sets[0], [("x", sets[1])])


def test_each_input_counts_only_the_conflicts_it_brought():
    from lt_interview.merge.plan import Rev, plan

    base = Rev("r0", "note", frozenset(), "d0")
    a = Rev("ra", "note", frozenset({"r0"}), "da")
    b = Rev("rb", "note", frozenset({"r0"}), "db")
    fresh = Rev("rn", "other", frozenset(), "dn")
    existing = {"r0": base}
    first = plan(existing, [("a", {"r0": base, "ra": a}), ("b", {"r0": base, "rb": b}), ("c", {"rn": fresh})])
    assert [item.conflicts for item in first.inputs] == [1, 1, 0]  # both versions' files, in either order
    merged = {"r0": base, "ra": a, "rb": b, "rn": fresh}
    again = plan(merged, [("a", {"r0": base, "ra": a}), ("b", {"r0": base, "rb": b})])
    assert [item.conflicts for item in again.inputs] == [0, 0] and again.conflict_records == ("note",)
    settle = Rev("rs", "note", frozenset({"ra", "rb"}), "ds")
    settled = plan(existing, [("a", {"ra": a}), ("b", {"rb": b}), ("s", {"ra": a, "rb": b, "rs": settle})])
    assert [item.conflicts for item in settled.inputs] == [0, 0, 0] and settled.conflict_records == ()
