"""Fixtures for merge tests: a review with conversation files packed from it (fictional)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from lt_interview.domain.models import Note, Practitioner, Reviewer
from lt_interview.review.conversation_files import pack
from lt_interview.storage.connection import connect
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import CONVERSATION, REVIEW, Store


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class Case:
    review: Path
    passphrase: str
    directory: Path

    def pack(self, practitioner: str, name: str) -> Path:
        out = self.directory / name
        with Store.open(self.review, self.passphrase, expect_kind=REVIEW) as store:
            pack(store, self.passphrase, practitioner, out)
        return out

    def add_notes(self, path: Path, texts: list[str], *, device: str = "device-a") -> list[str]:
        with Store.open(path, self.passphrase, expect_kind=CONVERSATION, device_id=device) as store:
            conversation_id = store.meta("conversation_id")
            author = store.records(Reviewer)[0][0]
            ids = []
            with store.transaction():
                for text in texts:
                    rev = store.put(Note(conversation_id=conversation_id, stage_id="overview",
                                         author_id=author, text=text))
                    ids.append(rev.record_id)
            return ids

    def edit_note(self, path: Path, record_id: str, text: str, *, device: str) -> None:
        with Store.open(path, self.passphrase, device_id=device) as store:
            note = store.get(record_id).record
            store.put(note.model_copy(update={"text": text}), record_id)

    def delete(self, path: Path, record_id: str) -> None:
        with Store.open(path, self.passphrase) as store:
            store.delete(record_id)

    def raw(self, path: Path):
        """A keyed connection to an encrypted file, for building hostile inputs."""
        return connect(Path(path), self.passphrase)

    def insert_revision(self, path: Path, *, kind: str, body: dict, conversation_id: str | None,
                        record_id: str = "rec-hostile-1", revision_id: str = "rev-hostile-1") -> None:
        revision = Revision.build(
            revision_id=revision_id, record_id=record_id, kind=kind, conversation_id=conversation_id,
            parents=[], reviewer_id="", device_id="dev", created_at="2026-01-01T00:00:00.000000Z",
            deleted=0, schema_version=1, body=json.dumps(body, sort_keys=True, separators=(",", ":")),
        )
        conn = self.raw(path)
        try:
            row = revision.to_row()
            conn.execute(f"INSERT INTO revision ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                         tuple(row.values()))
        finally:
            conn.close()

    def revisions(self, path: Path) -> set[tuple[str, str]]:
        with Store.open(path, self.passphrase) as store:
            return set(store.conn.execute("SELECT revision_id, digest FROM revision").fetchall())

    def heads(self, path: Path) -> set[str]:
        with Store.open(path, self.passphrase) as store:
            return {row[0] for row in store.conn.execute("SELECT revision_id FROM head")}

    def practitioners(self) -> list[str]:
        with Store.open(self.review, self.passphrase) as store:
            return [p.name for _, p in store.records(Practitioner)]


@pytest.fixture
def case(review_path: Path, passphrase: str, tmp_path: Path) -> Case:
    return Case(review=review_path, passphrase=passphrase, directory=tmp_path)
