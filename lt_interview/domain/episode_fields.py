"""The fields of an episode as the practitioner recalls it (DOMAIN.md §5.2, 3b), in the order
the method asks about them, with every label a reader sees. The captured `Episode`
(domain/models.py) and the typed-up `AccountEpisode` (domain/account.py) both hold these
fields; tests/domain/test_episode_fields.py keeps the two models and this table in step.

The wordings differ on purpose: reviewers read "What they knew", the analysis side-by-side
has room for "Knew", and the practitioner's own account speaks to them ("What you knew").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EpisodeField:
    name: str  # the model field
    label: str  # the reviewers' wording: the type-up screen and the exports
    short: str  # where room is short: the analysis side-by-side
    plain: str  # addressed to the practitioner: the plain account of the accuracy check
    multiline: bool = True


TITLE = EpisodeField("title", "Episode", "Episode", "Episode", multiline=False)
WHEN = EpisodeField("when", "When", "When", "When", multiline=False)
# What the practitioner recalls of the episode, in the order the method asks.
RECALLED = (
    EpisodeField("knew", "What they knew", "Knew", "What you knew"),
    EpisodeField("thought", "What they thought", "Thought", "What you were thinking"),
    EpisodeField("felt", "How they felt", "Felt", "How you felt"),
    EpisodeField("did", "What they did", "Did", "What you did"),
    EpisodeField("why_it_made_sense", "Why it made sense at the time", "Why it made sense",
                 "Why it made sense to you at the time"),
    EpisodeField("helped", "What helped", "Helped", "What helped"),
    EpisodeField("hindered", "What hindered", "Hindered", "What made it harder"),
)
RECALLED_NAMES = tuple(field.name for field in RECALLED)
# Only on a captured Episode: the raw-note words it was made from.
SOURCE_EXCERPT = EpisodeField("source_excerpt", "Source excerpt", "Excerpt", "")

# The fields an account carries for each episode (type-up copies them from the Episode).
ACCOUNT_FIELDS = (TITLE, WHEN, *RECALLED)
ACCOUNT_FIELD_NAMES = tuple(field.name for field in ACCOUNT_FIELDS)
# Every text field of a captured Episode (search reads them all).
EPISODE_FIELDS = (*ACCOUNT_FIELDS, SOURCE_EXCERPT)
EPISODE_FIELD_NAMES = tuple(field.name for field in EPISODE_FIELDS)

LABELS = {field.name: field.label for field in EPISODE_FIELDS}


def account_values(episode: object) -> dict[str, Any]:
    """The account's fields of an Episode or AccountEpisode, by name (to copy one to the other)."""
    return {name: getattr(episode, name) for name in ACCOUNT_FIELD_NAMES}
