"""The contributory-factor matrix: heading x practitioner x episode, with counts and a
drill-down to the supporting text: the contributory factors as each account words them (the
agreed version, or a draft marked as such; never the raw notes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lt_interview.analysis.data import CaseData
from lt_interview.domain.models import Episode, FactorTag

NO_EPISODE = ""  # factors raised outside any episode


@dataclass(frozen=True)
class Support:
    """One piece of text behind a count."""

    kind: str  # "factor"
    record_id: str
    practitioner_id: str | None
    who: str
    episode_id: str | None
    episode_title: str
    item: str
    text: str
    draft: bool


@dataclass
class FactorMatrix:
    headings: list[tuple[str, str]]  # (heading id, title)
    practitioners: list[tuple[str, str]]  # (practitioner id, role label)
    # (heading id, practitioner id, episode id or "") -> factor tag ids
    cells: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    episode_titles: dict[str, str] = field(default_factory=dict)
    _data: CaseData | None = field(default=None, repr=False)

    def _totals(self) -> dict[tuple, int]:
        """Counts for (heading,), (heading, practitioner) and ("*", practitioner), built once."""
        totals = self.__dict__.get("_totals_cache")
        if totals is None:
            totals = {}
            for (heading_id, pid, _), ids in self.cells.items():
                for key in ((heading_id,), (heading_id, pid), ("*", pid)):
                    totals[key] = totals.get(key, 0) + len(ids)
            self.__dict__["_totals_cache"] = totals
        return totals

    def count(self, heading_id: str, practitioner_id: str | None = None, episode_id: str | None = None) -> int:
        if episode_id is None:
            key = (heading_id,) if practitioner_id is None else (heading_id, practitioner_id)
            return self._totals().get(key, 0)
        return sum(len(ids) for key, ids in self.cells.items() if _matches(key, heading_id, practitioner_id, episode_id))

    def heading_total(self, heading_id: str) -> int:
        return self.count(heading_id)

    def practitioner_total(self, practitioner_id: str) -> int:
        return self._totals().get(("*", practitioner_id), 0)

    def episodes_of(self, practitioner_id: str) -> list[str]:
        seen = dict.fromkeys(key[2] for key in self.cells if key[1] == practitioner_id)
        return list(seen)

    def drill_down(self, heading_id: str, practitioner_id: str | None = None,
                   episode_id: str | None = None) -> list[Support]:
        data = self._data
        if data is None:
            return []
        wanted = {tag_id for key, ids in self.cells.items()
                  if _matches(key, heading_id, practitioner_id, episode_id) for tag_id in ids}
        found: list[Support] = []
        for loaded in data.factors:
            if loaded.record_id not in wanted:
                continue
            tag: FactorTag = loaded.record  # type: ignore[assignment]
            pid = data.practitioner_of(tag.conversation_id)
            found.append(Support(
                "factor", loaded.record_id, pid, data.labels.get(pid or "", "Unknown practitioner"),
                tag.episode_id, self.episode_titles.get(tag.episode_id or "", ""), tag.item, tag.text,
                data.is_draft(tag.conversation_id)))
        return found


def _matches(key: tuple[str, str, str], heading_id: str, practitioner_id: str | None, episode_id: str | None) -> bool:
    return (key[0] == heading_id and (practitioner_id is None or key[1] == practitioner_id)
            and (episode_id is None or key[2] == episode_id))


def build_matrix(data: CaseData) -> FactorMatrix:
    headings = [(heading.id, heading.title) for heading in data.structure.headings]
    known = {heading_id for heading_id, _ in headings}
    matrix = FactorMatrix(headings, [(pid, data.labels[pid]) for pid, _ in data.practitioners], _data=data)
    for loaded in data.episodes:
        episode: Episode = loaded.record  # type: ignore[assignment]
        matrix.episode_titles[loaded.record_id] = episode.title
    for loaded in data.factors:
        tag: FactorTag = loaded.record  # type: ignore[assignment]
        heading_id = tag.heading_id if tag.heading_id in known else "other"
        pid = data.practitioner_of(tag.conversation_id) or "unknown"
        matrix.cells.setdefault((heading_id, pid, tag.episode_id or NO_EPISODE), []).append(loaded.record_id)
    return matrix
