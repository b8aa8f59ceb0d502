"""The agency chronology: imported from CSV into the review database only, and kept out of
sight in blind mode until every conversation is agreed or a reviewer unlocks it with a
recorded reason (DOMAIN.md §4)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from pydantic import ValidationError

from lt_interview.domain.dates import parse_date, parse_partial_date
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import ChronologyEntry, ChronologyUnlock, Conversation, Review
from lt_interview.domain.text import clean_line
from lt_interview.errors import BadInput, WrongKind, validation_problem

MAX_CSV_BYTES = 20 * 1024**2
MAX_CSV_ROWS = 100_000
COLUMNS = ("date", "agency", "event")


@dataclass
class ChronologyImport:
    added: int
    already_present: int
    ignored_columns: tuple[str, ...] = ()


@dataclass
class ChronologyCsv:
    entries: list[ChronologyEntry]
    ignored_columns: tuple[str, ...]  # beyond date, agency and event (agencies' exports have more)


def read_csv(path: Path) -> list[ChronologyEntry]:
    """Read and validate every row; raise BadInput naming the first bad line."""
    return read_chronology(path).entries


def read_chronology(path: Path) -> ChronologyCsv:
    """read_csv, saying which columns were ignored."""
    path = Path(path)
    try:
        if not path.is_file():
            raise BadInput(f"{path}: not a file")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise BadInput(f"{path}: too large ({size // 1024**2} MB; the limit is {MAX_CSV_BYTES // 1024**2} MB)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text; save the spreadsheet as 'CSV UTF-8'") from None
    return parse_chronology(text, source=str(path))


def parse_csv(text: str, *, source: str = "chronology") -> list[ChronologyEntry]:
    return parse_chronology(text, source=source).entries


def _when(text: str) -> tuple[date, str]:
    """A day, or the first day of a month or year given alone (its text kept to show as given)."""
    try:
        return parse_date(text), ""
    except ValueError as exc:
        if "not a real date" in str(exc):
            raise  # a whole date, but no such day (31/02/2024)
    start, _ = parse_partial_date(text)  # its ValueError names every form taken
    return start, clean_line(text.strip())


def parse_chronology(text: str, *, source: str = "chronology") -> ChronologyCsv:
    if "\x00" in text:
        raise BadInput(f"{source}: not a CSV file")
    # strict: a quote opened and never closed is an error, not a field running to the end of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1  # the line the row being read starts on (a quoted field may run over several lines)

    def rows():
        nonlocal start
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            yield row

    lines = rows()
    try:
        header = next(lines, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(lines, None)
        if header is None:
            raise BadInput(f"{source}: empty; expected a header line: date,agency,event")
        names = [cell.strip().casefold() for cell in header]
        if any(names.count(name) != 1 for name in COLUMNS):
            raise BadInput(f"{source} line {start}: the header must name the columns date, agency "
                           "and event, once each (in any order; other columns are ignored)")
        where = {name: names.index(name) for name in COLUMNS}
        ignored = tuple(clean_line(cell.strip()) or f"column {number} (no name)"
                        for number, (name, cell) in enumerate(zip(names, header), start=1) if name not in COLUMNS)
        entries: list[ChronologyEntry] = []
        for row in lines:
            line = start
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names) and not (len(row) > len(names) and not any(c.strip() for c in row[len(names):])):
                raise BadInput(f"{source} line {line}: expected {len(names)} columns "
                               f"({', '.join(cell.strip() for cell in header)}), found {len(row)}")
            try:
                when, when_text = _when(row[where["date"]])
            except ValueError as exc:
                raise BadInput(f"{source} line {line}: {exc}") from None
            try:
                entries.append(ChronologyEntry(when=when, when_text=when_text, agency=row[where["agency"]],
                                               event=row[where["event"]]))
            except ValidationError as exc:
                field, problem = validation_problem(exc)
                raise BadInput(f"{source} line {line}: {field}: {problem}") from None
            if len(entries) > MAX_CSV_ROWS:
                raise BadInput(f"{source}: more than {MAX_CSV_ROWS:,} rows")
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise BadInput(f"{source} line {start}: a quotation mark (\") opens a field that is never closed; "
                           "add the closing quotation mark") from None
        raise BadInput(f"{source} line {start}: not valid CSV ({exc})") from None
    if not entries:
        raise BadInput(f"{source}: no chronology rows after the header")
    return ChronologyCsv(entries, ignored)


def _key(entry: ChronologyEntry) -> tuple:
    return (entry.when, entry.when_text, entry.agency, entry.event)


def import_entries(store, entries: list[ChronologyEntry]) -> ChronologyImport:
    """Store entries as ChronologyEntry records in one transaction. Rows already present
    (same date, agency and event) are not added twice, so re-importing a file adds nothing."""
    _require_review(store)
    known = {_key(entry) for _, entry in store.records(ChronologyEntry)}
    added = 0
    with store.transaction():
        for entry in entries:
            if _key(entry) in known:
                continue
            known.add(_key(entry))
            store.put(entry, audit=False)
            added += 1
        store.audit("chronology.import", detail={"rows": len(entries), "added": added})
    return ChronologyImport(added=added, already_present=len(entries) - added)


def import_csv(store, path: Path) -> ChronologyImport:
    _require_review(store)
    found = read_chronology(path)
    result = import_entries(store, found.entries)
    result.ignored_columns = found.ignored_columns
    return result


def unlock(store, reason: str, by: str = "") -> str:
    """Record a reviewer's reason for showing the chronology early; audited (ids only)."""
    _require_review(store)
    try:
        record = ChronologyUnlock(reason=reason, by=by)
    except ValidationError:
        raise BadInput("give a reason for unlocking the chronology (--reason)") from None
    if not record.reason.strip():
        raise BadInput("give a reason for unlocking the chronology (--reason)")
    with store.transaction():
        revision = store.put(record, audit=False)
        store.audit("chronology.unlock", revision.record_id, {"unlocks": len(unlocks(store))})
    return revision.record_id


def unlocks(store) -> list[tuple[str, ChronologyUnlock]]:
    return store.records(ChronologyUnlock)


def chronology_visible(store) -> bool:
    """May the analysis workspace show the chronology? True when blind mode is off, or every
    conversation (at least one) is agreed, or a reviewer has unlocked it with a reason."""
    found = store.one(Review)
    if found is not None and not found[1].blind_mode:
        return True
    conversations = store.records(Conversation)
    if conversations and all(conv.status == Status.AGREED for _, conv in conversations):
        return True
    return bool(unlocks(store))


def entries(store) -> list[tuple[str, ChronologyEntry]]:
    """The chronology in date order (callers check chronology_visible first)."""
    return sorted(store.records(ChronologyEntry), key=lambda item: (item[1].when, item[1].agency))


def _require_review(store) -> None:
    if store.file_kind != "review":
        raise WrongKind(f"{store.path}: the chronology belongs in the review file (.ltr), "
                        "never in a conversation file")
    store.refuse_if_purged()
