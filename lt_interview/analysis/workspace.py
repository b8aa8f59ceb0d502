"""The analysis workspace's view model: what the screen (and the exports) show, built from
one review database in a few queries. Headless; the Textual screen only renders it."""

from __future__ import annotations

from dataclasses import dataclass

from lt_interview.analysis import meetings as meetings_module
from lt_interview.analysis.accounts import Scope
from lt_interview.analysis import search as search_module
from lt_interview.analysis.data import CaseData, load_case
from lt_interview.analysis.factors import FactorMatrix, build_matrix
from lt_interview.analysis.kpe import factor_ids
from lt_interview.analysis.timeline import LaneMode, Timeline, build_timeline
from lt_interview.domain.analysis import Finding, KeyPracticeEpisode, Meeting, PatternMapping
from lt_interview.storage.store import Store


@dataclass
class WorkspaceModel:
    data: CaseData
    timeline: Timeline
    matrix: FactorMatrix

    @property
    def store(self) -> Store:
        return self.data.store

    def kpes(self) -> list[tuple[str, KeyPracticeEpisode]]:
        found = [(item.record_id, item.record) for item in self.data.kpes]
        found.sort(key=lambda pair: (pair[1].number, pair[1].title.casefold()))  # type: ignore[attr-defined]
        return found  # type: ignore[return-value]

    def mappings(self, kpe_id: str | None = None) -> list[tuple[str, PatternMapping]]:
        found = [(item.record_id, item.record) for item in self.data.mappings]
        return [pair for pair in found if kpe_id is None or pair[1].kpe_id == kpe_id]  # type: ignore[attr-defined, misc]

    def findings(self) -> list[tuple[str, Finding]]:
        found = [(item.record_id, item.record) for item in self.data.findings]
        found.sort(key=lambda pair: (pair[1].priority == 0, pair[1].priority))  # type: ignore[attr-defined]
        return found  # type: ignore[return-value]

    def meetings(self) -> list[tuple[str, Meeting]]:
        return meetings_module.in_order(self.data.meetings)

    def factor_labels(self) -> dict[str, str]:
        return factor_ids(self.data.structure)

    def bias_labels(self) -> dict[str, str]:
        return {bias.id: bias.label for bias in self.data.structure.biases.bias}

    def bias_tag_labels(self) -> dict[str, str]:
        """The tags a KPE's explanation may carry: the reviewers' own biases are guidance, not tags."""
        return {bias.id: bias.label for bias in self.data.structure.biases.tags()}

    def category_labels(self) -> dict[str, str]:
        return {category.id: category.label for category in self.data.structure.typology.category}

    def search(self, query: str, limit: int = 500) -> list[search_module.Hit]:
        return search_module.search(self.data, query, limit=limit)

    def relayout(self, mode: LaneMode) -> None:
        self.timeline = build_timeline(self.data, mode)

    def refresh(self) -> None:
        """After the team writes a link, KPE, mapping, finding or meeting."""
        self.data.refresh_analysis()
        self.timeline = build_timeline(self.data, self.timeline.mode)


def open_workspace_model(store: Store, mode: LaneMode = "practitioner", scope: Scope = "all") -> WorkspaceModel:
    """The workspace over `scope`'s accounts: "all" for the analysis screen, "agreed" for an
    export, "typed_up" for an export that asked for drafts (analysis/accounts.py)."""
    data = load_case(store, scope)
    return WorkspaceModel(data, build_timeline(data, mode), build_matrix(data))
