"""The key practice episodes register, and episode links, written through Store.put so every
change is a revision (merged without loss; concurrent edits become visible conflicts)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from lt_interview.analysis.loader import load
from lt_interview.domain.analysis import EpisodeLink, Evidence, KeyPracticeEpisode, PatternMapping
from lt_interview.domain.structure import MethodStructure
from lt_interview.errors import BadInput, describe_validation
from lt_interview.storage.store import Store
from lt_interview.domain.ids import short_id
from lt_interview.domain.models import Record

R = TypeVar("R", bound=Record)


def _structure(store: Store) -> MethodStructure:
    from lt_interview.operations.review import structure_of

    return structure_of(store)


def factor_ids(structure: MethodStructure) -> dict[str, str]:
    """Every factor id a KPE may link to -> its label: headings and their framework items."""
    ids: dict[str, str] = {}
    for heading, item in structure.factor_choices():
        if item:
            ids[heading.item_id(item)] = f"{heading.title}: {item}"
        else:
            ids[heading.id] = heading.title
    return ids


def _invalid(exc: ValidationError, what: str) -> BadInput:
    return BadInput(f"{what}: {describe_validation(exc, what)}")


def revised(store: Store, record_id: str, model: type[R], what: str, changes: dict[str, Any]) -> R:
    """The current `model` record `record_id` with `changes`, validated; one line if there is
    no such record or the result does not validate. Written by the caller."""
    current = store.get(record_id)
    if current is None or current.record.kind != model.kind:
        raise BadInput(f"no {what} {short_id(record_id)}")
    try:
        return model.model_validate({**current.record.model_dump(), **changes})
    except ValidationError as exc:
        raise _invalid(exc, what) from None


def _check_links(store: Store, kpe: KeyPracticeEpisode) -> None:
    structure = _structure(store)
    unknown = [fid for fid in kpe.factor_ids if fid not in factor_ids(structure)]
    if unknown:
        raise BadInput(f"unknown contributory factor '{unknown[0]}'")
    biases = {bias.id for bias in structure.biases.bias}
    unknown = [bid for bid in kpe.bias_ids if bid not in biases]
    if unknown:
        raise BadInput(f"unknown reasoning-bias tag '{unknown[0]}'")
    reviewers_own = {bias.id: bias.label for bias in structure.biases.reviewers_own()}
    own = [bid for bid in kpe.bias_ids if bid in reviewers_own]
    if own:
        raise BadInput(f"'{reviewers_own[own[0]]}' is a bias of the reviewers' own reading, not a tag on the "
                       "explanation of a practitioner's practice")
    people = {item.record_id for item in load(store, "practitioner")}
    unknown = [pid for pid in kpe.practitioner_ids if pid not in people]
    if unknown:
        raise BadInput(f"no practitioner {short_id(unknown[0])} in this review")


def next_number(store: Store) -> int:
    numbers = [item.record.number for item in load(store, "kpe")]  # type: ignore[attr-defined]
    return max(numbers, default=0) + 1


def add_kpe(store: Store, *, title: str, number: int | None = None, **fields: Any) -> str:
    try:
        kpe = KeyPracticeEpisode(title=title, number=number or next_number(store), **fields)
    except ValidationError as exc:
        raise _invalid(exc, "key practice episode") from None
    _check_links(store, kpe)
    with store.transaction():
        revision = store.put(kpe)
    return revision.record_id


def update_kpe(store: Store, kpe_id: str, **changes: Any) -> None:
    kpe = revised(store, kpe_id, KeyPracticeEpisode, "key practice episode", changes)
    _check_links(store, kpe)
    with store.transaction():
        store.put(kpe, kpe_id)


def add_evidence(store: Store, kpe_id: str, kind: str, ref_id: str | None, excerpt: str = "") -> None:
    current = store.get(kpe_id)
    if current is None or current.record.kind != KeyPracticeEpisode.kind:
        raise BadInput(f"no key practice episode {short_id(kpe_id)}")
    try:
        item = Evidence(kind=kind, ref_id=ref_id, excerpt=excerpt)
    except ValidationError as exc:
        raise _invalid(exc, "evidence") from None
    evidence = list(current.record.evidence) + [item]  # type: ignore[attr-defined]
    update_kpe(store, kpe_id, evidence=[entry.model_dump() for entry in evidence])


def list_kpes(store: Store) -> list[tuple[str, KeyPracticeEpisode]]:
    found = [(item.record_id, item.record) for item in load(store, "kpe")]
    found.sort(key=lambda pair: (pair[1].number, pair[1].title.casefold()))  # type: ignore[attr-defined]
    return found  # type: ignore[return-value]


def remove(store: Store, record_id: str) -> None:
    with store.transaction():
        store.delete(record_id)


# --- episode links ------------------------------------------------------------------------


def link_episodes(store: Store, episode_ids: list[str], *, label: str = "", note: str = "") -> str:
    ids = list(dict.fromkeys(episode_ids))
    if len(ids) < 2:
        raise BadInput("choose at least two episodes to link as the same event")
    from lt_interview.analysis.data import load_case

    data = load_case(store)
    missing = [eid for eid in ids if data.episode(eid) is None]
    if missing:
        raise BadInput(f"no episode {short_id(missing[0])} in this review")
    try:
        link = EpisodeLink(episode_ids=ids, label=label, note=note)
    except ValidationError as exc:
        raise _invalid(exc, "episode link") from None
    with store.transaction():
        return store.put(link).record_id


# --- typology mapping ---------------------------------------------------------------------


def map_to_category(store: Store, kpe_id: str, category_id: str, rationale: str = "") -> str:
    if store.get(kpe_id) is None:
        raise BadInput(f"no key practice episode {short_id(kpe_id)}")
    try:
        _structure(store).category(category_id)
    except KeyError:
        raise BadInput(f"unknown typology category '{category_id}'") from None
    for item in load(store, "pattern_mapping"):
        mapping = item.record
        if mapping.kpe_id == kpe_id and mapping.category_id == category_id:  # type: ignore[attr-defined]
            if rationale and rationale != mapping.rationale:  # type: ignore[attr-defined]
                with store.transaction():
                    store.put(PatternMapping(kpe_id=kpe_id, category_id=category_id, rationale=rationale),
                              item.record_id)
            return item.record_id
    try:
        record = PatternMapping(kpe_id=kpe_id, category_id=category_id, rationale=rationale)
    except ValidationError as exc:
        raise _invalid(exc, "pattern mapping") from None
    with store.transaction():
        return store.put(record).record_id


def mappings_of(store: Store, kpe_id: str | None = None) -> list[tuple[str, PatternMapping]]:
    found = [(item.record_id, item.record) for item in load(store, "pattern_mapping")]
    return [pair for pair in found if kpe_id is None or pair[1].kpe_id == kpe_id]  # type: ignore[attr-defined, misc]
