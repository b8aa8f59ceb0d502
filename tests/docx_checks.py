"""What every DOCX we write must be: our own reference template (no traces of python-docx's
Macintosh template), A4, the protective marking in the header, page numbers in the footer,
table header rows repeated on each page, and fixed column widths that fill the text width."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn

A4_TEXT_WIDTH_MM = 160


def assert_reference_template(data: bytes, marking: str = "OFFICIAL-SENSITIVE") -> None:
    document = Document(io.BytesIO(data))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        header = "\n".join(p.text for p in section.header.paragraphs)
        assert marking in header
        footer_xml = section.footer._element.xml
        assert "PAGE" in [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))], footer_xml
        assert "NUMPAGES" in footer_xml
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        parts = {name: archive.read(name) for name in names}
    assert not any("thumbnail" in name or name.startswith("customXml/") for name in names), names
    assert not any(b"Macintosh" in body for body in parts.values())
    assert b"thumbnail" not in parts["_rels/.rels"]
    assert b"<Application>lt-interview</Application>" in parts["docProps/app.xml"]
    assert b"savePreviewPicture" not in parts["word/settings.xml"] and b"w:rsid " not in parts["word/settings.xml"]
    properties = document.core_properties
    assert properties.author == properties.last_modified_by == "lt-interview"
    assert "python-docx" not in (properties.comments + properties.author)
    for table in document.tables:
        if len(table.columns) < 2:
            continue  # a comment box, not a table of data
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        widths = [column.width.mm for column in table.columns]
        assert all(width >= 8 for width in widths), widths
        assert abs(sum(widths) - A4_TEXT_WIDTH_MM) < 2, widths
