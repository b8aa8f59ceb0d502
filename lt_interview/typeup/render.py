"""An account in plain language, section by section: what the practitioner reads in the
accuracy check, and what the differences view compares. No ids, no internal tags."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from lt_interview.domain.account import Account, AccountEpisode, AccountFactor
from lt_interview.domain.episode_fields import ACCOUNT_FIELD_NAMES, RECALLED, WHEN

# The episode's fields under their headings, as the practitioner reads them.
PLAIN_EPISODE_FIELDS = (WHEN, *RECALLED)


@dataclass
class Block:
    label: str  # "" for a plain paragraph
    text: str


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    key: str = ""  # stable across versions (an episode keeps its key when retitled)

    def lines(self) -> list[str]:
        out = []
        for block in self.blocks:
            text_lines = block.text.splitlines() or [""]
            if block.label:
                out.append(f"{block.label}: {text_lines[0]}")
                out += [f"  {line}" for line in text_lines[1:]]
            else:
                out += text_lines
        return out


def episode_is_empty(episode: AccountEpisode) -> bool:
    """Nothing typed in any field, and no factor or quote."""
    return (not any(getattr(episode, name).strip() for name in ACCOUNT_FIELD_NAMES)
            and not episode.factors and not any(quote.text.strip() for quote in episode.quotes))


def _factor_text(factor: AccountFactor, heading_title) -> Block:
    label = heading_title(factor.heading_id)
    if factor.item:
        label = f"{label} ({factor.item})"
    return Block(label, factor.text.strip())


def plain_sections(account: Account, heading_title=lambda h: h.replace("_", " ").capitalize()) -> list[Section]:
    """The account as sections; empty parts are left out."""
    sections: list[Section] = []
    overview = Section("Your overview", key="overview")
    if account.overview.strip():
        overview.blocks.append(Block("", account.overview.strip()))
    for quote in account.overview_quotes:
        if quote.text.strip():
            overview.blocks.append(Block("In your words", f"“{quote.text.strip()}”"))
    sections.append(overview)
    # An episode with nothing in it (a duplicate emptied rather than deleted, say) is left out,
    # and the episodes shown are numbered as the practitioner reads them.
    shown = [episode for episode in account.episodes if not episode_is_empty(episode)]
    for number, episode in enumerate(shown, start=1):
        title = f"Episode {number}: {episode.title.strip()}" if episode.title.strip() else f"Episode {number}"
        section = Section(title, key=f"episode:{episode.part_id}")
        for episode_field in PLAIN_EPISODE_FIELDS:
            value = getattr(episode, episode_field.name).strip()
            if value:
                section.blocks.append(Block(episode_field.plain, value))
        for factor in episode.factors:
            block = _factor_text(factor, heading_title)
            section.blocks.append(Block(f"What influenced you: {block.label}", block.text or "(no detail noted)"))
        for quote in episode.quotes:
            if quote.text.strip():
                section.blocks.append(Block("In your words", f"“{quote.text.strip()}”"))
        sections.append(section)
    if account.factors:
        section = Section("Other things that influenced you", key="factors")
        for factor in account.factors:
            block = _factor_text(factor, heading_title)
            section.blocks.append(Block(block.label, block.text or "(no detail noted)"))
        sections.append(section)
    went_well = [item.text.strip() for item in account.went_well if item.text.strip()]
    if went_well:
        sections.append(Section("What went well", [Block("", text) for text in went_well], key="went_well"))
    queries = [(q.question.strip(), q.answer.strip()) for q in account.queries if q.question.strip()]
    if queries:
        section = Section("Questions we asked", key="queries")
        for question, answer in queries:
            section.blocks.append(Block("Question", question))
            section.blocks.append(Block("Your answer", answer or "(no answer noted)"))
        sections.append(section)
    changes = [item.text.strip() for item in account.changes if item.text.strip()]
    if changes:
        sections.append(Section("Your suggestions for change", [Block("", text) for text in changes], key="changes"))
    return sections


@dataclass(frozen=True)
class SectionDiff:
    title: str
    lines: list[tuple[str, str]]  # (" ", "+", "-") and the line

    @property
    def changed(self) -> bool:
        return any(tag != " " for tag, _ in self.lines)


def diff_accounts(before: Account, after: Account, heading_title=lambda h: h.replace("_", " ").capitalize()) -> list[SectionDiff]:
    """Per-section differences (difflib), in the order of the later version."""
    old_sections = plain_sections(before, heading_title)
    new_sections = plain_sections(after, heading_title)
    # The section's title is its first line, so a retitled episode shows as a change.
    old = {s.key: [s.title, *s.lines()] for s in old_sections}
    new = {s.key: [s.title, *s.lines()] for s in new_sections}
    titles = {s.key: s.title for s in old_sections} | {s.key: s.title for s in new_sections}
    keys = [s.key for s in new_sections] + [s.key for s in old_sections if s.key not in new]
    out = []
    for key in keys:
        title = titles[key]
        a, b = old.get(key, []), new.get(key, [])
        lines: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                lines += [(" ", line) for line in a[i1:i2]]
            else:
                lines += [("-", line) for line in a[i1:i2]]
                lines += [("+", line) for line in b[j1:j2]]
        out.append(SectionDiff(title, lines))
    return out
