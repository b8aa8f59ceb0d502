"""The analysis pack as a standalone HTML page: every string escaped, no scripts, and a
Content-Security-Policy that forbids loading anything. Printed, it fills A4 pages (print CSS:
@page size and margins, table headers repeated on each page)."""

from __future__ import annotations

from html import escape

from lt_interview.export.analysis_pack import Bullets, Fields, Heading, Pack, Para, Table

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.45; }
table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; }
dt { font-weight: bold; } dd { margin: 0 0 .5rem 1rem; white-space: pre-wrap; }
@page { size: A4; margin: 20mm 20mm 22mm 20mm; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  table { width: 100%; } thead { display: table-header-group; }
  tr, dt, dd { break-inside: avoid; } h1, h2, h3, h4, dt { break-after: avoid; }
}
"""


def _text(text: str) -> str:
    return escape(text, quote=True)


def render(pack: Pack) -> str:
    out = [
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_text(pack.title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
    ]
    for block in pack.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            out.append(f"<h{level}>{_text(block.text)}</h{level}>")
        elif isinstance(block, Para):
            body = _text(block.text).replace("\n", "<br>")
            out.append(f"<p><em>{body}</em></p>" if block.emphasis else f"<p>{body}</p>")
        elif isinstance(block, Fields):
            out.append("<dl>")
            for label, value in block.pairs:
                out.append(f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>")
            out.append("</dl>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{_text(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Table):
            out.append("<table><thead><tr>" + "".join(f"<th>{_text(c)}</th>" for c in block.header) + "</tr></thead><tbody>")
            for row in block.rows:
                out.append("<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>")
            out.append("</tbody></table>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
