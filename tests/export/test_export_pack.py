"""The analysis pack in every format: built from the agreed accounts (drafts only when asked
for, and marked), pseudonymised, safe, and refused when a real name would be written, naming
the word, the conversation, the part and the line."""

from __future__ import annotations

import csv
import io
import stat
import zipfile
from pathlib import Path

import pytest
import xmlschema

from lt_interview.analysis import findings as findings_ops
from lt_interview.analysis import kpe as kpe_ops
from lt_interview.analysis.loader import load
from lt_interview.cli import main
from lt_interview.domain.models import Note
from lt_interview.export import FORMATS, export_pack
from lt_interview.export.guard import RealNameInExport

SCHEMA = Path(__file__).parents[1] / "fixtures" / "refi-qda" / "Project.xsd"
HOSTILE = "<script>alert(1)</script> [@click=app.quit]go[/] &amp; | # *x*"
REAL_NAMES = ("Tenterden", "Castellan", "Milo", "Amber", "Bryn", "Hartley", "Nandi", "Priya", "Dunmore",
              "Fenwick", "Whitcombe")


@pytest.fixture
def store(case_review, passphrase, case_builder):
    with case_builder.open_review(case_review, passphrase) as store:
        episodes = case_builder.episode_ids(store)
        kpe_id = kpe_ops.add_kpe(
            store, title=f"Screening decision {HOSTILE}", period="June 2025",
            description="=HYPERLINK(\"http://example.invalid\",\"click\")", appraisal="mixed",
            factor_ids=["conditions"], bias_ids=["not_revising"],
            evidence=[{"kind": "episode", "ref_id": episodes["Referral screened out"], "excerpt": "One faded mark"}])
        kpe_ops.map_to_category(store, kpe_id, "management_systems", "Workload")
        findings_ops.add_finding(store, title="Busy front doors", kpe_ids=[kpe_id], priority=1,
                                 board_questions=["+How would the partnership know?", "@who decides"])
        yield store


def _read(path: Path) -> str:
    if path.suffix in (".docx", ".qdpx"):
        with zipfile.ZipFile(path) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_pseudonymised_private_and_marks_drafts(store, tmp_path, fmt):
    written = export_pack(store, tmp_path / "out", fmt)
    assert written
    for path in written:
        assert path.parent == tmp_path / "out" and stat.S_IMODE(path.stat().st_mode) == 0o600
    text = " ".join(_read(path) for path in written)
    for name in REAL_NAMES:
        assert name not in text
    assert "Health visitor" in text or "health visitor" in text
    # The agreed accounts, as typed up (with their dates); the others are left out by default.
    assert "Bruising guidance was for non-mobile babies." in text and "early summer 2025" in text
    assert "Completed the safeguarding checklist" in text
    assert "Eleven referrals" not in text and "A plausible account from a calm parent" not in text
    if fmt != "qdpx":
        assert "left out: not yet agreed" in text
    # Neither the raw notes nor the divergence the reviewers noted reach an export.
    assert "Factors noted for" not in text and "the health visitor thought it came after" not in text
    # The pseudonym map never leaves the review database.
    real = [row[0] for row in store.conn.execute("SELECT real_name FROM pseudonym_map")]
    assert real and not any(name in text for name in real)
    entries = store.conn.execute("SELECT action, detail FROM audit WHERE action = 'export'").fetchall()
    assert entries and fmt in entries[-1][1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_drafts_are_exported_only_when_asked_and_marked(store, tmp_path, fmt):
    written = export_pack(store, tmp_path / "out", fmt, include_drafts=True)
    text = " ".join(_read(path) for path in written)
    assert "Eleven referrals waiting." in text and "A plausible account from a calm parent" in text
    assert "draft: sent for checking, not yet agreed" in text and "draft: typed up, not yet agreed" in text
    assert "Factors noted for" not in text and "the health visitor thought it came after" not in text
    for name in REAL_NAMES:
        assert name not in text


def test_html_is_escaped(store, tmp_path):
    [path] = export_pack(store, tmp_path, "html")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Content-Security-Policy" in text


def test_markdown_is_escaped(store, tmp_path):
    [path] = export_pack(store, tmp_path, "md")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and r"\<script\>" in text and r"\[@click=app.quit\]" in text
    assert "## Key practice episodes" in text and "KPE 1:" in text and "Questions for the partnership" in text


def test_csv_cells_are_neutralised(store, tmp_path):
    written = export_pack(store, tmp_path, "csv")
    by_part = {path.name.rsplit("-", 1)[0]: path for path in written}
    kpe_rows = list(csv.reader(io.StringIO(by_part["demo-review-child-m-fictional-kpe-register"]
                                           .read_text(encoding="utf-8-sig"), newline="")))
    assert kpe_rows[1][3].startswith("'=HYPERLINK")
    findings = by_part["demo-review-child-m-fictional-findings"].read_bytes().decode("utf-8-sig")
    assert findings.count("\r\n") >= 2  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(findings, newline="")))
    assert rows[0][0] == "Finding" and rows[1][1] == "Busy front doors"
    assert rows[1][9] == "'+How would the partnership know? | @who decides"  # neutralised
    for path in written:
        for row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r", "\x00")) for cell in row)


def test_docx_opens_and_holds_the_register(store, tmp_path):
    from docx import Document

    [path] = export_pack(store, tmp_path, "docx")
    document = Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "KPE 1: Screening decision" in text and "Busy front doors" in text
    assert document.core_properties.author == "lt-interview"
    assert len(document.tables) >= 1  # the factor matrix


@pytest.mark.parametrize("drafts", [False, True])
def test_qdpx_validates_against_the_refi_schema(store, tmp_path, drafts):
    [path] = export_pack(store, tmp_path, "qdpx", include_drafts=drafts)
    schema = xmlschema.XMLSchema(str(SCHEMA))
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde").decode("utf-8")
        schema.validate(xml)
        project = schema.to_dict(xml)
        sources = project["Sources"]["TextSource"]
        # One per agreed account, or per typed-up account when drafts were asked for.
        assert len(sources) == (4 if drafts else 2)
        cases = project["Cases"]["Case"]
        assert {case["@name"] for case in cases} >= {"Health visitor", "GP", "Duty social worker"}
        codes = project["CodeBook"]["Codes"]["Code"]
        assert "Conditions of work / work environment" in {code["@name"] for code in codes}
        for source in sources:
            text = archive.read("sources/" + source["@plainTextPath"].removeprefix("internal://")).decode()
            for selection in source.get("PlainTextSelection", []):
                start, end = selection["@startPosition"], selection["@endPosition"]
                assert 0 <= start <= end <= len(text)
            episode_sels = [s for s in source.get("PlainTextSelection", []) if text[s["@startPosition"]:]
                            .startswith("== Episode")]
            assert episode_sels  # each conversation's episodes are coded selections
        assert any(source["@name"].endswith("(draft)") for source in sources) == drafts


def test_a_real_name_in_the_raw_notes_never_reaches_an_export(store, tmp_path):
    conversation_id = load(store, "conversation")[0].record_id
    with store.transaction():
        store.put(Note(conversation_id=conversation_id, stage_id="overview", author_id="x",
                       text="Spoke to Bryn Castellan at the door. Tearful at the end; offered support."))
    for fmt in FORMATS:
        written = export_pack(store, tmp_path / fmt, fmt, include_drafts=True)
        text = " ".join(_read(path) for path in written)
        assert "Castellan" not in text and "Tearful" not in text


def test_export_refused_names_the_word_the_conversation_the_part_and_the_line(store, tmp_path, case_builder):
    def edit(account):
        account.episodes[1].did = "Rebooked for three weeks later.\nCalled Dr Nandi about it."
        return account

    case_builder.agreed_again(store, "Health visitor", edit)
    out = tmp_path / "out"
    for fmt in FORMATS:
        with pytest.raises(RealNameInExport) as refused:
            export_pack(store, out, fmt)
        lines = str(refused.value).splitlines()
        assert lines[0] == ("export refused: 1 real name found (replace each with its pseudonym, or the "
                            "practitioner's role):")
        assert lines[1] == ("  “Nandi” in the conversation with the health visitor (agreed (version 4, 3 February "
                            "2026)), Episode 2: Missed visit in July, What they did, line 2")
        assert "Ctrl+R" in lines[2] and "agreed" in lines[2] and "Nothing was written" in lines[2]
    assert not out.exists()  # nothing written, not even the folder


def test_a_real_name_in_a_noted_divergence_never_reaches_an_export(store, tmp_path):
    noted = load(store, "divergence")[0]
    with store.transaction():
        store.put(noted.record.model_copy(update={"differs_from": "Amber Tenterden"}), noted.record_id)
    for fmt in FORMATS:
        text = " ".join(_read(path) for path in export_pack(store, tmp_path / fmt, fmt, include_drafts=True))
        assert "Tenterden" not in text


def test_export_verb(case_review, tmp_path, capsys):
    assert main(["export", str(case_review), "-o", str(tmp_path / "pack"), "--format", "md", "--format", "qdpx"]) == 0
    out = capsys.readouterr().out
    assert out.count("Wrote ") == 2
    assert sorted(path.suffix for path in (tmp_path / "pack").iterdir()) == [".md", ".qdpx"]
    assert main(["export", str(case_review), "-o", str(tmp_path / "no" / "such"), "--format", "md"]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_an_empty_output_folder_is_refused(case_review, tmp_path, capsys, monkeypatch):
    """-o "" used to write the pack into the current folder."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(case_review), "-o", "", "--format", "md"])
    assert exit_info.value.code == 2
    assert "give a folder with -o" in capsys.readouterr().err
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("disguised", ["the Castellans moved house", "CASTELLAN_FAMILY", "Castellan2",
                                       "Cas\u00adtellan", "ＣＡＳＴＥＬＬＡＮ", "Cástellan"])
def test_a_real_name_in_a_disguised_form_is_refused_in_every_format(store, tmp_path, disguised, case_builder):
    """Each form once reached md, html, docx and csv (the guard matched whole words only)."""
    def edit(account):
        account.episodes[0].title = disguised
        return account

    case_builder.agreed_again(store, "Health visitor", edit)
    for fmt in FORMATS:
        with pytest.raises(RealNameInExport):
            export_pack(store, tmp_path / "out", fmt)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_all_formats_refused_by_one_writes_nothing(case_review, tmp_path, capsys, passphrase, case_builder):
    def edit(account):
        account.went_well[0].text = "Ask Bryn Castellan about the second visit"
        return account

    with case_builder.open_review(case_review, passphrase) as store:
        case_builder.agreed_again(store, "Emergency department nurse", edit)
    out = tmp_path / "pack"
    assert main(["export", str(case_review), "-o", str(out), "--format", "all"]) == 2
    err = capsys.readouterr().err
    assert "Nothing was written" in err
    assert ("“Castellan” in the conversation with the emergency department nurse (agreed (version 4, 3 February "
            "2026)), What went well, Went well 1, line 1") in err
    assert "“Bryn” in the conversation with the emergency department nurse" in err
    assert not out.exists()  # not the md, html, docx and csv files, nor the folder for them
    out.mkdir()
    assert main(["export", str(case_review), "-o", str(out), "--format", "md", "--format", "qdpx"]) == 2
    assert list(out.iterdir()) == []


def test_a_failed_write_removes_the_files_of_earlier_formats(store, tmp_path, monkeypatch):
    from lt_interview.errors import BadInput
    from lt_interview.export import export_packs, names

    real_write = names.write_new

    def failing_write(out_dir, title, suffix, data):
        if suffix == ".qdpx":
            raise BadInput("disk full (simulated)")
        return real_write(out_dir, title, suffix, data)

    monkeypatch.setattr(names, "write_new", failing_write)
    out = tmp_path / "out"
    with pytest.raises(BadInput, match="disk full"):
        export_packs(store, out, list(FORMATS))
    assert not out.exists()  # the folder made for it is gone too
    monkeypatch.setattr(names, "write_new", real_write)
    written = export_packs(store, out, list(FORMATS))
    assert sorted({path.suffix for path in written}) == [".csv", ".docx", ".html", ".md", ".qdpx"]
    assert sorted(out.iterdir()) == sorted(written)


def _all_codes(codes: list[dict]) -> list[dict]:
    found = []
    for code in codes:
        found.append(code)
        found += _all_codes(code.get("Code", []))
    return found


def test_qdpx_code_and_source_names_are_unique_across_the_codebook(store, tmp_path):
    """QualCoder imported 60 of 62 codes: "Personality" and "Social history" sit under two
    headings, and it (like ATLAS.ti) keeps only the first code of a name, orphaning codings."""
    from lt_interview.analysis.kpe import add_kpe

    add_kpe(store, title=f"Screening decision {HOSTILE}", number=1)  # two KPEs numbered 1 after a merge
    [path] = export_pack(store, tmp_path, "qdpx")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    schema.validate(xml)
    project = schema.to_dict(xml)
    codes = _all_codes(project["CodeBook"]["Codes"]["Code"])
    names = [code["@name"].casefold() for code in codes]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)
    assert len({code["@guid"] for code in codes}) == len(codes)
    by_name = {code["@name"] for code in codes}
    assert {"Personality (Aspects of the family)", "Personality (Personal aspects)",
            "Social history (Aspects of the family)", "Social history (Personal aspects)"} <= by_name
    assert "Workload" in by_name  # a name used once is left as it is
    assert sum(name.startswith("kpe 1: screening decision") for name in names) == 2
    # Every coding points at a code that is in the codebook.
    guids = {code["@guid"] for code in codes}
    for source in project["Sources"]["TextSource"]:
        for selection in source.get("PlainTextSelection", []):
            for coding in selection.get("Coding", []):
                assert coding["CodeRef"]["@targetGUID"] in guids
    sources = [source["@name"].casefold() for source in project["Sources"]["TextSource"]]
    assert len(sources) == len(set(sources))


def test_duplicate_names_are_qualified_by_their_parent_then_numbered():
    from xml.etree import ElementTree as ET

    from lt_interview.export.qdpx import unique_names

    elements = [(ET.Element("Code", name=name), parent) for name, parent in (
        ("Personality", "Family"), ("Personality", "Staff"), ("Other", ""), ("other", ""),
        ("Personality (Family)", ""), ("Workload", "Conditions"), ("KPE 1: Visit", "KPEs"), ("KPE 1: Visit", "KPEs"))]
    unique_names(elements)
    assert [element.get("name") for element, _ in elements] == [
        "Personality (Family)", "Personality (Staff)", "Other", "other (2)", "Personality (Family) (2)", "Workload",
        "KPE 1: Visit", "KPE 1: Visit (2)"]


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_pack_carries_the_agreed_accounts_sections(store, tmp_path, fmt):
    """The overview, the quotes and what went well come from the agreed account too."""
    text = " ".join(_read(path) for path in export_pack(store, tmp_path / "out", fmt))
    assert "We all thought someone else had it in hand." in text  # a quote in the agreed accounts
    assert "Quick call back between agencies." in text  # what went well
    assert "Took over the family in spring." in text  # the health visitor's agreed overview
