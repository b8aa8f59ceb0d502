"""Bring the lead's and the notetaker's copies of one conversation together.

The same rules as the review merge (RELIABILITY.md §3.2), through the same importer
(lt_interview/merge/importer.py): a set union of immutable revisions keyed by revision id,
all copies or none. Nothing is lost, both authors' revisions are kept, duplicates are not
doubled, combining again adds nothing, and competing heads are left as a conflict for a
reviewer to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lt_interview.errors import ImportRefused
from lt_interview.merge.importer import merge_files
from lt_interview.storage.store import Store

@dataclass(frozen=True)
class CombineResult:
    source: Path
    seen: int
    added: int
    already_held: int
    conflicts: int  # records with competing heads after combining (in the whole file)

    def describe(self) -> str:
        parts = [f"{self.source.name}: {self.added} new revision{'s' if self.added != 1 else ''} added",
                 f"{self.already_held} already held"]
        if self.conflicts:
            parts.append(f"{self.conflicts} record{'s' if self.conflicts != 1 else ''} with competing versions to settle")
        return ", ".join(parts)


def combine_copies(target: Store, sources: list[Path], passphrase: str) -> list[CombineResult]:
    """Combine the copies into `target` through the review merge's importer (all or none)."""
    sources = [Path(source) for source in sources]
    for source in sources:
        if source.exists() and source.resolve() == target.path.resolve():
            raise ImportRefused(f"{source.name}: refused: that is the file being typed up")
    target.seal_all()  # our own drafts become revisions first
    report = merge_files(target, sources, passphrase)
    conflicts = len(target.conflicts())
    return [CombineResult(item.path, item.seen, item.added, item.duplicate, conflicts)
            for item in report.inputs]
