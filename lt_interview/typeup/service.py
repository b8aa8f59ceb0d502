"""Typing up a conversation and moving its account through the accuracy check (DOMAIN.md §5.4).

typed up -> sent for checking (date) -> comments received -> corrections (new revisions)
-> agreed (date; frozen). The version sent and the agreed version are revision ids held in
AccountVersion records; revisions are immutable, so an agreed version can never change. An
edit after agreement is a new revision: the conversation goes back to "typed up" and the
agreed revision stays retrievable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lt_interview.domain.account import Account, AccountVersion, account_id_for
from lt_interview.domain.lifecycle import Status, check_step_date, check_transition
from lt_interview.domain.models import Conversation, Reviewer
from lt_interview.errors import BadInput, LifecycleError
from lt_interview.storage.revisions import Revision
from lt_interview.storage.store import CONVERSATION, Store
from lt_interview.typeup.build import add_captured, build_account
from lt_interview.typeup.versions import CLOSE, OPEN, common_ancestor, marked_parts, merge_versions, version_names
from lt_interview.domain.ids import short_id


@dataclass(frozen=True)
class AccountState:
    conversation_id: str
    conversation: Conversation
    account_id: str
    account: Account
    revision: Revision | None  # the head the account was read from; None if not yet saved
    competing: int  # number of heads: more than one means merged copies disagree
    # Captured items that reached the file (by combining copies, say) after the account was
    # saved, and are shown in it now: "1 item of what went well". Saved with the next change.
    added: tuple[str, ...] = ()
    # Parts where the combined versions differ: each holds every text, marked, to combine.
    clashes: int = 0

    @property
    def marked_parts(self) -> list[str]:
        """Parts still holding marked versions or notes to combine into one."""
        return marked_parts(self.account)


def conversation_of(store: Store) -> tuple[str, Conversation]:
    if store.file_kind != CONVERSATION:
        raise BadInput(f"{store.path}: type-up works on a conversation file (.ltc)")
    conversation_id = store.meta("conversation_id") or ""
    found = store.get(conversation_id)
    if found is None or not isinstance(found.record, Conversation):
        raise BadInput(f"{store.path}: holds no conversation record")
    return conversation_id, found.record


def typist(store: Store, name: str | None = None) -> str:
    """Who is typing up in this copy, so each version of the account names its author: the
    reviewer called `name`, or else the one reviewer the copy's conversation record names (a
    copy opened in conversation by the lead only, or the notetaker only); "" when not known."""
    reviewers = store.records(Reviewer)
    if name:
        wanted = " ".join(name.split()).casefold()
        matches = [rid for rid, reviewer in reviewers if reviewer.name.casefold() == wanted or rid == name]
        if len(matches) != 1:
            known = "; ".join(reviewer.name for _, reviewer in reviewers) or "none registered"
            raise BadInput(f"no single reviewer called '{' '.join(name.split())}' in this file (known: {known})")
        return matches[0]
    _, conversation = conversation_of(store)
    named = {conversation.lead_reviewer_id, conversation.notetaker_id} - {None}
    registered = {rid for rid, _ in reviewers}
    return named.pop() if len(named) == 1 and named <= registered else ""  # type: ignore[return-value]


def load(store: Store) -> AccountState:
    """The account as it stands (its draft is not included), or a fresh pre-filled one.

    Nothing captured is left out: when combined copies hold competing versions, the account
    is their part-by-part union (typeup/versions.py), and captured items not yet in it are
    added in their parts. Both are written only when a reviewer saves."""
    conversation_id, conversation = conversation_of(store)
    account_id = account_id_for(conversation_id)
    found = store.get(account_id)
    heads = store.heads(account_id)
    if found is None:
        return AccountState(conversation_id, conversation, account_id,
                            build_account(store, conversation_id), None, 0)
    account: Account = found.record  # type: ignore[assignment]
    clashes = 0
    live = [head for head in heads if not head.deleted]
    if len(live) > 1:
        account, clashes = _union_of(store, conversation_id, account_id, live)
    account, added = add_captured(store, conversation_id, account)
    return AccountState(conversation_id, conversation, account_id, account, found.revision, len(heads),
                        tuple(added), clashes)


def _union_of(store: Store, conversation_id: str, account_id: str, heads: list[Revision]) -> tuple[Account, int]:
    names = {rid: reviewer.name for rid, reviewer in store.records(Reviewer)}
    base = common_ancestor(store.history(account_id), heads)
    base_account = base.record() if base is not None and not base.deleted else None
    versions = list(zip(version_names(names, heads), (head.record() for head in heads)))
    return merge_versions(versions, base_account,  # type: ignore[arg-type]
                          build_account(store, conversation_id))


def ensure_saved(store: Store) -> AccountState:
    """Write the pre-filled account as its first revision if there is none yet, and the captured
    items that arrived since it was saved (when its versions do not compete)."""
    state = load(store)
    if state.revision is None or (state.added and state.competing <= 1):
        revision = store.put(state.account, state.account_id)
        state = load(store)
        assert state.revision is not None and state.revision.revision_id == revision.revision_id
    return state


def save(store: Store, account: Account) -> Revision | None:
    """Save an edited account as a new revision (nothing is written if it did not change)."""
    state = ensure_saved(store)
    if account.conversation_id != state.conversation_id:
        raise BadInput("this account belongs to another conversation")
    if state.account.model_dump() == account.model_dump() and state.competing <= 1:
        return None
    with store.transaction():
        revision = store.put(account, state.account_id)
        _after_edit(store, state)
    return revision


def replace_everywhere(store: Store, find: str, replacement: str) -> tuple[int, list[str]]:
    """Replace a word or name with `replacement` in every part of the account, saved as a new
    revision (an agreed account starts a new version; the agreed one stays as it was). Returns
    how many were replaced and the parts changed; nothing is written when there were none."""
    from lt_interview.typeup.replace import replace_in

    store.seal_all()
    state = ensure_saved(store)
    account, count, changed = replace_in(state.account, find, replacement)
    if count:
        save(store, account)
        store.audit("account.replace", state.account_id, detail={"replaced": count})
    return count, changed


def seal(store: Store) -> Revision | None:
    """Seal the account's autosaved draft into a revision (see Store.seal)."""
    state = load(store)
    with store.transaction():
        revision = store.seal(state.account_id)
        if revision is not None:
            _after_edit(store, state)
    return revision


def _after_edit(store: Store, state: AccountState) -> None:
    """An edit after agreement starts a new version; the agreed one stays as it was."""
    if state.conversation.status == Status.AGREED:
        _set_status(store, Status.TYPED_UP, _today(store))
        head = load(store).revision
        assert head is not None
        store.put(AccountVersion(conversation_id=state.conversation_id, status="typed_up",
                                 number=_next_number(store, state.conversation_id), revision_ids=[head.revision_id], on=_today(store)))


def _next_number(store: Store, conversation_id: str) -> int:
    return max((v.number for _, v in store.records(AccountVersion, conversation_id)), default=0) + 1


def _today(store: Store) -> date:
    return store.clock().date()


def _set_status(store: Store, target: Status, on: date | None) -> None:
    """Move the conversation to `target`; `on` is recorded as the date of that step, or left
    unknown when None (a step passed over is never given another step's date)."""
    conversation_id, conversation = conversation_of(store)
    check_transition(conversation.status, target)
    dates = dict(conversation.status_dates)
    if on is not None:
        dates[target.value] = on
    else:
        dates.pop(target.value, None)  # an earlier round's date would be wrong for this one
    store.put(conversation.model_copy(update={"status": target, "status_dates": dates}), conversation_id)
    store.audit(f"conversation.{target.value}", conversation_id)


def known_dates(conversation: Conversation) -> dict[str, date]:
    """The dates recorded for the conversation's steps (the held date from held_on if need be)."""
    dates = dict(conversation.status_dates)
    if conversation.held_on is not None and Status.HELD.value not in dates:
        dates[Status.HELD.value] = conversation.held_on
    return dates


def check_date(store: Store, step: str, on: date) -> None:
    """Refuse (LifecycleError, one line) a date for `step` that is in the future or before a
    step already recorded. The type-up screen asks this before it closes its date dialog."""
    _, conversation = conversation_of(store)
    check_step_date(conversation.status, Status(step), known_dates(conversation), on, _today(store))


def _settled_head(store: Store) -> AccountState:
    store.seal_all()
    state = ensure_saved(store)
    if state.competing > 1:
        raise BadInput(
            "the account has competing versions from combined copies; open it in type-up, "
            "settle the differences and save before moving it on")
    require_combined(state)
    return state


def require_combined(state: AccountState) -> None:
    """Refuse while a part still holds more than one version or both reviewers' notes, marked."""
    waiting = state.marked_parts
    if waiting:
        raise BadInput(
            f"{len(waiting)} part{'s' if len(waiting) != 1 else ''} of the account still "
            f"hold{'s' if len(waiting) == 1 else ''} more than one version, under lines marked "
            f"{OPEN} {CLOSE}; combine each into one and delete the marked lines before moving it on")


def _record(store: Store, state: AccountState, status: str, on: date, comments: str = "") -> AccountVersion:
    assert state.revision is not None
    version = AccountVersion(conversation_id=state.conversation_id, status=status,
                             number=_next_number(store, state.conversation_id),
                             revision_ids=[state.revision.revision_id], on=on, comments=comments)
    store.put(version)
    return version


def mark_typed_up(store: Store, on: date | None = None) -> AccountVersion:
    on = on or _today(store)
    check_date(store, "typed_up", on)
    with store.transaction():
        state = _settled_head(store)
        status = state.conversation.status
        if status == Status.IN_PROGRESS:
            _set_status(store, Status.HELD, None)  # it was held, but on a day we were not told
            status = Status.HELD
        if status != Status.TYPED_UP:
            _set_status(store, Status.TYPED_UP, on)
        return _record(store, load(store), "typed_up", on)


def send_for_checking(store: Store, on: date | None = None) -> AccountVersion:
    on = on or _today(store)
    check_date(store, "sent_for_checking", on)
    with store.transaction():
        state = _settled_head(store)
        status = state.conversation.status
        # Steps passed over are recorded as reached, with their dates left unknown.
        if status == Status.IN_PROGRESS:
            _set_status(store, Status.HELD, None)
            status = Status.HELD
        if status in (Status.PLANNED, Status.HELD):
            _set_status(store, Status.TYPED_UP, None)
        _set_status(store, Status.SENT_FOR_CHECKING, on)
        return _record(store, load(store), "sent_for_checking", on)


def comments_received(store: Store, on: date | None = None, comments: str = "") -> AccountVersion:
    on = on or _today(store)
    check_date(store, "comments_received", on)
    with store.transaction():
        _settled_head(store)  # refuses while the copies still disagree
        _set_status(store, Status.COMMENTS_RECEIVED, on)
        return _record(store, load(store), "comments_received", on, comments)


def agree(store: Store, on: date | None = None) -> AccountVersion:
    on = on or _today(store)
    with store.transaction():
        state = _settled_head(store)
        if state.conversation.status in (Status.SENT_FOR_CHECKING, Status.COMMENTS_RECEIVED):
            check_date(store, "agreed", on)
        if state.conversation.status != Status.SENT_FOR_CHECKING and \
                state.conversation.status != Status.COMMENTS_RECEIVED:
            raise LifecycleError(
                f"A conversation that is '{state.conversation.status.label.lower()}' cannot be agreed; "
                "send the account for checking first")
        _set_status(store, Status.AGREED, on)
        return _record(store, load(store), "agreed", on)


# --- reading versions -------------------------------------------------------------------------


def versions(store: Store, conversation_id: str | None = None) -> list[tuple[str, AccountVersion]]:
    conversation_id = conversation_id or conversation_of(store)[0]
    found = store.records(AccountVersion, conversation_id)
    return sorted(found, key=lambda item: (item[1].number, item[1].on))  # oldest first


def version_numbers(store: Store, conversation_id: str | None = None) -> dict[str, int]:
    """The version number of each revision of the account that reached a step: 1 for the first
    text typed up or sent, 2 for the next different text, and so on. Typing up, sending and
    receiving comments on the same text are steps of one version, so the first document sent
    says "Version 1" (each step's own `number` only orders the steps)."""
    numbers: dict[str, int] = {}
    for _, version in versions(store, conversation_id):
        for revision_id in version.revision_ids:
            numbers.setdefault(revision_id, len(numbers) + 1)
    return numbers


def latest_version(store: Store, status: str, conversation_id: str | None = None) -> AccountVersion | None:
    found = [v for _, v in versions(store, conversation_id) if v.status == status]
    return found[-1] if found else None


def account_at(store: Store, revision_id: str) -> Account:
    revision = store.revision(revision_id)
    if revision is None or not revision.digest_ok() or revision.kind != Account.kind:
        raise BadInput(f"the account version {short_id(revision_id)} is missing or damaged in {store.path}")
    return revision.record()  # type: ignore[return-value]


def agreed_account(store: Store, conversation_id: str) -> Account | None:
    """The most recently agreed version of a conversation's account (for analysis), or None."""
    version = latest_version(store, "agreed", conversation_id)
    return account_at(store, version.revision_ids[0]) if version else None


def is_agreed(store: Store, conversation_id: str) -> bool:
    """True only while the conversation's status is agreed (an edit since makes it a draft)."""
    found = store.get(conversation_id)
    return bool(found and getattr(found.record, "status", None) == Status.AGREED)


def sent_and_agreed(store: Store) -> tuple[Account | None, Account | None, AccountVersion | None, AccountVersion | None]:
    """The version sent for checking (the last send before the agreement, if any) and the agreed one."""
    all_versions = [v for _, v in versions(store)]
    agreed_index = max((i for i, v in enumerate(all_versions) if v.status == "agreed"), default=None)
    before = all_versions[:agreed_index] if agreed_index is not None else all_versions
    sent = next((v for v in reversed(before) if v.status == "sent_for_checking"), None)
    agreed = all_versions[agreed_index] if agreed_index is not None else None
    return (account_at(store, sent.revision_ids[0]) if sent else None,
            account_at(store, agreed.revision_ids[0]) if agreed else None, sent, agreed)


def require_status_at_least_held(conversation: Conversation) -> None:
    if conversation.status == Status.PLANNED:
        raise LifecycleError("This conversation has not been held yet; there is nothing to type up")
