"""Word documents (python-docx): the analysis pack, and the set-up every document we write
shares (`new_document`, `to_bytes`).

python-docx's built-in template is American: US Letter pages, en-US language, and core
properties dated 2013 by its author. Every document is set to A4 with 2.5 cm margins, British
English (the defaults, every style and every run), and core properties of its own: created and
modified now, a neutral title, "lt-interview" as author, and no names.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from lt_interview.export.pack import Bullets, Fields, Heading, Pack, Para, Table

LANGUAGE = "en-GB"
A4_WIDTH_MM, A4_HEIGHT_MM, MARGIN_MM = 210, 297, 25
AUTHOR = "lt-interview"

# python-docx refuses a document property over 255 characters (a long review name is the title).
CORE_PROPERTY_MAX = 255


def new_document(title: str, *, comments: str = ""):
    """A blank A4, British English document with our own core properties."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = Document()
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
        section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
        section.left_margin = section.right_margin = Mm(MARGIN_MM)
        section.header_distance = section.footer_distance = Mm(12.5)
    _british(document)
    properties = document.core_properties
    properties.title = title if len(title) <= CORE_PROPERTY_MAX else title[:CORE_PROPERTY_MAX - 1] + "…"
    properties.subject = properties.keywords = properties.category = ""
    properties.author = properties.last_modified_by = AUTHOR
    properties.comments = comments[:CORE_PROPERTY_MAX]
    properties.revision = 1
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    properties.created = properties.modified = now
    return document


def _set_lang(parent) -> None:
    """Give a w:rPr (or w:rPrDefault's rPr) a w:lang of en-GB, keeping its East Asian and
    bidirectional languages."""
    from docx.oxml.ns import qn

    lang = parent.find(qn("w:lang"))
    if lang is None:
        lang = parent.makeelement(qn("w:lang"), {})
        parent.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    if lang.get(qn("w:eastAsia")) == "en-US":
        lang.set(qn("w:eastAsia"), LANGUAGE)


def _british(document) -> None:
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is None:
                rpr = rpr_default.makeelement(qn("w:rPr"), {})
                rpr_default.append(rpr)
            _set_lang(rpr)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        if lang.get(qn("w:eastAsia")) == "en-US":
            lang.set(qn("w:eastAsia"), LANGUAGE)
    settings = document.settings.element
    font_lang = settings.find(qn("w:themeFontLang"))
    if font_lang is not None:
        font_lang.set(qn("w:val"), LANGUAGE)
    # The template's Word 2010 copy of the styles says en-US too; Word prefers it when present.
    for rel in list(document.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel.rId)


def to_bytes(document) -> bytes:
    """The document's bytes, every run marked British English first."""
    from docx.oxml.ns import qn

    parts = [document.element.body]
    for section in document.sections:
        parts += [hf._element for hf in (section.header, section.footer) if not hf.is_linked_to_previous]
    for part in parts:
        for run in part.iter(qn("w:r")):
            _set_lang(run.get_or_add_rPr())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(pack: Pack) -> bytes:
    document = new_document(pack.title, comments="Pseudonymised working paper")
    for block in pack.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(max(block.level - 1, 0), 9))
        elif isinstance(block, Para):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            run.italic = block.emphasis
        elif isinstance(block, Fields):
            for label, value in block.pairs:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header):
                cell.text = text
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row):
                    cell.text = text
    return to_bytes(document)
