"""The review report: SCIE's structure (introduction, methodology, appraisal of practice,
findings by typology category, findings table), pseudonymised and name-guarded like exports,
written whole or not at all; the DOCX on our reference template."""

from __future__ import annotations

import re
import stat
import zipfile
from datetime import date

import pytest
from docx import Document

from docx_checks import assert_reference_template
from lt_interview.analysis import findings as findings_ops
from lt_interview.analysis import kpe as kpe_ops
from lt_interview.analysis import meetings as meetings_ops
from lt_interview.analysis.loader import load
from lt_interview.cli import main
from lt_interview.errors import BadInput
from lt_interview.export.guard import RealNameInExport
from lt_interview.export.report import write_report

REAL_NAMES = ("Tenterden", "Castellan", "Milo", "Amber", "Bryn", "Hartley", "Nandi", "Priya", "Dunmore",
              "Fenwick", "Whitcombe")
DAY = date(2026, 12, 5)


@pytest.fixture
def store(case_review, passphrase, case_builder):
    """The four-conversation case with two KPEs, three findings (two categories and one not yet
    placed) and a meeting with the case group."""
    with case_builder.open_review(case_review, passphrase) as store:
        practitioners = {item.record.role: item.record_id for item in load(store, "practitioner")}
        episodes = {item.record.title: item.record_id for item in load(store, "episode")}
        screening = kpe_ops.add_kpe(
            store, title="Screening the referral", period="June 2025", appraisal="mixed",
            description="The referral about a faded mark was screened out at the front door.",
            appraisal_rationale="Thresholds were applied as written; the history was not in view.",
            standard="Local threshold guidance", explanation="Eleven referrals waiting that morning.",
            practitioner_ids=[practitioners["Duty social worker"]], factor_ids=["conditions"],
            bias_ids=["not_revising"],
            evidence=[{"kind": "episode", "ref_id": episodes["Referral screened out"], "excerpt": "One faded mark"}])
        call_back = kpe_ops.add_kpe(
            store, title="Same-day call back", period="June 2025", appraisal="good",
            appraisal_rationale="The GP rang the health visitor back the same day.",
            practitioner_ids=[practitioners["GP"], practitioners["Health visitor"]])
        kpe_ops.map_to_category(store, screening, "management_systems", "Front-door workload")
        findings_ops.add_finding(
            store, title="Busy front doors screen referrals one at a time", priority=1,
            category_ids=["management_systems", "human_biases"], kpe_ids=[screening],
            summary="Demand at the front door leaves little room to look at the history.",
            why_it_matters="Patterns of minor injuries in babies stay out of sight.",
            board_questions=["How would the partnership know how often history is checked at screening?",
                             "What would make it easier to see earlier referrals?"])
        findings_ops.add_finding(store, title="Quick calls between GP and health visitor work well", priority=2,
                                 category_ids=["longer_term_work"], kpe_ids=[call_back],
                                 board_questions=["How can such calls be supported?"])
        findings_ops.add_finding(store, title="Reading one account at a time", priority=3)
        meetings_ops.add_meeting(store, held_on=date(2026, 5, 20), meeting_type="case_group",
                                 attended="Health visiting, children's social care", presented="Draft findings")
        yield store


def _sections(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, re.MULTILINE)


def test_markdown_report_follows_the_scie_structure(store, tmp_path):
    path = write_report(store, tmp_path / "out", "md", today=DAY)
    assert path.suffix == ".md" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == lines[-1] == "**OFFICIAL-SENSITIVE**"
    assert _sections(text) == ["1. Introduction", "2. Methodology", "3. Appraisal of practice", "4. Findings",
                               "5. Findings table"]
    assert "**Prepared:** 5 December 2026" in text
    # Introduction: why, the case by pseudonym, the period.
    assert "How well do agencies share and act on early signs of harm to babies?" in text
    assert "Child M" in text and "March 2025 to November 2025" in text
    # Methodology: the model, who took part by role with counts, hindsight, the accuracy check.
    assert "Learning Together systems model" in text
    assert "4 conversations were held with 4 practitioners from 4 agencies, by role:" in text
    assert "- Health visitor: 1 conversation" in text and "- GP: 1 conversation" in text
    assert "without reading the agency chronology or the other practitioners' accounts beforehand" in text
    assert "2 of the 4 accounts have been agreed so far" in text
    assert "Meetings with the case group: 1" in text
    # Appraisal of practice: the story, then each KPE with its appraisal, and a summary table.
    assert "### 3.1 The story of the case" in text and "Small bruise seen at the 8-month review" in text
    assert "#### KPE 1: Screening the referral" in text and "**Appraisal:** Mixed" in text
    assert "**Standard referred to:** Local threshold guidance" in text
    assert "**Who was involved:** GP, Health visitor" in text
    assert "| 2 | Same-day call back | June 2025 | Good |" in text
    # Findings grouped by typology category in the typology's order, uncategorised last.
    groups = re.findall(r"^### (4\.\d .+)$", text, re.MULTILINE)
    assert groups == ["4.1 Management systems", "4.2 Multi-agency working in longer-term work",
                      "4.3 Not yet placed in a typology category"]
    section_4 = text.split("## 4. Findings")[1].split("## 5. Findings table")[0]
    assert section_4.index("Finding 1: Busy front doors") < section_4.index("4.2 Multi-agency")
    assert "**Also relates to:** Innate human biases (cognitive and emotional)" in section_4
    assert "Questions for the partnership:" in section_4
    assert "- How would the partnership know how often history is checked at screening?" in section_4
    assert "Evidence:" in section_4 or "KPE 1: Screening the referral" in section_4
    assert "None written yet." in section_4  # finding 3 has no questions yet, and says so
    # The findings table: finding, category, questions.
    table = text.split("## 5. Findings table")[1]
    assert "| No. | Finding | Typology category | Questions for the partnership |" in table
    assert "| 1 | Busy front doors screen referrals one at a time | Management systems; Innate human biases" in table
    assert "| 3 | Reading one account at a time | Not yet placed | None written yet |" in table
    for name in REAL_NAMES:
        assert name not in text
    real = [row[0] for row in store.conn.execute("SELECT real_name FROM pseudonym_map")]
    assert real and not any(name in text for name in real)
    assert store.conn.execute("SELECT count(*) FROM audit WHERE action = 'report'").fetchone()[0] == 1


def test_without_findings_or_kpes_the_report_says_so_plainly(case_review, passphrase, case_builder, tmp_path):
    with case_builder.open_review(case_review, passphrase) as store:
        text = write_report(store, tmp_path, "md").read_text(encoding="utf-8")
    assert "The review team has not yet selected any key practice episodes." in text
    assert "The review team has not drafted any findings yet" in text
    assert "There are no findings to tabulate yet." in text
    assert "### 4.1" not in text and "| No. |" not in text


def test_docx_report_is_a4_marked_numbered_and_on_our_template(store, tmp_path):
    path = write_report(store, tmp_path, "docx", today=DAY, marking="OFFICIAL-SENSITIVE PERSONAL")
    data = path.read_bytes()
    assert_reference_template(data, "OFFICIAL-SENSITIVE PERSONAL")
    document = Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Prepared: 5 December 2026" in text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. Introduction", "2. Methodology", "3. Appraisal of practice", "4. Findings",
                        "5. Findings table"]
    findings_table = document.tables[-1]
    assert [cell.text for cell in findings_table.rows[0].cells] == [
        "No.", "Finding", "Typology category", "Questions for the partnership"]
    widths = [column.width.mm for column in findings_table.columns]
    assert widths[0] < widths[1] and widths[0] < widths[3]  # the number column is the narrowest
    assert document.core_properties.title.startswith("Review report:")
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # one date style
    with zipfile.ZipFile(path) as archive:
        everything = " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    for name in REAL_NAMES:
        assert name not in everything


def test_a_real_name_refuses_the_report_naming_the_word_and_where_and_writes_nothing(store, tmp_path):
    [(finding_id, _)] = [pair for pair in findings_ops.list_findings(store) if pair[1].priority == 3]
    findings_ops.update_finding(store, finding_id, board_questions=["Should Castellan have been asked?"])
    out = tmp_path / "out"
    for fmt in ("md", "docx"):
        with pytest.raises(RealNameInExport) as refused:
            write_report(store, out, fmt)
        first, *found, fix = refused.value.message.splitlines()
        assert first.startswith("report refused: ")
        # Issue 17: the word, where it is and how to fix it, one line each (the finding, and the
        # findings table that repeats its questions).
        assert all("Castellan" in line for line in found) and "finding 3" in found[0]
        assert "draft the report again" in fix
    assert not out.exists()
    assert store.conn.execute("SELECT count(*) FROM audit WHERE action = 'report'").fetchone()[0] == 0


def test_a_failed_rename_leaves_nothing_behind(store, tmp_path, monkeypatch):
    import os

    def refuse(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "rename", refuse)
    out = tmp_path / "out"
    with pytest.raises(BadInput, match="could not be written"):
        write_report(store, out, "docx")
    assert not out.exists()  # neither the temporary file nor the folder made for it


def test_report_verb(store, case_review, tmp_path, capsys):
    store.close()
    out = tmp_path / "report"
    assert main(["report", str(case_review), "-o", str(out), "--format", "md", "--format", "docx"]) == 0
    assert capsys.readouterr().out.count("Wrote ") == 2
    assert sorted(path.suffix for path in out.iterdir()) == [".docx", ".md"]
    assert main(["report", str(case_review), "-o", str(out)]) == 0  # docx by default, a new name
    assert sorted(path.suffix for path in out.iterdir()) == [".docx", ".docx", ".md"]
    capsys.readouterr()
    assert main(["report", str(case_review), "-o", str(out), "--marking", "  "]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "protective marking" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(case_review), "-o", str(out), "--format", "pdf"])
    assert exit_info.value.code == 2
    assert main(["report", str(case_review), "-o", str(tmp_path / "no" / "such")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_story_dates_given_as_a_day_are_written_like_every_other_date(store, tmp_path):
    text = write_report(store, tmp_path, "md").read_text(encoding="utf-8")
    assert "12 September 2025: Attendance with a head bump" in text  # typed as 2025-09-12
    assert "early summer 2025: Small bruise seen" in text  # the practitioner's own words kept


def test_the_methodology_says_honestly_how_hindsight_was_limited(store, tmp_path):
    from lt_interview.domain.dates import show_date
    from lt_interview.review.chronology import unlock
    from lt_interview.storage.lookups import review_record

    unlock(store, "The GP's records were needed to place the first appointment")
    text = write_report(store, tmp_path / "one", "md").read_text(encoding="utf-8")
    assert f"A reviewer unlocked the chronology for the analysis on {show_date(store.clock().date())}" in text
    review_id, review = review_record(store)
    with store.transaction():
        store.put(review.model_copy(update={"blind_mode": False}), review_id)
    text = write_report(store, tmp_path / "two", "md").read_text(encoding="utf-8")
    assert "Blind mode was off for this review" in text and "without reading the agency chronology" not in text


def test_the_methodology_says_how_the_family_and_the_case_group_took_part(store, tmp_path):
    from lt_interview.analysis.involvement import add_report_check, record_family

    record_family(store, "Grandmother (Nan Ivy)", informed_on=date(2026, 3, 2), informed_how="letter, then a visit",
                  took_part="yes", how_took_part="a conversation at home", views="She wanted the nursery thanked.")
    add_report_check(store, draft="Draft 2", sent_on=date(2026, 9, 14), checked_by="the case group",
                     outcome="agreed_with_changes")
    text = write_report(store, tmp_path / "out", "md", today=DAY).read_text(encoding="utf-8")
    methodology = text.split("2. Methodology", 1)[1].split("3. ", 1)[0]
    assert ("Grandmother (Nan Ivy): informed on 2 March 2026 (letter, then a visit); took part "
            "(a conversation at home); their views are recorded") in methodology
    assert "Draft 2 sent on 14 September 2026, checked by the case group: agreed once changes were made" in methodology
    assert "She wanted the nursery thanked" not in text  # their views are recorded, not quoted in the report
