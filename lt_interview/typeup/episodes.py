"""Reshaping the episodes of a typed-up account: combine two (the lead's and the notetaker's
copies of one episode become one), split one into two, move one up or down, delete one.

Never imports Textual. Each function returns a new Account and never changes the one given; the
caller saves it as a new revision (typeup/service.py `save`), so an agreed version is never
edited in place and every earlier version stays in the file's history.

An episode combined into another or deleted is remembered in `Account.set_aside` (with its
factors and quotes), so that the captured record it was built from is not brought back into the
account as "new" the next time it is read (typeup/build.py `add_captured`).
"""

from __future__ import annotations

from lt_interview.domain.account import Account, AccountEpisode, AccountFactor, AccountItem
from lt_interview.errors import BadInput
from lt_interview.domain.episode_fields import ACCOUNT_FIELD_NAMES, RECALLED_NAMES
from lt_interview.typeup.versions import versions_text

TEXT_FIELDS = ACCOUNT_FIELD_NAMES
SINGLE_LINE = ("title", "when")


def _index(account: Account, part_id: str) -> int:
    for index, episode in enumerate(account.episodes):
        if episode.part_id == part_id:
            return index
    raise BadInput("that episode is no longer in the account")


def _validated(account: Account) -> Account:
    return type(account).model_validate(account.model_dump())


def _note_set_aside(account: Account, episode: AccountEpisode, into: str) -> None:
    """Remember the episode (and, when deleted, its factors and quotes) as taken out on purpose."""
    parts = [episode] if into else [episode, *episode.factors, *episode.quotes]
    for part in parts:
        for ident in (part.part_id, part.source_id):
            if ident:
                account.set_aside[ident] = into


def _combined_text(first: str, second: str, labels: tuple[str, str], single_line: bool) -> tuple[str, bool]:
    """One text from two: the one that holds the other (or the only one written), else both,
    each under a marked line naming its episode, for the reviewer to combine. Returns the text
    and whether it holds both."""
    a, b = first.strip(), second.strip()
    flat_a, flat_b = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    if not b or flat_b in flat_a:
        return first, False
    if not a or flat_a in flat_b:
        return second, False
    return versions_text([(labels[0], a), (labels[1], b)], single_line=single_line), True


def _same_factor(a: AccountFactor, b: AccountFactor) -> bool:
    return (a.part_id == b.part_id or (a.source_id is not None and a.source_id == b.source_id)
            or (a.heading_id, a.item, " ".join(a.text.split())) == (b.heading_id, b.item, " ".join(b.text.split())))


def _same_quote(a: AccountItem, b: AccountItem) -> bool:
    return (a.part_id == b.part_id or (a.source_id is not None and a.source_id == b.source_id)
            or " ".join(a.text.split()) == " ".join(b.text.split()))


def combine(account: Account, keep_id: str, other_id: str) -> tuple[Account, list[str]]:
    """The two episodes as one, in the place of whichever comes first, field by field: where
    both hold different text, both texts are kept, marked, to combine. Factors and quotes of
    both are kept (each once). Returns the account and the labels of the fields that hold both."""
    if keep_id == other_id:
        raise BadInput("choose another episode to combine this one with")
    new = account.model_copy(deep=True)
    first_index, second_index = sorted((_index(new, keep_id), _index(new, other_id)))
    first, second = new.episodes[first_index], new.episodes[second_index]
    labels = (f"from episode {first_index + 1}", f"from episode {second_index + 1}")
    both: list[str] = []
    for field in TEXT_FIELDS:
        text, held_both = _combined_text(getattr(first, field), getattr(second, field), labels, field in SINGLE_LINE)
        setattr(first, field, text)
        if held_both:
            both.append(field)
    first.factors += [f for f in second.factors if not any(_same_factor(f, kept) for kept in first.factors)]
    first.quotes += [q for q in second.quotes if not any(_same_quote(q, kept) for kept in first.quotes)]
    del new.episodes[second_index]
    _note_set_aside(new, second, first.part_id)
    # Raw-note excerpts linked to the second episode now support the combined one.
    for link in new.links:
        head, _, rest = link.part.partition(":")
        if head in ("episode", "episode_factor", "episode_quote") and rest.startswith(second.part_id + ":"):
            link.part = f"{head}:{first.part_id}:{rest[len(second.part_id) + 1:]}"
    return _validated(new), both


def split(account: Account, part_id: str, field: str = "", offset: int = 0) -> tuple[Account, str]:
    """A new episode just after this one. With a field and an offset inside its text, the text
    from there on moves to the new episode's same field (an account of two episodes written as
    one); otherwise the new episode starts empty but for its title. Factors and quotes stay.
    Returns the account and the new episode's part id."""
    new = account.model_copy(deep=True)
    index = _index(new, part_id)
    episode = new.episodes[index]
    title = episode.title.strip()
    second = AccountEpisode(title=f"{title} (second part)" if title else "")
    if field in RECALLED_NAMES:
        text = getattr(episode, field)
        if 0 < offset < len(text.rstrip()):
            setattr(episode, field, text[:offset].rstrip())
            setattr(second, field, text[offset:].strip())
    if field == "when":
        second.when = episode.when
    new.episodes.insert(index + 1, second)
    return _validated(new), second.part_id


def move(account: Account, part_id: str, delta: int) -> Account:
    """The episode moved up (-1) or down (+1) in the account's order; at either end, unchanged."""
    new = account.model_copy(deep=True)
    index = _index(new, part_id)
    target = index + delta
    if not 0 <= target < len(new.episodes):
        return account
    new.episodes.insert(target, new.episodes.pop(index))
    return _validated(new)


def delete(account: Account, part_id: str) -> Account:
    """The account without the episode, its factors and quotes, or the excerpts linked to them.
    Earlier versions keep them (revisions are immutable), and so do the captured records."""
    new = account.model_copy(deep=True)
    episode = new.episodes.pop(_index(new, part_id))
    _note_set_aside(new, episode, "")
    new.links = [link for link in new.links if link.part.split(":")[1:2] != [part_id]
                 or not link.part.startswith(("episode:", "episode_factor:", "episode_quote:"))]
    return _validated(new)


def resolve(account: Account, ident: str) -> str | None:
    """Where a set-aside episode went: the part id of the episode it was combined into (following
    later combinations), "" when it was deleted, or None when it was never set aside."""
    if ident not in account.set_aside:
        return None
    present = {episode.part_id for episode in account.episodes}
    seen = set()
    while ident in account.set_aside and ident not in seen:
        seen.add(ident)
        ident = account.set_aside[ident]
        if ident in present or not ident:
            return ident
    return ident if ident in present else ""
