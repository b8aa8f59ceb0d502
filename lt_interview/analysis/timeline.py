"""The story of the case (DOMAIN.md §7.1): every practitioner's episodes on one timeline, a
lane per practitioner or per agency, ordered by the fuzzy dates people gave, and by the
chronology once it is visible. Where accounts of the same period differ is kept visible:
episodes the team linked as one event, episodes from different practitioners whose periods
overlap, and divergences the reviewers noted during a conversation are listed as divergences
to look at side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from lt_interview.analysis.data import CaseData
from lt_interview.analysis.fuzzydate import FuzzyDate, parse_fuzzy
from lt_interview.domain.models import ChronologyEntry, Episode, NotedDivergence

LaneMode = Literal["practitioner", "agency"]
Day = date  # within TimelineItem the field `date` hides the type
# Periods longer than this (a whole year, say) are too vague to call a divergence.
MAX_DIVERGENCE_SPAN_DAYS = 130


@dataclass
class TimelineItem:
    item_id: str
    source: Literal["episode", "chronology"]
    lane: str
    title: str
    when_text: str
    date: FuzzyDate
    sort_date: Day | None  # the date used for ordering (may come from a neighbour)
    sort_end: Day | None
    placed_by: str  # "their date", "their order", "chronology"
    position: int
    draft: bool
    practitioner_id: str | None = None
    conversation_id: str | None = None
    who: str = ""  # role label, or the agency for chronology entries
    episode: Episode | None = None
    entry: ChronologyEntry | None = None
    conflict: bool = False


@dataclass
class Lane:
    key: str
    label: str
    kind: Literal["practitioner", "agency", "chronology"]
    items: list[TimelineItem] = field(default_factory=list)


@dataclass
class Divergence:
    kind: Literal["linked", "same period", "noted"]
    item_ids: tuple[str, ...]
    period: str
    who: tuple[str, ...]
    link_id: str | None = None
    note: str = ""
    differs_from: str = ""  # "noted": whose account differs, as the reviewers wrote it
    noted_id: str | None = None  # "noted": the NotedDivergence record
    draft: bool = False  # "noted": the conversation's account is not yet agreed

    @property
    def title(self) -> str:
        people = ", ".join(self.who)
        if self.kind == "linked":
            return f"Same event, seen by {people}" + (f": {self.note}" if self.note else "")
        if self.kind == "noted":
            differs = f", differs from {self.differs_from}" if self.differs_from else ""
            return f"{people}{differs}: {' '.join(self.note.split())}"
        return f"Accounts of {self.period}: {people}"


@dataclass
class Timeline:
    lanes: list[Lane]
    items: list[TimelineItem]
    divergences: list[Divergence]
    chronology_shown: bool
    mode: LaneMode

    def item(self, item_id: str) -> TimelineItem | None:
        for item in self.items:
            if item.item_id == item_id:
                return item
        return None

    def side_by_side(self, item_ids: tuple[str, ...] | list[str]) -> list[TimelineItem]:
        found = [self.item(item_id) for item_id in item_ids]
        return [item for item in found if item is not None]


def build_timeline(data: CaseData, mode: LaneMode = "practitioner") -> Timeline:
    lanes: dict[str, Lane] = {}
    practitioner_by_id = dict(data.practitioners)
    # Lanes in the order practitioners were registered, so an empty account still shows.
    for registered_id, registered in data.practitioners:
        key, label = _lane_for(mode, registered_id, registered.agency, data.labels[registered_id])
        lanes.setdefault(key, Lane(key, label, "agency" if mode == "agency" else "practitioner"))
    items: list[TimelineItem] = []
    for loaded in data.episodes:
        episode: Episode = loaded.record  # type: ignore[assignment]
        practitioner_id = data.practitioner_of(episode.conversation_id)
        practitioner = practitioner_by_id.get(practitioner_id or "")
        who = data.label_of_conversation(episode.conversation_id)  # "(follow-up conversation)" when one
        key, label = _lane_for(mode, practitioner_id or "unknown", practitioner.agency if practitioner else "",
                               data.labels.get(practitioner_id or "", "Unknown practitioner"))
        lane = lanes.setdefault(key, Lane(key, label, "agency" if mode == "agency" else "practitioner"))
        fuzzy = parse_fuzzy(episode.when, data.default_year)
        item = TimelineItem(
            item_id=loaded.record_id, source="episode", lane=lane.key, title=episode.title,
            when_text=episode.when, date=fuzzy, sort_date=fuzzy.start, sort_end=fuzzy.end,
            placed_by="their date" if fuzzy.known else "their order", position=episode.position,
            draft=data.is_draft(episode.conversation_id), practitioner_id=practitioner_id,
            conversation_id=episode.conversation_id, who=who, episode=episode, conflict=loaded.conflict,
        )
        lane.items.append(item)
        items.append(item)
    _fill_from_own_order(items)
    if data.chronology_visible:
        for loaded in data.chronology:
            entry: ChronologyEntry = loaded.record  # type: ignore[assignment]
            # One lane for every agency's records beside the practitioners (a lane per agency
            # pushed the last lanes off a 120-column screen); by agency, each agency's records
            # share its lane, told apart by their italics (the screen's).
            key = f"agency:{entry.agency.casefold()}" if mode == "agency" else "chronology"
            if key not in lanes:
                label = entry.agency if mode == "agency" else "Agency records"
                lanes[key] = Lane(key, label, "agency" if mode == "agency" else "chronology")
            lane = lanes[key]
            fuzzy = chronology_date(entry)
            item = TimelineItem(
                item_id=loaded.record_id, source="chronology", lane=key, title=entry.event,
                when_text=fuzzy.text, date=fuzzy, sort_date=fuzzy.start, sort_end=fuzzy.end,
                placed_by="chronology", position=0, draft=False, who=entry.agency, entry=entry,
                conflict=loaded.conflict,
            )
            lane.items.append(item)
            items.append(item)
    lane_order = {key: index for index, key in enumerate(lanes)}
    items.sort(key=lambda item: _order_key(item, lane_order))
    for lane in lanes.values():
        lane.items.sort(key=lambda item: _order_key(item, lane_order))
    return Timeline(list(lanes.values()), items, _divergences(data, items), data.chronology_visible, mode)


def _lane_for(mode: LaneMode, practitioner_id: str, agency: str, label: str) -> tuple[str, str]:
    if mode == "agency":
        name = agency or "Agency not recorded"
        return f"agency:{name.casefold()}", name
    return f"practitioner:{practitioner_id}", label


def _order_key(item: TimelineItem, lane_order: dict[str, int]) -> tuple:
    when = item.sort_date or date.max
    return (when, item.sort_end or when, item.source != "chronology", lane_order.get(item.lane, 0),
            item.position, item.item_id)


def _fill_from_own_order(items: list[TimelineItem]) -> None:
    """An episode without a usable date sits after the practitioner's previous dated episode
    (or before their next one), as they told it."""
    by_conversation: dict[str, list[TimelineItem]] = {}
    for item in items:
        by_conversation.setdefault(item.conversation_id or item.lane, []).append(item)
    for group in by_conversation.values():
        group.sort(key=lambda item: (item.position, item.item_id))
        previous: TimelineItem | None = None
        for item in group:
            if item.date.known:
                previous = item
            elif previous is not None:
                # Just after the previous one: same start, and an end that sorts after it.
                item.sort_date = previous.date.start
                item.sort_end = previous.date.end
        following: TimelineItem | None = None
        for item in reversed(group):
            if item.date.known:
                following = item
            elif item.sort_date is None and following is not None:
                item.sort_date = item.sort_end = following.date.start


def _divergences(data: CaseData, items: list[TimelineItem]) -> list[Divergence]:
    episodes = {item.item_id: item for item in items if item.source == "episode"}
    found: list[Divergence] = []
    for loaded in data.links:
        link = loaded.record
        keys = [data.episode_key(episode_id) for episode_id in link.episode_ids]  # type: ignore[attr-defined]
        members = [episodes[key] for key in dict.fromkeys(keys) if key in episodes]
        if len(members) < 2:
            continue
        found.append(Divergence(
            kind="linked", item_ids=tuple(member.item_id for member in members),
            period=_period_of(members), who=tuple(dict.fromkeys(member.who for member in members)),
            link_id=loaded.record_id, note=link.label or link.note,  # type: ignore[attr-defined]
        ))
    # Overlapping periods from different practitioners: cluster with union-find.
    dated = [item for item in episodes.values()
             if item.date.known and item.date.span_days <= MAX_DIVERGENCE_SPAN_DAYS]
    parent = {item.item_id: item.item_id for item in dated}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    dated.sort(key=lambda item: item.date.start)  # type: ignore[arg-type, return-value]
    for index, first in enumerate(dated):
        for second in dated[index + 1:]:
            if second.date.start > first.date.end:  # type: ignore[operator]
                break
            if first.practitioner_id != second.practitioner_id and first.date.overlaps(second.date):
                parent[root(first.item_id)] = root(second.item_id)
    clusters: dict[str, list[TimelineItem]] = {}
    for item in dated:
        clusters.setdefault(root(item.item_id), []).append(item)
    for members in clusters.values():
        if len({member.practitioner_id for member in members}) < 2:
            continue
        members.sort(key=lambda item: (item.date.start, item.lane, item.position))
        found.append(Divergence(
            kind="same period", item_ids=tuple(member.item_id for member in members),
            period=_period_of(members), who=tuple(dict.fromkeys(member.who for member in members)),
        ))
    return found + _noted(data, episodes)


def _noted(data: CaseData, episodes: dict[str, TimelineItem]) -> list[Divergence]:
    """Divergences the reviewers noted in a conversation, with the episode they concerned."""
    found = []
    for loaded in data.divergences:
        noted: NotedDivergence = loaded.record  # type: ignore[assignment]
        key = data.episode_key(noted.episode_id)
        members = [episodes[key]] if key in episodes else []
        found.append(Divergence(
            kind="noted", item_ids=tuple(member.item_id for member in members),
            period=_period_of(members) if members else "", who=(data.label_of_conversation(noted.conversation_id),),
            note=noted.text, differs_from=noted.differs_from, noted_id=loaded.record_id,
            draft=data.is_draft(noted.conversation_id),
        ))
    return found


def _period_of(members: list[TimelineItem]) -> str:
    starts = [member.date.start for member in members if member.date.known]
    ends = [member.date.end for member in members if member.date.known]
    if not starts:
        return "an undated period"
    first, last = min(starts), max(ends)  # type: ignore[type-var]
    if (first.year, first.month) == (last.year, last.month):  # type: ignore[union-attr]
        return f"{first:%B %Y}"
    if first.year == last.year:  # type: ignore[union-attr]
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def chronology_date(entry: ChronologyEntry) -> FuzzyDate:
    """The entry's day, or the month or year it gives when the day is not known ("2024-03")."""
    if entry.when_text:
        from lt_interview.domain.dates import parse_partial_date

        try:
            start, end = parse_partial_date(entry.when_text)
        except ValueError:  # merged from elsewhere in some other form: the day it was stored with
            start = end = entry.when
        precision = "year" if (start.month, end.month) == (1, 12) and start.year == end.year else "month"
        return FuzzyDate(entry.when_text, start, end, precision)
    return FuzzyDate(entry.when.isoformat(), entry.when, entry.when, "day")
