"""A conversation's status, from planning to the practitioner's agreed account (DOMAIN.md §5.4)."""

from __future__ import annotations

from datetime import date
from enum import Enum

from lt_interview.domain.dates import parse_date, show_date  # noqa: F401  (show_date: the type-up's)
from lt_interview.errors import BadInput, LifecycleError


class Status(str, Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    TYPED_UP = "typed_up"
    SENT_FOR_CHECKING = "sent_for_checking"
    COMMENTS_RECEIVED = "comments_received"
    AGREED = "agreed"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.PLANNED: "Planned",
    Status.IN_PROGRESS: "In progress",
    Status.HELD: "Held",
    Status.TYPED_UP: "Typed up",
    Status.SENT_FOR_CHECKING: "Sent for checking",
    Status.COMMENTS_RECEIVED: "Comments received",
    Status.AGREED: "Agreed",
}

ALLOWED: dict[Status, set[Status]] = {
    Status.PLANNED: {Status.IN_PROGRESS, Status.HELD},
    Status.IN_PROGRESS: {Status.HELD},
    # A follow-up conversation reopens a held one.
    Status.HELD: {Status.IN_PROGRESS, Status.TYPED_UP},
    Status.TYPED_UP: {Status.SENT_FOR_CHECKING},
    Status.SENT_FOR_CHECKING: {Status.COMMENTS_RECEIVED, Status.AGREED},
    # Corrections are entered, then the account is re-sent or agreed.
    Status.COMMENTS_RECEIVED: {Status.SENT_FOR_CHECKING, Status.AGREED},
    # An edit after agreement starts a new version, which goes round the check again.
    Status.AGREED: {Status.TYPED_UP},
}

ORDER = list(Status)


def check_transition(current: Status, target: Status) -> None:
    if target not in ALLOWED[current]:
        raise LifecycleError(
            f"A conversation that is '{current.label.lower()}' cannot move to "
            f"'{target.label.lower()}'"
        )


def at_least(status: Status, floor: Status) -> bool:
    return ORDER.index(status) >= ORDER.index(floor)


# --- dates of the steps ---------------------------------------------------------------------

def parse_step_date(text: str) -> date:
    """A date as a British user writes it (24/11/2026) or as YYYY-MM-DD; BadInput otherwise."""
    value = (text or "").strip()
    try:
        return parse_date(value)
    except ValueError:
        raise BadInput(f"“{value[:40]}” is not a date: write it as DD/MM/YYYY, for example 24/11/2026") from None


def check_step_date(current: Status, target: Status, dates: dict[str, date], on: date, today: date) -> None:
    """Refuse a date in the future, or one before a step already recorded (the step the
    conversation is at, or any step that comes before `target`): LifecycleError, one line."""
    if on > today:
        raise LifecycleError(f"{show_date(on)} is in the future; the date {target.label.lower()} "
                             f"cannot be later than today ({show_date(today)})")
    earlier = [(when, Status(key)) for key, when in dates.items()
               if key in LABELS_BY_VALUE and (Status(key) == current or ORDER.index(Status(key)) < ORDER.index(target))]
    if earlier:
        floor, step = max(earlier, key=lambda item: item[0])
        if on < floor:
            raise LifecycleError(f"{show_date(on)} is before the conversation was {_PAST[step]} "
                                 f"({show_date(floor)}); the steps must be in order")


LABELS_BY_VALUE = {status.value for status in Status}

_PAST = {
    Status.PLANNED: "planned",
    Status.IN_PROGRESS: "started",
    Status.HELD: "held",
    Status.TYPED_UP: "typed up",
    Status.SENT_FOR_CHECKING: "sent for checking",
    Status.COMMENTS_RECEIVED: "commented on by the practitioner",
    Status.AGREED: "agreed",
}
