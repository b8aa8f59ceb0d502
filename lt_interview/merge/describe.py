"""Plain descriptions of competing versions, for the conflict screen (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lt_interview.domain.dates import show_date
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import Reviewer
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import Store

KIND_LABELS = {
    "note": "Notes", "episode": "Episode", "factor": "Contributory factor", "quote": "Quote",
    "went_well": "What went well", "query": "Query", "change": "Suggested change", "divergence": "Divergence",
    "conversation": "Conversation", "practitioner": "Practitioner", "reviewer": "Reviewer",
    "review": "Review settings", "framework": "Case framework", "structure": "Method structure",
    "chronology": "Chronology entry", "account": "Typed-up account",
}
# The field a reviewer edits when writing a combined version by hand.
MAIN_TEXT_FIELDS = ("text", "question", "title", "statement", "event", "overview")


@dataclass(frozen=True)
class Version:
    revision: Revision
    author: str
    fields: list[tuple[str, str]]  # (field name, value) of the non-empty fields

    @property
    def deleted(self) -> bool:
        return bool(self.revision.deleted)


@dataclass(frozen=True)
class Conflict:
    record_id: str
    kind: str
    label: str
    versions: list[Version]
    place: str = ""  # which conversation (by role) and stage: where(), for the listing


def _short(value: object, limit: int = 2000) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _status_words(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


def _date_words(value: str) -> str:
    try:
        return show_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def _in_words(key: str, value: object) -> str:
    """A field's value as a reviewer reads it: statuses and their dates in words, not codes."""
    if key == "status" and isinstance(value, str):
        return _status_words(value)
    if key == "status_dates" and isinstance(value, dict):
        return "; ".join(f"{_status_words(k)} {_date_words(v)}" for k, v in value.items())
    return _short(value)


def conflicts(store: Store) -> list[Conflict]:
    names = {rid: reviewer.name for rid, reviewer in store.records(Reviewer)}
    stages = stage_labels(store)
    found = []
    for record_id in store.conflicts():
        heads = store.heads(record_id)
        versions = []
        for revision in heads:
            data = revision.record().model_dump(mode="json")
            fields = [(key, _in_words(key, value)) for key, value in data.items()
                      if value not in ("", None, [], {}) and not key.endswith("_id")]
            author = names.get(revision.reviewer_id, "another reviewer" if revision.reviewer_id else "unknown")
            versions.append(Version(revision, author, fields))
        kind = heads[0].kind
        first = dict(versions[0].fields)
        title = next((first[key] for key in MAIN_TEXT_FIELDS if key in first), "")
        label = KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
        if title:
            label += ": " + " ".join(title.split())[:60]
        latest = max(heads, key=lambda revision: revision.created_at)
        found.append(Conflict(record_id, kind, label, versions, where(store, latest, stages)))
    return found


def where(store: Store, revision: Revision, stages: dict[str, str] | None = None) -> str:
    """Which conversation (by the practitioner's role, never a name) and what, in plain words and
    without the record's content: "notes, stage 3a Episodes, in the conversation with the GP"."""
    from lt_interview.analysis.people import the_role
    from lt_interview.domain.models import Conversation, Practitioner

    what = KIND_LABELS.get(revision.kind, revision.kind.replace("_", " ").capitalize())
    what = what[:1].lower() + what[1:]
    try:
        record = revision.record()
    except Exception:  # a body this version cannot read: say what we can
        record = None
    stage_id = getattr(record, "stage_id", None)
    if stage_id:
        stages = stage_labels(store) if stages is None else stages
        what += f", stage {stages.get(stage_id, stage_id)}"
    if getattr(record, "episode_id", None):
        what += " (within an episode)"
    conversation_id: str | None
    if revision.kind == "conversation":  # a conversation's own details (its scope is itself)
        what, conversation_id = "conversation details (status, dates, reviewers)", revision.record_id
    else:
        conversation_id = revision.conversation_id
    if not conversation_id:
        return what
    conversation = store.get(conversation_id)
    role = ""
    if conversation is not None and isinstance(conversation.record, Conversation):
        practitioner = store.get(conversation.record.practitioner_id)
        if practitioner is not None and isinstance(practitioner.record, Practitioner):
            role = practitioner.record.role
    return f"{what}, in the conversation with {the_role(role)}"


def stage_labels(store: Store) -> dict[str, str]:
    """stage id -> "3a Episodes", from the review's own copy of the structure."""
    from lt_interview.operations.review import structure_of

    try:
        structure = structure_of(store)
    except Exception:  # a damaged structure copy must not stop a listing
        return {}
    return {stage.id: f"{stage.number} {stage.short}" for stage in structure.conversation.stage}


def main_text_field(version: Version) -> str | None:
    record = version.revision.record()
    return next((name for name in MAIN_TEXT_FIELDS if isinstance(getattr(record, name, None), str)), None)
