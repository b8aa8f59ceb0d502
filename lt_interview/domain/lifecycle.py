"""A conversation's status, from planning to the practitioner's agreed account (DOMAIN.md §5.4)."""

from __future__ import annotations

from enum import Enum

from lt_interview.errors import LifecycleError


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
