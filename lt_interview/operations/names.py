"""Real names never travel into a conversation file; salted digests of them do, so that
type-up can flag a real name that should have been a pseudonym."""

from __future__ import annotations

import hashlib
import re
from typing import Iterator

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_JOINERS = re.compile(r"['’-]")
MIN_NAME_LENGTH = 3


def name_tokens(name: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(name) if len(word) >= MIN_NAME_LENGTH}


def name_digest(review_id: str, token: str) -> str:
    return hashlib.sha256(f"lt-interview name guard|{review_id}|{token.casefold()}".encode()).hexdigest()


def candidate_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Every word of `text` with its span, and also each piece of a possessive or joined word
    ("Name's", "Name-Other"), so a real name in those forms is still found."""
    for match in _WORD.finditer(text):
        word = match.group()
        yield match.start(), match.end(), word
        if _JOINERS.search(word):
            offset = match.start()
            for piece in _JOINERS.split(word):
                if piece:
                    start = text.index(piece, offset)
                    offset = start + len(piece)
                    yield start, offset, piece


def _is_guarded(word: str, review_id: str, digests: set[str], cache: dict[str, str] | None) -> bool:
    if len(word) < MIN_NAME_LENGTH:
        return False
    key = word.casefold()
    digest = cache.get(key) if cache is not None else None
    if digest is None:
        digest = name_digest(review_id, key)
        if cache is not None:
            cache[key] = digest
    return digest in digests


def find_guarded_names(text: str, review_id: str, digests: set[str],
                       cache: dict[str, str] | None = None) -> list[tuple[int, int]]:
    """Spans of words in `text` whose digest is in the guard set, sorted."""
    return sorted({(start, end) for start, end, word in candidate_words(text)
                   if _is_guarded(word, review_id, digests, cache)})


def holds_guarded_name(text: str, review_id: str, digests: set[str],
                       cache: dict[str, str] | None = None) -> bool:
    """Whether any word of `text` is guarded; stops at the first (pass a cache for long texts)."""
    return any(_is_guarded(word, review_id, digests, cache) for _, _, word in candidate_words(text))
