"""Addressing the parts of an account: every editable piece of text has a part key.

Keys: "overview", "overview_quote:P", "episode:E:FIELD", "episode_factor:E:P",
"episode_quote:E:P", "factor:P", "went_well:P", "query:P:question", "query:P:answer",
"change:P". Links from raw-note excerpts name these keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from lt_interview.domain.account import Account, AccountEpisode, AccountFactor, AccountItem, AccountQuery
from lt_interview.domain.episode_fields import ACCOUNT_FIELD_NAMES, ACCOUNT_FIELDS

SECTION_TITLES = {
    "overview": "Overview in their own words",
    "factors": "Contributory factors (not tied to one episode)",
    "went_well": "What went well",
    "queries": "Reviewers' queries and answers",
    "changes": "Suggested changes",
}


@dataclass(frozen=True)
class PartRef:
    key: str
    section: str  # "overview", "episode:E", "factors", "went_well", "queries", "changes"
    section_title: str
    label: str
    text: str


HeadingTitle = Callable[[str], str]


def _factor_label(factor: AccountFactor, heading_title: HeadingTitle) -> str:
    label = heading_title(factor.heading_id)
    return f"{label}: {factor.item}" if factor.item else label


def episode_title(episode: AccountEpisode, number: int) -> str:
    return f"Episode {number}: {episode.title}" if episode.title else f"Episode {number}"


def iter_parts(account: Account, heading_title: HeadingTitle = lambda h: h) -> list[PartRef]:
    """Every part, stage by stage, in the order the account reads."""
    parts = [PartRef("overview", "overview", SECTION_TITLES["overview"], "Overview", account.overview)]
    for quote in account.overview_quotes:
        parts.append(PartRef(f"overview_quote:{quote.part_id}", "overview", SECTION_TITLES["overview"],
                             "In their words", quote.text))
    for number, episode in enumerate(account.episodes, start=1):
        section = f"episode:{episode.part_id}"
        title = episode_title(episode, number)
        for field in ACCOUNT_FIELDS:
            parts.append(PartRef(f"{section}:{field.name}", section, title, field.label,
                                 getattr(episode, field.name)))
        for factor in episode.factors:
            parts.append(PartRef(f"episode_factor:{episode.part_id}:{factor.part_id}", section, title,
                                 _factor_label(factor, heading_title), factor.text))
        for quote in episode.quotes:
            parts.append(PartRef(f"episode_quote:{episode.part_id}:{quote.part_id}", section, title,
                                 "In their words", quote.text))
    for factor in account.factors:
        parts.append(PartRef(f"factor:{factor.part_id}", "factors", SECTION_TITLES["factors"],
                             _factor_label(factor, heading_title), factor.text))
    for number, item in enumerate(account.went_well, start=1):
        parts.append(PartRef(f"went_well:{item.part_id}", "went_well", SECTION_TITLES["went_well"],
                             f"Went well {number}", item.text))
    for number, query in enumerate(account.queries, start=1):
        parts.append(PartRef(f"query:{query.part_id}:question", "queries", SECTION_TITLES["queries"],
                             f"Query {number}", query.question))
        parts.append(PartRef(f"query:{query.part_id}:answer", "queries", SECTION_TITLES["queries"],
                             f"Answer {number}", query.answer))
    for number, item in enumerate(account.changes, start=1):
        parts.append(PartRef(f"change:{item.part_id}", "changes", SECTION_TITLES["changes"],
                             f"Change {number}", item.text))
    return parts


def _find(items: list, part_id: str):
    for item in items:
        if item.part_id == part_id:
            return item
    raise KeyError(part_id)


def get_text(account: Account, key: str) -> str:
    for part in iter_parts(account):
        if part.key == key:
            return part.text
    raise KeyError(key)


def set_text(account: Account, key: str, text: str) -> Account:
    """A copy of `account` with the part's text replaced (the original is untouched)."""
    new = account.model_copy(deep=True)
    head, _, rest = key.partition(":")
    if head == "overview":
        new.overview = text
    elif head == "overview_quote":
        _find(new.overview_quotes, rest).text = text
    elif head == "episode":
        episode_id, _, field = rest.partition(":")
        if field not in ACCOUNT_FIELD_NAMES:
            raise KeyError(key)
        setattr(_find(new.episodes, episode_id), field, text)
    elif head in ("episode_factor", "episode_quote"):
        episode_id, _, part_id = rest.partition(":")
        episode = _find(new.episodes, episode_id)
        _find(episode.factors if head == "episode_factor" else episode.quotes, part_id).text = text
    elif head == "factor":
        _find(new.factors, rest).text = text
    elif head == "went_well":
        _find(new.went_well, rest).text = text
    elif head == "change":
        _find(new.changes, rest).text = text
    elif head == "query":
        part_id, _, field = rest.partition(":")
        if field not in ("question", "answer"):
            raise KeyError(key)
        setattr(_find(new.queries, part_id), field, text)
    else:
        raise KeyError(key)
    return type(account).model_validate(new.model_dump())


def add_item(account: Account, section: str) -> tuple[Account, str]:
    """Add an empty item to `section`; returns the new account and the new part's key."""
    new = account.model_copy(deep=True)
    if section == "went_well":
        item = AccountItem()
        new.went_well.append(item)
        key = f"went_well:{item.part_id}"
    elif section == "changes":
        item = AccountItem()
        new.changes.append(item)
        key = f"change:{item.part_id}"
    elif section == "queries":
        query = AccountQuery()
        new.queries.append(query)
        key = f"query:{query.part_id}:question"
    elif section == "overview":
        item = AccountItem()
        new.overview_quotes.append(item)
        key = f"overview_quote:{item.part_id}"
    elif section.startswith("episode:") or section == "episodes":
        episode = AccountEpisode()
        new.episodes.append(episode)
        key = f"episode:{episode.part_id}:title"
    elif section == "factors":
        factor = AccountFactor(heading_id="other")
        new.factors.append(factor)
        key = f"factor:{factor.part_id}"
    else:
        raise KeyError(section)
    return type(account).model_validate(new.model_dump()), key


def word_count(text: str) -> int:
    return len(text.split())


def account_words(account: Account) -> int:
    return sum(word_count(part.text) for part in iter_parts(account))
