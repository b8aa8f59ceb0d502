"""`lt-interview export REVIEW.ltr -o DIR --format md|docx|html|csv|qdpx|all [--include-drafts]`.

Exports the latest agreed account of each conversation; `--include-drafts` adds the accounts
typed up but not yet agreed, each marked as a draft."""

from __future__ import annotations

import argparse
from pathlib import Path

from lt_interview.commands._common import existing_file, open_store, output_folder

FORMAT_CHOICES = ("md", "docx", "html", "csv", "qdpx", "all")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="write the pseudonymised analysis pack (Markdown, DOCX, HTML, CSV) or a REFI-QDA project")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.add_argument("-o", "--output", required=True, type=output_folder, metavar="DIR",
                        help="folder to write into (created if missing, inside a folder that exists; files are never overwritten)")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMAT_CHOICES, metavar="FORMAT",
                        help="md, docx, html, csv, qdpx or all (repeatable; default md)")
    parser.add_argument("--include-drafts", action="store_true",
                        help="also export accounts typed up but not yet agreed, each marked as a draft "
                             "(by default only agreed accounts are exported)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.analysis.blame import export_reminder
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.export import FORMATS, export_packs
    from lt_interview.storage.kinds import REVIEW

    formats = args.formats or ["md"]
    if "all" in formats:
        formats = list(FORMATS)
    with open_store(args.path, REVIEW) as store:
        # Every format is rendered and checked before any file is written (all or nothing).
        model = open_workspace_model(store, scope="typed_up" if args.include_drafts else "agreed")
        written: list[Path] = export_packs(store, args.output, formats, model=model,
                                           include_drafts=args.include_drafts)
        reminder = export_reminder(model)
    for path in written:
        print(f"Wrote {path}")
    if reminder:
        print(reminder)
    return 0
