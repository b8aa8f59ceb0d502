"""Real names never travel into a conversation file; salted digests of them do, so that
type-up can flag a real name that should have been a pseudonym."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
MIN_NAME_LENGTH = 3


def name_tokens(name: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(name) if len(word) >= MIN_NAME_LENGTH}


def name_digest(review_id: str, token: str) -> str:
    return hashlib.sha256(f"lt-interview name guard|{review_id}|{token.casefold()}".encode()).hexdigest()


def find_guarded_names(text: str, review_id: str, digests: set[str]) -> list[tuple[int, int]]:
    """Spans of words in `text` whose digest is in the guard set."""
    spans = []
    for match in _WORD.finditer(text):
        if len(match.group()) >= MIN_NAME_LENGTH and name_digest(review_id, match.group()) in digests:
            spans.append((match.start(), match.end()))
    return spans
