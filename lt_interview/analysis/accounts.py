"""The one source the analysis and every export read: each conversation's account.

The data flow is conversation notes -> typed-up account -> agreed version -> merge ->
analysis and exports. For each conversation this module finds:

- the latest *agreed* version of its account (an AccountVersion with status "agreed" and the
  immutable account revision it names): the source of truth, even while a later edit is
  going round the accuracy check again;
- otherwise the account as typed up so far, marked by where it stands (typed up, sent for
  checking, comments received);
- otherwise, for a conversation not typed up yet, what was captured live (episode titles,
  factors, quotes...), marked "not typed up". The raw notes are never used, not even for the
  overview: they stay in the file for the audit trail only.

Analysis records refer to an episode by its account part id, which is stable across
versions; records written before accounts existed name the captured Episode record, which
the part keeps as its `source_id`, so both resolve (`CaseData.episode`). Never imports
Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from lt_interview.analysis.loader import Loaded, load
from lt_interview.domain.account import (
    Account, AccountEpisode, AccountFactor, AccountItem, AccountQuery, AccountVersion, part_id_for,
)
from lt_interview.domain.episode_fields import account_values
from lt_interview.domain.lifecycle import Status, show_date
from lt_interview.domain.models import (
    Conversation, Episode, FactorTag, Query, Quote, SuggestedChange, WentWell,
)
from lt_interview.storage.store import Store

State = Literal["agreed", "comments_received", "sent_for_checking", "typed_up", "not_typed_up", "not_held"]
STATE_LABELS = {
    "agreed": "agreed",
    "comments_received": "draft: comments received, not yet agreed",
    "sent_for_checking": "draft: sent for checking, not yet agreed",
    "typed_up": "draft: typed up, not yet agreed",
    "not_typed_up": "not typed up yet: what was captured in the conversation",
    "not_held": "not held yet",
}
# Which accounts a reader takes: the analysis screen every one (marked), an export the agreed
# ones, or also the typed-up drafts when the user asks for them.
Scope = Literal["all", "typed_up", "agreed"]


@dataclass(frozen=True)
class AccountSource:
    conversation_id: str
    state: State
    account: Account
    version: AccountVersion | None = None  # the agreed version, when state is "agreed"
    newer_draft: bool = False  # agreed, and a later edit is going round the check again
    conflict: bool = False  # combined copies hold competing versions (drafts only)
    created_at: str = ""

    @property
    def agreed(self) -> bool:
        return self.state == "agreed"

    @property
    def label(self) -> str:
        """Where the account stands, as a reader sees it."""
        if self.agreed and self.version is not None:
            text = f"agreed (version {self.version.number}, {show_date(self.version.on)})"
            return text + ("; a later edit is being checked again" if self.newer_draft else "")
        return STATE_LABELS[self.state]

    @property
    def agreed_on(self) -> date | None:
        return self.version.on if self.version is not None else None


def _state_of(conversation: Conversation | None) -> State:
    status = conversation.status if conversation is not None else Status.PLANNED
    if status == Status.SENT_FOR_CHECKING:
        return "sent_for_checking"
    if status == Status.COMMENTS_RECEIVED:
        return "comments_received"
    return "typed_up"


def account_sources(store: Store, conversations: dict[str, Conversation], captured: dict[str, list[Loaded]],
                    scope: Scope = "all") -> dict[str, AccountSource]:
    """Each conversation's account, within `scope`. `captured` holds the live-captured records
    by kind ("episode", "factor", "quote", "went_well", "query", "change") for conversations
    not typed up yet (only read when scope is "all")."""
    versions: dict[str, list[AccountVersion]] = {}
    for loaded in load(store, "account_version"):
        version: AccountVersion = loaded.record  # type: ignore[assignment]
        versions.setdefault(version.conversation_id, []).append(version)
    heads: dict[str, Loaded] = {}
    for loaded in load(store, "account"):
        heads[loaded.record.conversation_id] = loaded  # type: ignore[attr-defined]
    found: dict[str, AccountSource] = {}
    for conversation_id, conversation in conversations.items():
        agreed = sorted((v for v in versions.get(conversation_id, []) if v.status == "agreed"),
                        key=lambda v: (v.number, v.on))
        if agreed:
            version = agreed[-1]
            revision = store.revision(version.revision_ids[0])
            if revision is not None and revision.digest_ok() and revision.kind == Account.kind:
                newer = conversation.status != Status.AGREED
                found[conversation_id] = AccountSource(conversation_id, "agreed", revision.record(),  # type: ignore[arg-type]
                                                       version, newer, False, revision.created_at)
                continue
        if scope == "agreed":
            continue
        head = heads.get(conversation_id)
        if head is not None:
            found[conversation_id] = AccountSource(conversation_id, _state_of(conversation), head.record,  # type: ignore[arg-type]
                                                   None, False, head.conflict, head.created_at)
            continue
        if scope == "all":
            account = captured_account(conversation_id, captured)
            empty = not (account.episodes or account.factors or account.overview_quotes or account.went_well
                         or account.queries or account.changes)
            state: State = "not_held" if conversation.status == Status.PLANNED and empty else "not_typed_up"
            found[conversation_id] = AccountSource(conversation_id, state, account)
    return found


def captured_account(conversation_id: str, captured: dict[str, list[Loaded]]) -> Account:
    """What was captured live in a conversation not typed up yet, as an account (the same
    parts and part ids type-up will start from; no raw notes)."""
    def mine(kind: str) -> list[Loaded]:
        return [item for item in captured.get(kind, []) if item.conversation_id == conversation_id]

    episodes: dict[str, AccountEpisode] = {}
    for loaded in sorted(mine("episode"), key=lambda item: (item.record.position, item.created_at)):  # type: ignore[attr-defined]
        episode: Episode = loaded.record  # type: ignore[assignment]
        episodes[loaded.record_id] = AccountEpisode.model_construct(
            part_id=part_id_for(loaded.record_id, "episode"), source_id=loaded.record_id,
            **account_values(episode), factors=[], quotes=[])
    loose: list[AccountFactor] = []
    for loaded in mine("factor"):
        tag: FactorTag = loaded.record  # type: ignore[assignment]
        part = AccountFactor.model_construct(part_id=part_id_for(loaded.record_id, "factor"), source_id=loaded.record_id,
                                             heading_id=tag.heading_id, item=tag.item, text=tag.text)
        (episodes[tag.episode_id].factors if tag.episode_id in episodes else loose).append(part)
    overview_quotes: list[AccountItem] = []
    for loaded in mine("quote"):
        quote: Quote = loaded.record  # type: ignore[assignment]
        quote_part = AccountItem.model_construct(part_id=part_id_for(loaded.record_id, "quote"),
                                                 source_id=loaded.record_id, text=quote.text)
        (episodes[quote.episode_id].quotes if quote.episode_id in episodes else overview_quotes).append(quote_part)
    went_well = [AccountItem.model_construct(part_id=part_id_for(item.record_id, "went_well"), source_id=item.record_id,
                                             text=item.record.text) for item in mine("went_well")]  # type: ignore[attr-defined]
    queries = [AccountQuery.model_construct(part_id=part_id_for(item.record_id, "query"), source_id=item.record_id,
                                            question=item.record.question, answer=item.record.answer)  # type: ignore[attr-defined]
               for item in mine("query")]
    changes = [AccountItem.model_construct(part_id=part_id_for(item.record_id, "change"), source_id=item.record_id,
                                           text=item.record.text) for item in mine("change")]  # type: ignore[attr-defined]
    return Account.model_construct(conversation_id=conversation_id, overview="", overview_quotes=overview_quotes,
                                   episodes=list(episodes.values()), factors=loose, went_well=went_well,
                                   queries=queries, changes=changes, links=[])


# --- the account's parts as the records the analysis has always read ---------------------------


@dataclass
class Flattened:
    """The accounts' parts in the shapes the timeline, matrix and search read."""

    episodes: list[Loaded]
    factors: list[Loaded]
    captures: dict[str, list[Loaded]]  # "quote", "went_well", "query", "change"
    aliases: dict[str, str]  # a captured Episode record id -> its account part id


def flatten(sources: dict[str, AccountSource]) -> Flattened:
    episodes: list[Loaded] = []
    factors: list[Loaded] = []
    captures: dict[str, list[Loaded]] = {"quote": [], "went_well": [], "query": [], "change": []}
    aliases: dict[str, str] = {}
    for conversation_id, source in sources.items():
        account, when, conflict = source.account, source.created_at, source.conflict

        # this iteration's values bound as defaults (add() runs within the iteration only)
        def add(target: list[Loaded], part_id: str, record, conversation_id=conversation_id, when=when,
                conflict=conflict) -> None:
            target.append(Loaded(part_id, record, conversation_id, when, conflict))

        for position, episode in enumerate(account.episodes):
            if episode.source_id:
                aliases[episode.source_id] = episode.part_id
            add(episodes, episode.part_id, Episode.model_construct(
                conversation_id=conversation_id, position=position, source_excerpt="",
                **{**account_values(episode), "title": episode.title or f"Episode {position + 1}"}))
            for factor in episode.factors:
                add(factors, factor.part_id, FactorTag.model_construct(
                    conversation_id=conversation_id, heading_id=factor.heading_id, item=factor.item,
                    text=factor.text, episode_id=episode.part_id))
            for quote in episode.quotes:
                if quote.text.strip():
                    add(captures["quote"], quote.part_id, Quote.model_construct(
                        conversation_id=conversation_id, text=quote.text, stage_id="episodes",
                        episode_id=episode.part_id))
        for factor in account.factors:
            add(factors, factor.part_id, FactorTag.model_construct(
                conversation_id=conversation_id, heading_id=factor.heading_id, item=factor.item,
                text=factor.text, episode_id=None))
        for quote in account.overview_quotes:
            if quote.text.strip():
                add(captures["quote"], quote.part_id, Quote.model_construct(
                    conversation_id=conversation_id, text=quote.text, stage_id="overview", episode_id=None))
        for item in account.went_well:
            if item.text.strip():
                add(captures["went_well"], item.part_id, WentWell.model_construct(
                    conversation_id=conversation_id, text=item.text, episode_id=None))
        for query in account.queries:
            if query.question.strip() or query.answer.strip():
                add(captures["query"], query.part_id, Query.model_construct(
                    conversation_id=conversation_id, question=query.question, answer=query.answer,
                    return_to=False, from_reviewers=False, episode_id=None))
        for item in account.changes:
            if item.text.strip():
                add(captures["change"], item.part_id, SuggestedChange.model_construct(
                    conversation_id=conversation_id, text=item.text))
    return Flattened(episodes, factors, captures, aliases)
