"""The analysis pack as a Word document (python-docx)."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from lt_interview.export.pack import Bullets, Fields, Heading, Pack, Para, Table


def render(pack: Pack) -> bytes:
    from docx import Document

    document = Document()
    properties = document.core_properties
    properties.title = pack.title
    properties.author = "lt-interview"
    properties.last_modified_by = "lt-interview"
    properties.comments = "Pseudonymised working paper"
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    properties.created = properties.modified = now
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
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
