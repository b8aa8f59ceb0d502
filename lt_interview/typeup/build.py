"""The first draft of an account, pre-filled from what was captured in the conversation,
and the raw notes grouped by stage and author for the type-up screen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lt_interview.domain.account import (
    Account, AccountEpisode, AccountFactor, AccountItem, AccountQuery, part_id_for,
)
from lt_interview.domain.models import (
    Episode, FactorTag, Note, Query, Quote, Reviewer, SuggestedChange, WentWell,
)
from lt_interview.domain.episode_fields import account_values
from lt_interview.domain.structure import STAGE_IDS
from lt_interview.storage.store import Store
from lt_interview.typeup.episodes import resolve
from lt_interview.typeup.versions import CLOSE, OPEN, marked, versions_text

_STAMP = re.compile(r"^\d{1,2}:\d{2}\s+", re.MULTILINE)


def strip_time_stamps(text: str) -> str:
    """Notes lines start with "14:05 " when written live; the account does not need them."""
    return _STAMP.sub("", text).strip()


def build_account(store: Store, conversation_id: str) -> Account:
    """An account pre-filled from the conversation's captured records (nothing is invented)."""
    episodes: dict[str, AccountEpisode] = {}
    for episode_id, episode in sorted(store.records(Episode, conversation_id), key=lambda e: e[1].position):
        episodes[episode_id] = AccountEpisode(
            part_id=part_id_for(episode_id, "episode"), source_id=episode_id, **account_values(episode))
    general_factors = []
    for factor_id, factor in store.records(FactorTag, conversation_id):
        part = AccountFactor(part_id=part_id_for(factor_id, "factor"), source_id=factor_id,
                             heading_id=factor.heading_id, item=factor.item, text=factor.text)
        if factor.episode_id in episodes:
            episodes[factor.episode_id].factors.append(part)
        else:
            general_factors.append(part)
    overview_quotes = []
    for quote_id, quote in store.records(Quote, conversation_id):
        quote_part = AccountItem(part_id=part_id_for(quote_id, "quote"), source_id=quote_id, text=quote.text)
        if quote.episode_id in episodes:
            episodes[quote.episode_id].quotes.append(quote_part)
        else:
            overview_quotes.append(quote_part)
    went_well = []
    for item_id, item in store.records(WentWell, conversation_id):
        text = item.text
        if item.episode_id in episodes and episodes[item.episode_id].title:
            text = f"{text} (episode: {episodes[item.episode_id].title})"
        went_well.append(AccountItem(part_id=part_id_for(item_id, "went_well"), source_id=item_id, text=text))
    queries = [
        AccountQuery(part_id=part_id_for(query_id, "query"), source_id=query_id,
                     question=query.question, answer=query.answer)
        for query_id, query in store.records(Query, conversation_id)
    ]
    changes = [
        AccountItem(part_id=part_id_for(change_id, "change"), source_id=change_id, text=change.text)
        for change_id, change in store.records(SuggestedChange, conversation_id)
    ]
    return Account(
        conversation_id=conversation_id, overview=_overview_from_notes(store, conversation_id),
        overview_quotes=overview_quotes, episodes=list(episodes.values()), factors=general_factors,
        went_well=went_well, queries=queries, changes=changes,
    )


def _overview_from_notes(store: Store, conversation_id: str) -> str:
    """Start the overview from the overview-stage notes. When both reviewers wrote some, each
    one's notes come under a marked line naming whose they are (the notetaker's first), so
    that neither is dropped and the reviewer combines them into one overview."""
    notes = [n for _, n in store.records(Note, conversation_id) if n.stage_id == "overview" and n.text.strip()]
    if not notes:
        return ""
    by_author: dict[str, list[str]] = {}
    for note in notes:
        by_author.setdefault(note.author_id, []).append(strip_time_stamps(note.text))
    if len(by_author) == 1:
        return "\n\n".join(next(iter(by_author.values())))
    found = store.get(conversation_id)
    notetaker = getattr(found.record, "notetaker_id", None) if found else None
    lead = getattr(found.record, "lead_reviewer_id", None) if found else None
    names = {rid: r.name for rid, r in store.records(Reviewer)}
    order = sorted(by_author, key=lambda author: (author != notetaker, author != lead,
                                                  names.get(author, ""), author))
    roles = {notetaker: "notetaker", lead: "lead reviewer"}

    def whose(author: str) -> str:
        name = names.get(author)
        if name is None:
            return "Another reviewer's notes"
        return f"{name}'s notes ({roles[author]})" if author in roles else f"{name}'s notes"

    return versions_text([(whose(author), "\n\n".join(by_author[author])) for author in order],
                         end=END_NOTES)


END_NOTES = marked("end of both reviewers' notes: combine them into one overview, then delete the "
                   f"lines marked {OPEN} {CLOSE}")


def add_captured(store: Store, conversation_id: str, account: Account) -> tuple[Account, list[str]]:
    """`account` with every captured item (episode, factor, quote, what went well, query,
    suggested change) that is not yet in it added in its part, and a description of each
    kind added ("1 item of what went well"). Wording already typed is never changed."""
    captured = build_account(store, conversation_id)
    new = account.model_copy(deep=True)
    held: set[str] = set()
    for part in _all_parts(new):
        held.add(part.part_id)
        if part.source_id:
            held.add(part.source_id)

    aside = new.set_aside  # combined into another episode or deleted in type-up: not brought back

    def missing(part) -> bool:
        return not ({part.part_id, part.source_id or ""} & (held | set(aside)))

    added: dict[str, int] = {}

    def count(what: str) -> None:
        added[what] = added.get(what, 0) + 1

    episodes = {e.source_id: e for e in new.episodes if e.source_id}
    episodes.update({e.part_id: e for e in new.episodes})
    for episode in captured.episodes:
        target = episodes.get(episode.part_id) or episodes.get(episode.source_id or "")
        if target is None:
            went = next((w for w in (resolve(new, episode.part_id), resolve(new, episode.source_id or ""))
                         if w is not None), None)
            if went is not None:
                # Set aside in type-up: what was captured for it since goes where it went (the
                # episode it was combined into), or, when it was deleted, among the general parts.
                into = episodes.get(went)
                for factor in episode.factors:
                    if missing(factor):
                        (into.factors if into else new.factors).append(factor)
                        count("contributory factor")
                for quote in episode.quotes:
                    if missing(quote):
                        (into.quotes if into else new.overview_quotes).append(quote)
                        count("quote")
                continue
            fresh = episode.model_copy(deep=True)
            fresh.factors = [f for f in episode.factors if missing(f)]
            fresh.quotes = [q for q in episode.quotes if missing(q)]
            new.episodes.append(fresh)
            count("episode")
            for _ in fresh.factors:
                count("contributory factor")
            for _ in fresh.quotes:
                count("quote")
            continue
        for factor in episode.factors:
            if missing(factor):
                target.factors.append(factor)
                count("contributory factor")
        for quote in episode.quotes:
            if missing(quote):
                target.quotes.append(quote)
                count("quote")
    for what, section in (("quote", "overview_quotes"), ("contributory factor", "factors"),
                          ("item of what went well", "went_well"), ("query", "queries"),
                          ("suggested change", "changes")):
        for part in getattr(captured, section):
            if missing(part):
                getattr(new, section).append(part)
                count(what)
    if not added:
        return account, []
    plural = {"query": "queries", "item of what went well": "items of what went well"}
    described = [f"{n} {plural.get(what, what + 's') if n != 1 else what}" for what, n in added.items()]
    return Account.model_validate(new.model_dump()), described


def _all_parts(account: Account):
    yield from account.overview_quotes
    for episode in account.episodes:
        yield episode
        yield from episode.factors
        yield from episode.quotes
    yield from account.factors
    yield from account.went_well
    yield from account.queries
    yield from account.changes


@dataclass(frozen=True)
class RawBlock:
    """One author's notes for one section, as shown on the raw-notes side."""

    note_id: str
    stage_id: str
    episode_id: str | None
    author_id: str
    heading: str
    text: str


def raw_blocks(store: Store, conversation_id: str, stage_title=lambda s: s,
               stage_order: list[str] | tuple[str, ...] = STAGE_IDS) -> list[RawBlock]:
    """The conversation's notes grouped by stage (in the order of the file's structure, stages
    the review added included), then episode, then author."""
    authors = {rid: r.name for rid, r in store.records(Reviewer)}
    episode_titles = {eid: e.title for eid, e in store.records(Episode, conversation_id)}
    order = {stage: index for index, stage in enumerate(stage_order)}
    notes = [(nid, n) for nid, n in store.records(Note, conversation_id) if n.text.strip()]
    notes.sort(key=lambda item: (order.get(item[1].stage_id, 99), item[1].episode_id or "",
                                 authors.get(item[1].author_id, item[1].author_id)))
    blocks = []
    for note_id, note in notes:
        heading = stage_title(note.stage_id)
        if note.episode_id:
            heading += f" ({episode_titles.get(note.episode_id, 'episode')})"
        heading += f" · {authors.get(note.author_id, 'unknown author')}"
        blocks.append(RawBlock(note_id, note.stage_id, note.episode_id, note.author_id, heading, note.text))
    return blocks


@dataclass(frozen=True)
class RawLayout:
    """The raw notes as one read-only text, with where each note's text starts and ends."""

    text: str
    spans: list[tuple[int, int, RawBlock]]  # (start, end) offsets of each note's text

    def locate(self, start: int, end: int) -> tuple[RawBlock, int, int] | None:
        """The note a selection falls in, with offsets inside that note's text."""
        for block_start, block_end, block in self.spans:
            if block_start <= start and end <= block_end and start < end:
                return block, start - block_start, end - block_start
        return None


def raw_layout(blocks: list[RawBlock]) -> RawLayout:
    pieces: list[str] = []
    spans = []
    offset = 0
    for block in blocks:
        header = f"── {block.heading} ──\n"
        pieces.append(header)
        offset += len(header)
        spans.append((offset, offset + len(block.text), block))
        pieces.append(block.text + "\n\n")
        offset += len(block.text) + 2
    return RawLayout("".join(pieces), spans)
