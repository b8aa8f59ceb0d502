"""Marks the reviewers put in their running notes.

DOMAIN.md §4 and §13.4: notes should show when information came from the reviewers rather than
the practitioner (a question from another account, say), so that nobody later reads it as the
practitioner's own view at the time. The mark is plain text at the start of the line, after
any time stamp, so it travels with the notes into type-up, the merged review and every export.
"""

from __future__ import annotations

import re

FROM_REVIEWERS = "(from the reviewers) "
STAMP = re.compile(r"^\d\d:\d\d ")


def _split(line: str) -> tuple[str, str]:
    found = STAMP.match(line)
    stamp = found.group(0) if found else ""
    return stamp, line[len(stamp):]


def is_marked(line: str) -> bool:
    return _split(line)[1].startswith(FROM_REVIEWERS)


def mark_lines(lines: list[str]) -> list[str]:
    """Mark every non-empty line; if all of them are marked already, unmark them instead."""
    written = [line for line in lines if line.strip()]
    if written and all(is_marked(line) for line in written):
        return [unmark(line) for line in lines]
    out = []
    for line in lines:
        stamp, rest = _split(line)
        out.append(line if not line.strip() or is_marked(line) else stamp + FROM_REVIEWERS + rest)
    return out


def unmark(line: str) -> str:
    stamp, rest = _split(line)
    return stamp + rest[len(FROM_REVIEWERS):] if rest.startswith(FROM_REVIEWERS) else line


def marked_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each mark in a longer text, for reminders at type-up."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        stamp, rest = _split(line)
        if rest.startswith(FROM_REVIEWERS):
            start = offset + len(stamp)
            spans.append((start, start + len(FROM_REVIEWERS.rstrip())))
        offset += len(line) + 1
    return spans
