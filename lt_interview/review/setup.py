"""Setting up a review database: its settings, case framework, people and pseudonym map."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lt_interview.domain.ids import Clock, new_id, system_clock
from lt_interview.domain.models import CaseFramework, Practitioner, Reviewer, Structure
from lt_interview.domain.names import name_digest, name_tokens
from lt_interview.domain.structure import MethodStructure, load_structure
from lt_interview.domain.text import clean_line
from lt_interview.errors import BadInput
from lt_interview.review.settings import checked_settings
from lt_interview.storage.store import REVIEW, Store

if TYPE_CHECKING:  # its pydantic models are built only when a review is created (not on converse's start-up)
    from lt_interview.review.framework_file import FrameworkFile


def create_review(path: Path, passphrase: str, *, name: str | None = None,
                  framework: FrameworkFile | Path | None = None,
                  structure: MethodStructure | None = None, actor: str = "",
                  clock: Clock = system_clock) -> Store:
    """Create a review database holding the framework and a frozen copy of the structure."""
    from lt_interview.review.framework_file import FrameworkFile, load_framework_file

    if isinstance(framework, (str, Path)):
        framework = load_framework_file(Path(framework))
    framework = framework or FrameworkFile()
    structure = structure or load_structure()
    name = clean_line(name or framework.review.name or "")  # as the model will hold it: "  " is no name
    if not name:
        raise BadInput("the review needs a name (--name), and a blank one is not a name")
    review = checked_settings({**framework.review.model_dump(exclude={"name"}), "name": name})
    review_id = new_id()
    store = Store.create(Path(path), passphrase, file_kind=REVIEW, review_id=review_id,
                         actor_id=actor, clock=clock)
    try:
        with store.transaction():
            store.put(review, review_id)
            store.put(CaseFramework(**framework.framework.model_dump()))
            store.put(Structure(version=structure.version, data=structure.model_dump(mode="json")))
            for reviewer in framework.reviewer:
                store.put(Reviewer(**reviewer.model_dump()))
            for practitioner in framework.practitioner:
                store.put(Practitioner(**practitioner.model_dump()))
            for entry in framework.pseudonym:
                add_pseudonym(store, entry.pseudonym, entry.real_name, entry.category)
    except BaseException:
        store.close()
        Path(path).unlink(missing_ok=True)
        Path(str(path) + "-wal").unlink(missing_ok=True)
        raise
    return store


def add_pseudonym(store: Store, pseudonym: str, real_name: str, category: str = "family") -> None:
    """The pseudonym map lives only in the review database; conversation files get digests."""
    from lt_interview.domain.text import clean_line

    with store.transaction():
        store.db.table("pseudonym_map").insert({
            "entry_id": new_id(), "pseudonym": clean_line(pseudonym),
            "real_name": clean_line(real_name), "category": clean_line(category),
        })
        for token in name_tokens(real_name):
            store.db.table("name_guard").upsert({"digest": name_digest(store.review_id, token)}, pk="digest")
        store.audit("pseudonym.add", detail={"count": 1})
