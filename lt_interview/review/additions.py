"""Adding to a review after it is created: a pseudonym (with the real name it stands for), a
household member or child in the case framework, and a reviewer. Each is refused when it
repeats what the review already holds, and each is an audited change of the review database
(merged data included). The audit trail names the change, never the names themselves.

Conversation files carry what the review held when they were packed: a file packed from now on
carries the addition; exports are always checked against the review's own, current map."""

from __future__ import annotations

import json

from pydantic import ValidationError

from lt_interview.domain.models import CaseFramework, HouseholdMember, Reviewer
from lt_interview.domain.names import holds_guarded_name, name_digest, name_tokens
from lt_interview.domain.text import MAX_LINE, clean_line
from lt_interview.errors import BadInput, describe_validation
from lt_interview.review.setup import add_pseudonym
from lt_interview.storage.lookups import name_guard_digests
from lt_interview.storage.store import Store


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _line(value: str, what: str, option: str) -> str:
    value = " ".join(clean_line(value or "").split())
    if not value:
        raise BadInput(f"give the {what} ({option})")
    if len(value) > MAX_LINE:
        raise BadInput(f"the {what} is longer than {MAX_LINE} characters")
    return value


def _refuse_real_name_in(store: Store, pseudonym: str) -> None:
    """A pseudonym holding a word of a real name would be flagged wherever it is used."""
    if holds_guarded_name(pseudonym, store.review_id, name_guard_digests(store)):
        raise BadInput(f"the pseudonym '{pseudonym}' contains a word of a real name in the pseudonym map; "
                       "choose one that does not")


def add_pseudonym_entry(store: Store, pseudonym: str, real_name: str, category: str = "family") -> str:
    """Map `pseudonym` to `real_name`, and guard every word of the real name from now on."""
    store.refuse_if_purged()
    pseudonym = _line(pseudonym, "pseudonym", "--pseudonym")
    real_name = _line(real_name, "real name", "--real")
    category = _line(category, "category", "--category")
    rows = store.conn.execute("SELECT pseudonym, real_name FROM pseudonym_map").fetchall()
    if any(_same(pseudonym, known) for known, _ in rows):
        raise BadInput(f"'{pseudonym}' is already a pseudonym in this review; choose another")
    taken = [known for known, real in rows if _same(real_name, real)]
    if taken:  # the real name is never repeated in a message (it could reach a screen share or a log)
        raise BadInput(f"that real name already has a pseudonym in this review ('{taken[0]}')")
    if not name_tokens(real_name):
        raise BadInput("the real name has no word of three letters or more for the real-name check to look for")
    if name_tokens(real_name) & name_tokens(pseudonym):
        raise BadInput(f"the pseudonym '{pseudonym}' contains a word of the real name; choose one that does not")
    _refuse_real_name_in(store, pseudonym)
    shared = [known for known, _ in rows if name_tokens(real_name) & name_tokens(known)]
    if shared:
        raise BadInput(f"a word of that real name is in the pseudonym '{shared[0]}'; change that pseudonym first")
    with store.transaction():
        add_pseudonym(store, pseudonym, real_name, category)
    return pseudonym


# Records that name people by their real names on purpose, or hold no case text.
_NOT_CASE_TEXT = ("practitioner", "reviewer", "review", "structure")


def records_naming(store: Store, real_name: str) -> int:
    """How many current records of the review (merged conversations, analysis, chronology) hold a
    word of `real_name`: exports refuse them until the name is replaced by its pseudonym."""
    digests = {name_digest(store.review_id, token) for token in name_tokens(real_name)}
    cache: dict[str, str] = {}
    marks = ", ".join("?" for _ in _NOT_CASE_TEXT)
    count = 0
    for (body,) in store.conn.execute(
            f"SELECT r.body FROM head h JOIN revision r USING (revision_id) WHERE h.deleted = 0 "
            f"AND h.kind NOT IN ({marks})", _NOT_CASE_TEXT):
        texts = _strings(json.loads(body))
        if any(holds_guarded_name(text, store.review_id, digests, cache) for text in texts):
            count += 1
    return count


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def add_household_member(store: Store, pseudonym: str, relationship: str = "", *,
                         child: bool = False) -> HouseholdMember:
    """Add a child or household member (by pseudonym) to the case framework: a new revision."""
    store.refuse_if_purged()
    pseudonym = _line(pseudonym, "pseudonym", "--pseudonym")
    try:
        member = HouseholdMember(pseudonym=pseudonym, relationship=relationship or "")
    except ValidationError as exc:
        raise BadInput(f"household member: {describe_validation(exc)}") from None
    found = store.one(CaseFramework)
    record_id, framework = found if found else (None, CaseFramework())
    if record_id is not None and len(store.heads(record_id)) > 1:
        raise BadInput("the case framework has competing versions from a merge; settle them first "
                       "(lt-interview conflicts), then add the member")
    for known in [*framework.children, *framework.household]:
        if _same(known.pseudonym, member.pseudonym):
            raise BadInput(f"'{known.pseudonym}' is already in the case framework")
    _refuse_real_name_in(store, member.pseudonym)
    listing = "children" if child else "household"
    changed = framework.model_copy(update={listing: [*getattr(framework, listing), member]})
    with store.transaction():
        revision = store.put(changed, record_id)
        store.audit("framework.member_add", revision.record_id, {"list": listing})
    return member


def add_reviewer(store: Store, name: str, role: str = "Lead reviewer") -> tuple[str, Reviewer]:
    store.refuse_if_purged()
    name = _line(name, "reviewer's name", "--name")
    role = _line(role, "reviewer's role", "--role")
    for _, known in store.records(Reviewer):
        if _same(known.name, name):
            raise BadInput(f"'{known.name}' is already a reviewer in this review")
    try:
        reviewer = Reviewer(name=name, role=role)
    except ValidationError as exc:
        raise BadInput(f"reviewer: {describe_validation(exc)}") from None
    with store.transaction():
        revision = store.put(reviewer)
        store.audit("reviewer.add", revision.record_id, {})
    return revision.record_id, reviewer
