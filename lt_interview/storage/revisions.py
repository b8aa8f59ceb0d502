"""Immutable, content-addressed revisions: the unit of storage and of merging."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from lt_interview.domain.models import Record, kind_model


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Revision:
    revision_id: str
    record_id: str
    kind: str
    conversation_id: str | None
    parents: tuple[str, ...]
    reviewer_id: str
    device_id: str
    created_at: str
    deleted: int
    schema_version: int
    body: str  # canonical JSON of the record's fields
    digest: str

    @staticmethod
    def compute_digest(fields: dict) -> str:
        material = {key: fields[key] for key in (
            "revision_id", "record_id", "kind", "conversation_id", "reviewer_id", "device_id",
            "created_at", "deleted", "schema_version", "body")}
        material["parents"] = sorted(fields["parents"])
        return hashlib.sha256(canonical_json(material).encode("utf-8")).hexdigest()

    @classmethod
    def build(cls, **fields: Any) -> "Revision":
        fields["parents"] = tuple(sorted(fields["parents"]))
        fields["digest"] = cls.compute_digest(fields)
        return cls(**fields)

    @classmethod
    def from_row(cls, row: dict) -> "Revision":
        data = dict(row)
        data["parents"] = tuple(json.loads(data["parents"]))
        return cls(**data)

    def to_row(self) -> dict:
        row = asdict(self)
        row["parents"] = canonical_json(list(self.parents))
        return row

    def digest_ok(self) -> bool:
        return self.compute_digest(asdict(self)) == self.digest

    def record(self) -> Record:
        return kind_model(self.kind).model_validate_json(self.body)


def body_of(record: Record) -> str:
    return canonical_json(record.model_dump(mode="json"))
