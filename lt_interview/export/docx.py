"""Word documents (python-docx): the analysis pack, and the reference set-up every document we
write shares (`new_document`, `add_table`, `to_bytes`).

python-docx's built-in template is American and carries its author's traces: US Letter pages,
en-US language, core properties dated 2013, "Microsoft Macintosh Word" as the application, a
thumbnail of its first page, a bibliography stub and the editing-session ids of whoever made it.
`new_document` turns it into our own reference template at run time, the same every time:
A4 with 2.5 cm margins, British English (the defaults, every style and every run), core and
application properties of our own (no names), no thumbnail, a header with the protective
marking and a footer with page numbers ("Page 3 of 12", Word fields).
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from lt_interview.export.analysis_pack import Bullets, Fields, Heading, Pack, Para, Table

LANGUAGE = "en-GB"
A4_WIDTH_MM, A4_HEIGHT_MM, MARGIN_MM = 210, 297, 25
TEXT_WIDTH_MM = A4_WIDTH_MM - 2 * MARGIN_MM
AUTHOR = "lt-interview"
# The Government Security Classifications marking for case review material (children's and
# family details, practitioners' accounts); a review may choose another (report --marking).
MARKING = "OFFICIAL-SENSITIVE"

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>lt-interview</Application><DocSecurity>0</DocSecurity>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

# python-docx refuses a document property over 255 characters (a long review name is the title).
CORE_PROPERTY_MAX = 255


def new_document(title: str, *, comments: str = "", marking: str = MARKING, footer: str = ""):
    """A blank A4, British English document on our own reference template: core properties of
    our own, `marking` centred in the header (none if empty), and `footer` (optional) above
    the page numbers in the footer."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = Document()
    _own_package(document)
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
    _header_and_footer(document, marking, footer)
    return document


def _own_package(document) -> None:
    """Drop the template's thumbnail and bibliography stub, replace its application properties
    ("Microsoft Macintosh Word") with ours, and forget its editing-session ids."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.ns import qn

    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            package.rels.pop(rel_id)
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, _APP_XML.encode("utf-8"), package)
    package.relate_to(app, RT.EXTENDED_PROPERTIES)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            document.part.rels.pop(rel_id)
    settings = document.settings.element
    for name in ("w:savePreviewPicture", "w:rsids"):
        for element in settings.findall(qn(name)):
            settings.remove(element)


def _header_and_footer(document, marking: str, footer: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    if marking:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(marking).bold = True
    paragraphs = section.footer.paragraphs
    if footer:
        paragraphs[0].add_run(footer)
        paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        numbers = section.footer.add_paragraph(style="Footer")
    else:
        numbers = paragraphs[0]
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers.add_run("Page ")
    add_field(numbers, "PAGE", "1")
    numbers.add_run(" of ")
    add_field(numbers, "NUMPAGES", "1")
    if marking:  # the marking at the foot of every page too, as the classification scheme asks
        foot = section.footer.add_paragraph(style="Footer")
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run(marking).bold = True


def add_field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs,
    which Word and LibreOffice both update when the document is laid out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


WIDE_TABLE = 6  # columns from which a table's text is set smaller, so words fit their cells


def table_font_pt(columns: int) -> float:
    return 8.5 if columns >= WIDE_TABLE else 10.0


def column_widths(header: list[str], rows: list[list[str]], total_mm: float = TEXT_WIDTH_MM) -> list[float]:
    """Widths (mm) that fit the page: each column at least wide enough for its longest word
    (up to a limit), the rest shared by how much text the column holds."""
    count = len(header)
    per_character = 2.6 * table_font_pt(count) / 11  # about 2.6 mm a character in bold 11 pt
    longest = [0] * count
    length = [0] * count
    for row in [header, *rows]:
        for index, cell in enumerate(row[:count]):
            longest[index] = max(longest[index], max((len(word) for word in cell.split()), default=0))
            length[index] += len(cell)
    minimum = [max(min(word, 16) * per_character + 4.5, 12.0) for word in longest]  # + the cell's margins
    if sum(minimum) >= total_mm:
        return [width * total_mm / sum(minimum) for width in minimum]
    average = [min(total / (len(rows) + 1), 90) for total in length]
    weights = list(average)
    spare = total_mm - sum(minimum)
    if not any(weights):
        weights = [1.0] * count
    return [floor + spare * weight / sum(weights) for floor, weight in zip(minimum, weights)]


def add_table(document, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None):
    """A bordered table whose header row repeats on every page (w:tblHeader) and whose columns
    have fixed, sensible widths."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    widths = [Mm(width) for width in (widths_mm or column_widths(header, rows))]
    size = Pt(table_font_pt(len(header)))
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    first = table.rows[0]
    row_properties = first._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row_properties.append(repeat)
    for cell, text, width in zip(first.cells, header, widths):
        cell.width = width
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, size
    for row in rows:
        for cell, text, width in zip(table.add_row().cells, row, widths):
            cell.width = width
            cell.paragraphs[0].add_run(text).font.size = size
    return table


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


def render(pack: Pack, *, marking: str = MARKING, comments: str = "Pseudonymised working paper") -> bytes:
    document = new_document(pack.title, comments=comments, marking=marking)
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
            add_table(document, block.header, block.rows)
    return to_bytes(document)
