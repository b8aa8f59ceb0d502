"""Exports for the review-team meetings: the pseudonymised analysis pack as Markdown, HTML,
DOCX or CSV, and a REFI-QDA project. `export_packs(store, out_dir, formats)` is the one entry
(`export_pack` for one format)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the analysis is imported when a pack is made, not with this module
    from lt_interview.analysis.accounts import Scope

FORMATS = ("md", "html", "docx", "csv", "qdpx")


def export_pack(store, out_dir: Path, fmt: str, *, model=None, include_drafts: bool = False) -> list[Path]:
    """Write the analysis pack in `fmt` into `out_dir`; return the files written."""
    return export_packs(store, out_dir, [fmt], model=model, include_drafts=include_drafts)


def export_packs(store, out_dir: Path, formats, *, model=None, include_drafts: bool = False) -> list[Path]:
    """Write the analysis pack in every format of `formats` into `out_dir`; return the files.

    The pack is built from each conversation's latest agreed account; with `include_drafts`,
    accounts typed up but not yet agreed are added, each marked as a draft (a conversation
    not typed up yet never is). The raw notes and the reviewers' working notes never are.
    Every account exported is checked for real names first (each one found is named with its
    conversation, part and line), then the pack's text and the rendered bytes, for **every**
    requested format; only then are files created (0600, never overwriting), in an unfinished
    folder moved into place once every file is complete (export/staged.py). If any file cannot
    be written, nothing is left under the final names, so a refusal, a failure or a stop midway
    leaves no partial pack.
    """
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.errors import BadInput
    from lt_interview.export import guard, staged

    formats = list(dict.fromkeys(formats))
    for fmt in formats:
        if fmt not in FORMATS:
            raise BadInput(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
    out_dir = Path(out_dir).expanduser()
    made_folder = not out_dir.exists()
    if made_folder and not out_dir.parent.is_dir():
        raise BadInput(f"{out_dir.parent}: no such folder")
    if not made_folder and not out_dir.is_dir():
        raise BadInput(f"{out_dir}: not a folder")
    scope: Scope = "typed_up" if include_drafts else "agreed"
    if model is None or model.data.scope != scope:
        model = open_workspace_model(store, scope=scope)
    digests = guard.guard_digests(store)
    guard.check_accounts(store, model.data, digests)
    outputs: list[tuple[str, str, bytes]] = []
    for fmt in formats:
        outputs += _render_checked(store, model, fmt, digests)
    # Written only now, once everything has passed, into an unfinished folder first and moved
    # into place when every file is complete (staged.py): a stop midway leaves no partial pack.
    written = staged.write_all(store.path, out_dir, outputs)
    for fmt in formats:
        store.audit("export", detail={"format": fmt, "drafts": include_drafts,
                                      "files": sum(1 for _, suffix, _ in outputs if _FORMAT_OF[suffix] == fmt)})
    return written


_FORMAT_OF = {".md": "md", ".html": "html", ".docx": "docx", ".csv": "csv", ".qdpx": "qdpx"}


def _render_checked(store, model, fmt: str, digests: set[str]) -> list[tuple[str, str, bytes]]:
    """The files of one format, rendered in memory and checked for real names; writes nothing."""
    from lt_interview.export import csv_safe, guard
    from lt_interview.export.pack import build_pack

    title = f"{model.data.review.slug} analysis pack"
    outputs: list[tuple[str, str, bytes, list[str]]] = []  # (title, suffix, data, texts to check)
    if fmt == "qdpx":
        data, located = _qdpx(model)
        # `located` is exactly what went into the archive (project.qde and each source text).
        guard.check_texts(store, located, digests)
        outputs.append((f"{model.data.review.slug} qda project", ".qdpx", data, []))
    else:
        pack = build_pack(model)
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
    return [(name, suffix, data) for name, suffix, data, _ in outputs]


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
