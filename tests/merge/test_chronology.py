"""Chronology import (CSV) and the audited unlock that lifts blind mode in the workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lt_interview.cli import main
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import ChronologyEntry, Conversation, Review
from lt_interview.errors import BadInput
from lt_interview.review.chronology import ChronologyUnlock, import_csv, parse_csv
from lt_interview.review.conversation_files import pack
from lt_interview.storage.lookups import chronology_entries, chronology_visible
from lt_interview.storage.store import Store

from .conftest import sha256

GOOD = (
    "date,agency,event\n"
    "2025-05-02,GP practice,Seen for a cough (fictional)\n"
    "14/06/2025,Health visiting,8-month review; small bruise noted (fictional)\n"
    "\n"
    '2025-07-03,Police,"Call-out, noise complaint (fictional)"\n'
)


def write(tmp_path: Path, text: str, name: str = "chronology.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_good_csv(review_path, passphrase, tmp_path, capsys):
    csv_path = write(tmp_path, GOOD)
    assert main(["chronology", "import", str(review_path), str(csv_path)]) == 0
    assert "Imported 3 chronology entries" in capsys.readouterr().out
    with Store.open(review_path, passphrase) as store:
        found = [entry for _, entry in chronology_entries(store)]
        assert [(e.when, e.agency) for e in found] == [
            (date(2025, 5, 2), "GP practice"), (date(2025, 6, 14), "Health visiting"), (date(2025, 7, 3), "Police")]
        assert found[2].event == "Call-out, noise complaint (fictional)"
        audit = store.conn.execute("SELECT detail FROM audit WHERE action = 'chronology.import'").fetchall()
        assert audit == [('{"added":3,"rows":3}',)]
    # re-importing the same file adds nothing
    assert main(["chronology", "import", str(review_path), str(csv_path)]) == 0
    assert "Imported 0 chronology entries (3 already present)" in capsys.readouterr().out


@pytest.mark.parametrize("text, message", [
    ("date,agency,event\n2025-05-02,GP,ok\n2025-13-40,GP,bad date\n", "line 3: 2025-13-40 is not a real date"),
    ("date,agency,event\n31/02/2024,School,no such day\n", "line 2: 31/02/2024 is not a real date"),
    ("date,agency,event\n2 May 2025,GP,words\n", "line 2: the date must be yyyy-mm-dd or dd/mm/yyyy"),
    ("date,agency,event\n2024-01-01,School,\"unterminated\n", "line 2: a quotation mark (\") opens a field that is never closed"),
    ("date,agency,event\n2024-01-01,School,\"two\nlines\"\n2024-01-02,GP,\"open\nand never\nclosed\n",
     "line 4: a quotation mark"),
    ("date,agency,event\n2024-01-01,School,\"quoted\"then more\n", "line 2: not valid CSV"),
    ("date,agency,event\n2025-05-02,GP,ok\n2025-05-03,GP\n", "line 3: expected 3 columns"),
    ("date,agency,event\n2025-05-02,,no agency\n", "line 2: agency"),
    ("when,who,what\n2025-05-02,GP,x\n", "line 1: the header must name the columns"),
    ("2025-05-02,GP,no header\n", "line 1: the header must name the columns"),
    ("", "empty"),
    ("date,agency,event\n", "no chronology rows"),
])
def test_bad_csv_is_refused_naming_the_line_and_nothing_is_stored(review_path, tmp_path, capsys, text, message):
    csv_path = write(tmp_path, text)
    before = sha256(review_path)
    assert main(["chronology", "import", str(review_path), str(csv_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err and str(csv_path) in err
    assert sha256(review_path) == before


def test_not_utf8_and_too_large(review_path, tmp_path, capsys, monkeypatch):
    path = tmp_path / "latin.csv"
    path.write_bytes("date,agency,event\n2025-01-01,Caf\xe9,x\n".encode("latin-1"))
    assert main(["chronology", "import", str(review_path), str(path)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    import lt_interview.review.chronology as chronology

    monkeypatch.setattr(chronology, "MAX_CSV_BYTES", 10)
    assert main(["chronology", "import", str(review_path), str(write(tmp_path, GOOD))]) == 2
    assert "too large" in capsys.readouterr().err


def test_a_conversation_file_is_refused(review_path, passphrase, tmp_path, capsys):
    ltc = tmp_path / "hv.ltc"
    with Store.open(review_path, passphrase) as store:
        pack(store, passphrase, "Jo Hartley", ltc)
    before = sha256(ltc)
    assert main(["chronology", "import", str(ltc), str(write(tmp_path, GOOD))]) == 2
    assert "expected a review file" in capsys.readouterr().err
    assert sha256(ltc) == before
    with Store.open(ltc, passphrase) as store:
        with pytest.raises(BadInput):
            import_csv(store, write(tmp_path, GOOD, "again.csv"))


def test_hostile_text_is_sanitised():
    found = parse_csv("date,agency,event\n2025-01-01,GP\x1b]0;x\x07,event\x1b[2J here\n")
    assert found[0].agency == "GP]0;x" and found[0].event == "event[2J here"


def test_visibility_follows_blind_mode_agreement_and_unlock(review_path, passphrase, capsys):
    with Store.open(review_path, passphrase) as store:
        conv = pack_conversation(store, passphrase, review_path.parent)
        assert not chronology_visible(store)
        current = store.get(conv)
        store.put(current.record.model_copy(update={"status": Status.AGREED}), conv)
        assert chronology_visible(store)
        store.put(current.record, conv)  # back to planned
        assert not chronology_visible(store)
        review_id, review = store.one(Review)
        store.put(review.model_copy(update={"blind_mode": False}), review_id)
        assert chronology_visible(store)
        store.put(review, review_id)
        assert not chronology_visible(store)
    assert main(["chronology", "unlock", str(review_path), "--reason", "Board needs dates (fictional)",
                 "--by", "Robin Ashdown"]) == 0
    with Store.open(review_path, passphrase) as store:
        assert chronology_visible(store)
        (unlock_id, unlock), = store.records(ChronologyUnlock)
        assert unlock.reason == "Board needs dates (fictional)" and unlock.by == "Robin Ashdown"
        row = store.conn.execute(
            "SELECT actor, record_id, detail FROM audit WHERE action = 'chronology.unlock'").fetchone()
        assert row[0] == "Robin Ashdown" and row[1] == unlock_id and "Board" not in row[2]


def test_unlock_needs_a_reason(review_path, capsys):
    assert main(["chronology", "unlock", str(review_path), "--reason", "   "]) == 2
    assert "give a reason" in capsys.readouterr().err


def pack_conversation(store, passphrase, folder: Path) -> str:
    pack(store, passphrase, "Jo Hartley", folder / "hv.ltc")
    return store.records(Conversation)[0][0]


def test_chronology_entry_model_is_review_only():
    assert ChronologyEntry.kind == "chronology" and not ChronologyEntry.conversation_scoped


def test_a_quoted_event_over_two_lines_is_one_entry_and_a_later_error_names_its_first_line():
    found = parse_csv('date,agency,event\n2024-01-01,School,"two\nlines"\n2024-01-02,GP,"a ""quoted"" word"\n')
    assert [entry.event for entry in found] == ["two\nlines", 'a "quoted" word']
    with pytest.raises(BadInput, match="line 4: 31/02/2024 is not a real date"):
        parse_csv('date,agency,event\n2024-01-01,School,"two\nlines"\n31/02/2024,GP,x\n')
