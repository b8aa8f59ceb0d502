"""Real names never travel into a conversation file; salted digests of them do, so that
type-up can flag a real name that should have been a pseudonym, and every export refuses one.

Words are compared after folding: compatibility forms (fullwidth letters, ligatures) become
plain letters, accents and invisible characters (soft hyphens, zero-width joiners) are dropped,
and case is ignored. A word also counts in its plural or possessive forms and when it is run
together with digits or underscores ("Wrenfields", "Katarina2", "TOBIAS_WRENFIELD").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterator

_LETTERS = r"[^\W\d_]+"
_WORD = re.compile(rf"{_LETTERS}(?:['’-]{_LETTERS})*")
_JOINERS = re.compile(r"['’-]")
MIN_NAME_LENGTH = 3
# Dropped when folding: format characters (soft hyphen, zero-width joiners) and the marks an
# accented letter leaves once decomposed.
_DROPPED = frozenset({"Cf", "Mn", "Me"})
_FOLDS: dict[str, str] = {}


def _fold_char(char: str) -> str:
    folded = _FOLDS.get(char)
    if folded is None:
        folded = "".join(piece for piece in unicodedata.normalize("NFKD", char)
                         if unicodedata.category(piece) not in _DROPPED).casefold()
        _FOLDS[char] = folded
    return folded


def fold(text: str) -> tuple[str, list[int] | None]:
    """`text` folded for comparison, and for each folded character the index of the character
    of `text` it came from (None when they are the same, as for any ASCII text)."""
    if text.isascii():
        return text.lower(), None
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def _words(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """Each word of `text` (span in `text`) with the forms it is compared in: the folded word,
    each piece of a possessive or joined word ("Name's", "Name-Other"), a plural's singular,
    and the word exactly as written (how names were kept before folding)."""
    folded, origin = fold(text)
    for match in _WORD.finditer(folded):
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        word = match.group()
        as_written = unicodedata.normalize("NFC", text[start:end]).casefold()
        yield start, end, [word, *_singulars(word), as_written]
        if _JOINERS.search(word):
            offset = match.start()
            for piece in _JOINERS.split(word):
                if not piece:
                    continue
                piece_start = folded.index(piece, offset)
                offset = piece_start + len(piece)
                if origin is None:
                    yield piece_start, offset, [piece, *_singulars(piece)]
                else:
                    yield origin[piece_start], origin[offset - 1] + 1, [piece, *_singulars(piece)]


def _singulars(word: str) -> list[str]:
    forms = []
    if word.endswith("s"):
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    return forms


def name_tokens(name: str) -> set[str]:
    """The folded words of a name, and the pieces of a joined one, that the guard looks for."""
    tokens = set()
    for _, _, forms in _words(name):
        word = forms[0]
        tokens.add(word)
        tokens.update(piece for piece in _JOINERS.split(word) if piece)
    return {token for token in tokens if len(token) >= MIN_NAME_LENGTH}


def name_digest(review_id: str, token: str) -> str:
    return hashlib.sha256(f"lt-interview name guard|{review_id}|{token.casefold()}".encode()).hexdigest()


def candidate_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Every form of every word of `text` the guard compares, with the word's span."""
    for start, end, forms in _words(text):
        for form in forms:
            yield start, end, form


def words_as_written(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Each word of `text`, and each piece of a possessive or joined word: its span, the word as
    written (for its capitals) and folded (for comparing)."""
    for start, end, forms in _words(text):
        yield start, end, text[start:end], forms[0]


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
