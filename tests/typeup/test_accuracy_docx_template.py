"""The accuracy-check DOCX is written on our own reference template, like the analysis pack:
no traces of python-docx's Macintosh template, A4, marked, and numbered "Page N of M"."""

from __future__ import annotations

from docx import Document

from docx_checks import assert_reference_template
from lt_interview.cli import main


def test_accuracy_docx_is_on_our_reference_template(captured, passphrase, tmp_path):
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "out")]) == 0
    [written] = list((tmp_path / "out").iterdir())
    assert_reference_template(written.read_bytes())
    footer = "\n".join(p.text for p in Document(str(written)).sections[0].footer.paragraphs)
    assert "Your conversation with the review team: " in footer  # the version line, on every page
    assert "Page 1 of 1" in footer
