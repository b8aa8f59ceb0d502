"""Exports for the review-team meetings: the pseudonymised analysis pack as Markdown, HTML,
DOCX or CSV, and a REFI-QDA project. `export_pack(store, out_dir, fmt)` is the one entry."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FORMATS = ("md", "html", "docx", "csv", "qdpx")


def export_pack(store, out_dir: Path, fmt: str, *, model=None) -> list[Path]:
    """Write the analysis pack in `fmt` into `out_dir`; return the files written.

    Everything is rendered in memory first and checked for real names, in the pack's text
    and again in the rendered bytes; only then are files created (0600, never overwriting).
    """
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.errors import BadInput
    from lt_interview.export import csv_safe, guard, names
    from lt_interview.export.pack import build_pack

    if fmt not in FORMATS:
        raise BadInput(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
    out_dir = names.output_folder(Path(out_dir))
    model = model or open_workspace_model(store)
    pack = build_pack(model)
    digests = guard.guard_digests(store)
    title = f"{model.data.review.slug} analysis pack"
    outputs: list[tuple[str, str, bytes, list[str]]] = []  # (title, suffix, data, texts to check)
    if fmt == "qdpx":
        data, located = _qdpx(model)
        # `located` is exactly what went into the archive (project.qde and each source text).
        guard.check_texts(store, located, digests)
        outputs.append((f"{model.data.review.slug} qda project", ".qdpx", data, []))
    else:
        guard.check_texts(store, pack.texts(), digests)
        if fmt == "md":
            from lt_interview.export import markdown

            text = markdown.render(pack)
            outputs.append((title, ".md", text.encode("utf-8"), [guard.plain_of_markup(text)]))
        elif fmt == "html":
            from lt_interview.export import html

            text = html.render(pack)
            outputs.append((title, ".html", text.encode("utf-8"), [guard.plain_of_markup(text)]))
        elif fmt == "docx":
            from lt_interview.export import docx

            data = docx.render(pack)
            outputs.append((title, ".docx", data, _zip_texts(data)))
        else:
            for table in pack.tables:
                data = csv_safe.to_csv_bytes([table.header, *table.rows])
                outputs.append((f"{model.data.review.slug} {table.name}", ".csv", data,
                                [data.decode("utf-8-sig")]))
    # The final check, on exactly what would be written.
    for _, suffix, _, texts in outputs:
        guard.check_texts(store, [(text, f"the {suffix[1:]} output") for text in texts], digests)
    written: list[Path] = []
    try:
        for name, suffix, data, _ in outputs:
            written.append(names.write_new(out_dir, name, suffix, data))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    store.audit("export", detail={"format": fmt, "files": len(written)})
    return written


def _qdpx(model):
    from lt_interview.export import qdpx

    return qdpx.render(model)


def _zip_texts(data: bytes) -> list[str]:
    """The visible text of every XML part of an Office/REFI archive."""
    from lt_interview.export.guard import plain_of_markup

    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".qde", ".txt", ".rels")):
                found.append(plain_of_markup(archive.read(info).decode("utf-8", "replace")))
    return found
