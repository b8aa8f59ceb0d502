"""Both DOCX outputs (the analysis pack here; the accuracy-check document in tests/typeup) are
written on our own reference template, and the HTML pack prints on A4."""

from __future__ import annotations

from datetime import date

from docx import Document

from docx_checks import assert_reference_template
from lt_interview.analysis import meetings as meetings_ops
from lt_interview.analysis.workspace import open_workspace_model
from lt_interview.export import export_pack
from lt_interview.export.docx import column_widths, new_document, to_bytes
from lt_interview.export.analysis_pack import Fields, build_pack


def test_the_analysis_pack_docx_is_on_our_reference_template(case_review, passphrase, case_builder, tmp_path):
    with case_builder.open_review(case_review, passphrase) as store:
        meetings_ops.add_meeting(store, held_on=date(2026, 12, 5), meeting_type="review_team")
        [path] = export_pack(store, tmp_path, "docx")
    assert_reference_template(path.read_bytes())
    document = Document(str(path))
    assert document.tables  # the factor matrix, with its header row repeated on each page
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "5 December 2026: Review-team meeting" in text


def test_the_pack_writes_dates_as_people_read_them(case_review, passphrase, case_builder):
    with case_builder.open_review(case_review, passphrase) as store:
        pack = build_pack(open_workspace_model(store), today=date(2026, 12, 5))
    overview = next(block for block in pack.blocks if isinstance(block, Fields))
    assert ("Prepared", "5 December 2026") in overview.pairs


def test_a_blank_document_is_already_clean():
    assert_reference_template(to_bytes(new_document("Blank")))


def test_no_marking_means_no_header_text():
    document = Document(__import__("io").BytesIO(to_bytes(new_document("Blank", marking=""))))
    assert not "".join(p.text for p in document.sections[0].header.paragraphs).strip()


def test_column_widths_fill_the_page_and_give_long_text_the_room():
    widths = column_widths(["No.", "Finding", "Questions for the board"],
                           [["1", "A long statement of a finding " * 3, "How would the board know? " * 4]])
    assert abs(sum(widths) - 160) < 0.01
    assert widths[0] < 20 < widths[1] and widths[0] < widths[2]
    # Many narrow columns with long words still fit the page.
    many = column_widths(["Heading"] + ["Extraordinarily"] * 12, [["x"] * 13])
    assert abs(sum(many) - 160) < 0.01


def test_the_html_pack_prints_on_a4(case_review, passphrase, case_builder, tmp_path):
    with case_builder.open_review(case_review, passphrase) as store:
        [path] = export_pack(store, tmp_path, "html")
    text = path.read_text(encoding="utf-8")
    assert "@page { size: A4;" in text and "@media print" in text
    assert "thead { display: table-header-group; }" in text
