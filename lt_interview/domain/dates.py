"""Dates as users write and read them: typed as YYYY-MM-DD or DD/MM/YYYY (as UK spreadsheets
and people write them), shown as "24 November 2026"."""

from __future__ import annotations

import calendar
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


_MONTH_NAMES = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9
_PARTIAL_SHAPES = (
    (re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})"), "month"),  # 2024-03, 2024/03
    (re.compile(r"(?P<month>\d{1,2})/(?P<year>\d{4})"), "month"),  # 03/2024
    (re.compile(r"(?P<name>[A-Za-z]+)\.?,? (?P<year>\d{4})"), "month"),  # March 2024, Mar 2024
    (re.compile(r"(?P<year>\d{4})"), "year"),  # 2024
)
PARTIAL_FORMS = "yyyy-mm, mm/yyyy, March 2024 or yyyy"


def parse_partial_date(text: str) -> tuple[date, date]:
    """A month or a year, when the day is not known (agency chronologies have them): the first
    and last days of that period. ValueError when the text is neither."""
    text = text.strip()
    for shape, kind in _PARTIAL_SHAPES:
        found = shape.fullmatch(text)
        if found is None:
            continue
        year = int(found["year"])
        if kind == "year":
            return date(year, 1, 1), date(year, 12, 31)
        month = _MONTH_NAMES.get(found["name"].casefold()) if "name" in shape.groupindex else int(found["month"])
        if month is None or not 1 <= month <= 12:
            raise ValueError(f"{text} is not a real month")
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    raise ValueError(f"the date must be yyyy-mm-dd or dd/mm/yyyy, or a month or year when the day is "
                     f"not known ({PARTIAL_FORMS})")


def show_date(on: date) -> str:
    """A date as users read it: 24 November 2026."""
    return f"{on.day} {on:%B %Y}"
