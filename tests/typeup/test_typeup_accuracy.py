"""The accuracy-check document: plain language, pseudonyms only, no ids, safe file writing,
and a DOCX that LibreOffice converts to PDF with the account's text in it."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess

import pytest

from conftest import open_conversation
from lt_interview.cli import main
from lt_interview.errors import BadInput
from lt_interview.demo.data import FRAMEWORK
from lt_interview.typeup import service
from lt_interview.export.names import safe_name
from lt_interview.typeup.accuracy import write_accuracy_check
from lt_interview.domain.account_parts import set_text

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
REAL_WORDS = [w for entry in FRAMEWORK.pseudonym for w in entry.real_name.split()]


def _no_real_names(text: str) -> bool:
    return not any(re.search(rf"\b{re.escape(w)}\b", text, re.I) for w in REAL_WORDS)


def test_markdown_document(typed_up, passphrase, tmp_path):
    out = tmp_path / "out"
    assert main([ "accuracy-check", str(typed_up), "-o", str(out), "--format", "md"]) == 0
    [written] = list(out.iterdir())
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    text = written.read_text(encoding="utf-8")
    assert "Why it made sense to you at the time:** Bruising guidance" in text
    assert "Your comments" in text and "Only the version we agree with you" in text
    assert "Mr B" in text and _no_real_names(text) and not UUID.search(text)
    assert "inter_agency" not in text and "heading" not in text
    # never overwrites: a second document is a new file and the first is untouched
    assert main(["accuracy-check", str(typed_up), "-o", str(out), "--format", "md"]) == 0
    assert len(list(out.iterdir())) == 2 and written.read_text(encoding="utf-8") == text


def test_real_name_refusal_names_the_word_the_part_and_the_line(captured, passphrase, tmp_path, capsys):
    with open_conversation(captured, passphrase) as store:
        state = service.ensure_saved(store)
        key = f"episode:{state.account.episodes[1].part_id}:knew"
        service.save(store, set_text(state.account, key, "Nobody home.\nBryn's car outside; Castellan at the door."))
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("lt-interview: not written: the account of the conversation with the health visitor holds "
                      "real names: 2 real names found (replace each with its pseudonym, or the practitioner's role):")
    assert err[1:3] == [
        "  “Bryn” in the section 'Episode 2: Missed visit in July', What you knew, line 2",
        "  “Castellan” in the section 'Episode 2: Missed visit in July', What you knew, line 2"]
    assert "Ctrl+R" in err[3]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_mark_sent_records_the_written_version(captured, passphrase, tmp_path):
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "o"), "--mark-sent", "2026-02-03"]) == 0
    with open_conversation(captured, passphrase) as store:
        sent = service.latest_version(store, "sent_for_checking")
        assert sent is not None and str(sent.on) == "2026-02-03"
        assert sent.revision_ids == [service.load(store).revision.revision_id]


def test_safe_names_stay_in_the_folder():
    assert "/" not in safe_name("../../etc/passwd", ".md") and safe_name("../../etc/passwd", ".md").startswith("etc-passwd-")
    assert safe_name("....", ".md").startswith("export-")
    assert safe_name("con", ".md").startswith("con-")  # never the bare Windows device name


def test_symlink_target_is_not_followed(captured, passphrase, tmp_path, monkeypatch):
    import lt_interview.export.names as names

    monkeypatch.setattr(names, "new_id", lambda: "fixed000-0000")
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    with open_conversation(captured, passphrase) as store:
        name = out / safe_name(f"accuracy check Health visitor draft {store.clock().date().isoformat()}", ".md")
        name.symlink_to(victim)
        with pytest.raises(BadInput):
            write_accuracy_check(store, out, "md")
    assert victim.read_text() == "keep me"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and pdftotext are needed to convert the DOCX to PDF "
                           "(apt-get install -y libreoffice-writer-nogui poppler-utils)")
def test_docx_converts_to_pdf_with_the_account_and_no_names_or_ids(typed_up, passphrase, tmp_path):
    out = tmp_path / "out"
    assert main(["accuracy-check", str(typed_up), "-o", str(out)]) == 0
    [docx] = list(out.glob("*.docx"))
    subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(docx)],
                   check=True, capture_output=True, timeout=120)
    [pdf] = list((tmp_path / "pdf").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    flat = " ".join(text.split())
    assert "Small bruise seen at the 8-month review" in flat
    assert "What you knew: A small mark on the cheek" in flat
    assert "Did not know about the police call-out." in flat
    assert "Your comments" in flat and "How these notes are used" in flat
    assert _no_real_names(flat) and not UUID.search(flat)
