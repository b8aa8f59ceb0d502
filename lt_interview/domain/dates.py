"""Dates as users write and read them: typed as YYYY-MM-DD or DD/MM/YYYY (as UK spreadsheets
and people write them), shown as "24 November 2026"."""

from __future__ import annotations

import re
from datetime import date, datetime

_DATE_SHAPES = ((re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "%Y-%m-%d"), (re.compile(r"\d{1,2}/\d{1,2}/\d{4}"), "%d/%m/%Y"))


def parse_date(text: str) -> date:
    """yyyy-mm-dd (ISO) or dd/mm/yyyy; ValueError saying which of the two went wrong."""
    text = text.strip()
    for shape, pattern in _DATE_SHAPES:
        if shape.fullmatch(text):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:  # the right form, but no such day (31/02/2024)
                raise ValueError(f"{text} is not a real date") from None
    raise ValueError("the date must be yyyy-mm-dd or dd/mm/yyyy")


def show_date(on: date) -> str:
    """A date as users read it: 24 November 2026."""
    return f"{on.day} {on:%B %Y}"
