"""CSV that spreadsheets will not execute (RELIABILITY.md §7, OWASP ASVS 1.2.10).

Every cell, headers included, that starts with = + - @ tab, CR or NUL gets a leading
apostrophe; quoting follows RFC 4180 (csv module, CRLF line ends). Quoting alone does not
help: spreadsheets evaluate quoted formulas too.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\x00")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_FIRST):
        return "'" + text
    return text


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def to_csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents correctly."""
    return to_csv(rows).encode("utf-8-sig")
