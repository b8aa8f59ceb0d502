"""The typed-up account of one conversation, and its versions through the accuracy check.

Never imports Textual. The account is ONE record (kind "account") per conversation, with a
record id derived from the conversation id, so the lead's and the notetaker's copies type up
the same record: if both edit it before their copies are combined, the merge shows a conflict
(two heads) that a reviewer settles; nothing is picked silently.

Because the whole account is one record, a version of it is one immutable revision: the
version sent for checking and the agreed version are revision ids, kept in AccountVersion
records (also conversation-scoped, so they travel with the conversation file).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from lt_interview.domain.ids import new_id
from lt_interview.domain.models import ConversationPart, Id
from lt_interview.domain.text import SafeLine, SafeText

# Built on first use (pydantic defer_build): these kinds are not needed when a conversation
# starts, and every record kind is imported with the table (domain/record_kinds.py).
LATE = ConfigDict(defer_build=True)

_ACCOUNT_NAMESPACE = uuid.UUID("5b0f8f7e-54a4-4d0b-9a57-2f1f3c1d7a10")


def account_id_for(conversation_id: str) -> str:
    """The account's record id: the same on every copy of one conversation."""
    return str(uuid.uuid5(_ACCOUNT_NAMESPACE, f"account|{conversation_id}"))


def part_id_for(source_id: str, what: str) -> str:
    """A stable part id for a section built from a captured record (same on both copies)."""
    return str(uuid.uuid5(_ACCOUNT_NAMESPACE, f"{what}|{source_id}"))


class _Part(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", validate_assignment=True)
    part_id: Id = Field(default_factory=new_id)
    source_id: Id | None = None  # the captured record it was built from, if any


class AccountFactor(_Part):
    heading_id: Id
    item: SafeLine = ""
    text: SafeText = ""


class AccountItem(_Part):
    """An item of what went well, a suggested change, or a quote."""

    text: SafeText = ""


class AccountQuery(_Part):
    question: SafeText = ""
    answer: SafeText = ""


class AccountEpisode(_Part):
    """One of the practitioner's episodes: the fields of an Episode record (domain/episode_fields.py),
    plus its factors."""

    title: SafeLine = ""
    when: SafeLine = ""
    knew: SafeText = ""
    thought: SafeText = ""
    felt: SafeText = ""
    did: SafeText = ""
    why_it_made_sense: SafeText = ""
    helped: SafeText = ""
    hindered: SafeText = ""
    factors: list[AccountFactor] = []
    quotes: list[AccountItem] = []


class Link(BaseModel):
    """A raw-note excerpt and the part of the account it supports."""

    model_config = ConfigDict(defer_build=True, extra="forbid")
    link_id: Id = Field(default_factory=new_id)
    note_id: Id
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    excerpt: SafeText = Field(min_length=1)
    part: SafeLine = Field(min_length=1)  # a part key, see domain/account_parts.py


class Account(ConversationPart):
    model_config = LATE
    kind: ClassVar[str] = "account"
    overview: SafeText = ""
    overview_quotes: list[AccountItem] = []
    episodes: list[AccountEpisode] = []
    factors: list[AccountFactor] = []  # factors not tied to one episode
    went_well: list[AccountItem] = []
    queries: list[AccountQuery] = []
    changes: list[AccountItem] = []
    links: list[Link] = []
    # Episodes taken out in type-up (typeup/episodes.py): the part or captured-record id of each
    # episode combined into another (-> that episode's part id) or deleted (-> ""), and of a
    # deleted episode's factors and quotes; what was captured for them is not brought back.
    set_aside: dict[Id, str] = {}


VersionStatus = Literal["typed_up", "sent_for_checking", "comments_received", "agreed"]


class AccountVersion(ConversationPart):
    """A lifecycle step of the account: which revision(s) it concerned, and when.

    Never edited after it is written: a later step is a new AccountVersion record.
    """

    model_config = LATE
    kind: ClassVar[str] = "account_version"
    status: VersionStatus
    number: int = Field(default=0, ge=0)  # 1, 2, 3... in the order the steps were taken
    revision_ids: list[Id] = Field(min_length=1)
    on: date
    comments: SafeText = ""  # the practitioner's comments, when status is comments_received
