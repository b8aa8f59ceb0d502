"""Fuzzy dates as practitioners give them: "early summer 2025", "July", "2025-06-03",
"after the summer holidays started", "after the strategy discussion".

`parse_fuzzy(text, default_year)` returns an approximate, sortable range of dates, or a
FuzzyDate with no range when nothing in the text is a date (the timeline then falls back on
the practitioner's own order). Seasons are the meteorological ones (spring = March to May);
"winter 2025" runs from December 2025 to February 2026. A phrase without a year takes
`default_year` (the year the review period starts).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

# Named periods of the year (UK usage, approximate): (start month, start day, end month, end day).
NAMED = {
    "summer holidays": (7, 20, 8, 31),
    "summer holiday": (7, 20, 8, 31),
    "christmas": (12, 18, 12, 31),
    "new year": (1, 1, 1, 10),
    "easter": (3, 25, 4, 20),
    "half term": (10, 20, 10, 31),
    "half-term": (10, 20, 10, 31),
    "end of term": (7, 10, 7, 25),
    "start of term": (9, 1, 9, 15),
    "new school year": (9, 1, 9, 15),
}

_WORD_BEFORE = re.compile(r"\b(before|until|leading up to|prior to|by)\b")
_WORD_AFTER = re.compile(r"\b(after|following|since|later than|once)\b")
_PART = r"(?P<part>early|earlier in|beginning of|start of|the start of|mid|middle of|the middle of|late|later in|end of|the end of)?\s*-?\s*"
_YEAR = r"(?P<year>(?:19|20)\d\d)"


@dataclass(frozen=True)
class FuzzyDate:
    text: str
    start: date | None
    end: date | None
    precision: str  # day, part of month, month, season, named period, quarter, year, unknown
    relative: str = ""  # "before" / "after" when the text places the event around an anchor
    year_assumed: bool = False

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def span_days(self) -> int:
        if self.start is None or self.end is None:
            return 10**6
        return (self.end - self.start).days + 1

    def overlaps(self, other: "FuzzyDate") -> bool:
        if not (self.known and other.known):
            return False
        return self.start <= other.end and other.start <= self.end  # type: ignore[operator]

    def label(self) -> str:
        if not self.known:
            return "no date given"
        if self.start == self.end:
            return self.start.isoformat()  # type: ignore[union-attr]
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _part(start: date, end: date, part: str | None) -> tuple[date, date]:
    """Narrow a range to its first, middle or last third."""
    if not part:
        return start, end
    days = (end - start).days + 1
    third = max(days // 3, 1)
    part = part.replace("the ", "")
    if part in ("early", "beginning of", "start of", "earlier in"):
        return start, start + timedelta(days=third - 1)
    if part in ("mid", "middle of"):
        return start + timedelta(days=third), end - timedelta(days=third)
    return end - timedelta(days=third - 1), end  # late, end of, later in


def _clamp_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_fuzzy(text: str, default_year: int | None = None) -> FuzzyDate:
    raw = text or ""
    low = " ".join(raw.lower().replace(",", " ").split())
    found = _absolute(low, default_year)
    after, before = _WORD_AFTER.search(low), _WORD_BEFORE.search(low)
    if found is None:
        return FuzzyDate(raw, None, None, "unknown", "after" if after else "before" if before else "")
    start, end, precision, assumed, at = found
    # "after the summer holidays" shifts the range; "mid June, a week after the visit" does not:
    # there the date is given first and the clause only names another event.
    relative = ""
    if after and after.start() < at:
        relative = "after"
    elif before and before.start() < at:
        relative = "before"
    if relative == "after":
        end = end + timedelta(days=30)
    elif relative == "before":
        start = start - timedelta(days=30)
    return FuzzyDate(raw, start, end, precision, relative, assumed)


def _absolute(low: str, default_year: int | None) -> tuple[date, date, str, bool, int] | None:
    # ISO day: 2025-06-03
    m = re.search(r"\b((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})\b", low)
    if m:
        day = _clamp_day(int(m[1]), int(m[2]), int(m[3]))
        if day:
            return day, day, "day", False, m.start()
    # UK numeric day: 03/06/2025
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b", low)
    if m:
        day = _clamp_day(int(m[3]), int(m[2]), int(m[1]))
        if day:
            return day, day, "day", False, m.start()
    month_names = "|".join(sorted(MONTHS, key=len, reverse=True))
    # 3 June 2025 / 3rd June / June 3 2025
    m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month_names})\b(?:\s+{_YEAR})?", low) or \
        re.search(rf"\b({month_names})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+{_YEAR})?", low)
    if m:
        first, second = m[1], m[2]
        day_text, month_text = (first, second) if first.isdigit() else (second, first)
        year = int(m["year"]) if m["year"] else default_year
        if year is not None:
            day = _clamp_day(year, MONTHS[month_text], int(day_text))
            if day:
                return day, day, "day", not m["year"], m.start()
    # 2025-06 (ISO month), or 06/2025 as UK forms write a month
    m = re.search(r"\b((?:19|20)\d\d)-(\d{1,2})\b", low)
    if m and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), _month_end(year, month), "month", False, m.start()
    m = re.search(r"(?<![\d/])(\d{1,2})/((?:19|20)\d\d)\b", low)
    if m and 1 <= int(m[1]) <= 12:
        year, month = int(m[2]), int(m[1])
        return date(year, month, 1), _month_end(year, month), "month", False, m.start()
    # (early|mid|late) July (2025)
    m = re.search(rf"\b{_PART}({month_names})\b(?:\s+{_YEAR})?", low)
    if m and not (m[2] == "may" and not m["year"] and not m["part"] and _may_is_verb(low)):
        year = int(m["year"]) if m["year"] else default_year
        if year is not None:
            month = MONTHS[m[2]]
            start, end = _part(date(year, month, 1), _month_end(year, month), m["part"])
            return start, end, "part of month" if m["part"] else "month", not m["year"], m.start()
    # named periods: summer holidays, Christmas...
    for name, (m1, d1, m2, d2) in NAMED.items():
        named = re.search(rf"\b{re.escape(name)}\b", low)
        if named:
            ym = re.search(_YEAR, low)
            year = int(ym["year"]) if ym else default_year
            if year is not None:
                return date(year, m1, d1), date(year, m2, d2), "named period", ym is None, named.start()
    # seasons
    m = re.search(rf"\b{_PART}(spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?{_YEAR})?", low)
    if m:
        year = int(m["year"]) if m["year"] else default_year
        if year is not None:
            first, last = SEASONS[m[2]]
            start = date(year, first, 1)
            end = _month_end(year + 1, last) if last < first else _month_end(year, last)
            start, end = _part(start, end, m["part"])
            return start, end, "season", not m["year"], m.start()
    # quarters: Q3 2025
    m = re.search(rf"\bq([1-4])\s+{_YEAR}", low)
    if m:
        year, quarter = int(m["year"]), int(m[1])
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), "quarter", False, m.start()
    # (early|mid|late) 2025
    m = re.search(rf"\b{_PART}{_YEAR}\b", low)
    if m:
        year = int(m["year"])
        start, end = _part(date(year, 1, 1), date(year, 12, 31), m["part"])
        return start, end, "year", False, m.start()
    return None


def _may_is_verb(low: str) -> bool:
    """"may" without a day or year is usually the verb ("it may have been")."""
    return bool(re.search(r"\b(i|it|she|he|they|we|you|this|that|there)\s+may\b|\bmay\s+(have|be|not)\b", low))


EXAMPLES = "“early March 2024”, “spring 2023” or “03/2024”"


def _show(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def reading(text: str, default_year: int | None = None) -> tuple[bool, str]:
    """How a date or period a reviewer typed is understood, in one line for the screen:
    (True, "Read as 1 to 10 March 2024") or (False, a friendly line saying it cannot be placed
    and what can be). Free text is never refused: an episode without a readable date keeps
    its place in the practitioner's own order on the timeline."""
    if not text.strip():
        return False, f"No date yet: write it as they said it, such as {EXAMPLES}."
    found = parse_fuzzy(text, default_year)
    if not found.known:
        return False, f"Not a date the timeline can read, so it keeps their order. Try {EXAMPLES}."
    start, end = found.start, found.end
    assert start is not None and end is not None
    if start == end:
        span = _show(start)
    elif start.day == 1 and end == _month_end(end.year, end.month) and (start.year, start.month) == (end.year, end.month):
        span = f"{start:%B %Y}"
    elif start.year == end.year and start.month == end.month:
        span = f"{start.day} to {end.day} {end:%B %Y}"
    elif start.year == end.year:
        span = f"{start.day} {start:%B} to {_show(end)}"
    else:
        span = f"{_show(start)} to {_show(end)}"
    notes = []
    if found.year_assumed:
        notes.append("the year taken from the review period")
    if found.relative:
        notes.append(f"“{found.relative}” adds a month")
    return True, f"Read as {span}" + (f" ({'; '.join(notes)})" if notes else "") + "."


def period_year(*texts: str) -> int | None:
    """The first year written in the case framework's period ("March 2025"): the year a date
    given without one is taken to be in."""
    for text in texts:
        found = re.search(r"\b(19|20)\d\d\b", text or "")
        if found:
            return int(found.group())
    return None
