"""`lt-interview report REVIEW.ltr -o DIR --format docx|md [--marking TEXT]`."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, open_store, output_folder


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="draft the pseudonymised review report (introduction, methodology, appraisal of "
                       "practice, findings by typology category, findings table)")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.add_argument("-o", "--output", required=True, type=output_folder, metavar="DIR",
                        help="folder to write into (created if missing; files are never overwritten)")
    parser.add_argument("--format", dest="formats", action="append", choices=("docx", "md"), metavar="FORMAT",
                        help="docx or md (repeatable; default docx)")
    parser.add_argument("--marking", default="OFFICIAL-SENSITIVE", metavar="TEXT",
                        help="protective marking at the top and foot of every page (default OFFICIAL-SENSITIVE)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.export.report import check_marking, write_report
    from lt_interview.storage.kinds import REVIEW

    marking = check_marking(args.marking)  # before the passphrase is asked for
    written = []
    with open_store(args.path, REVIEW) as store:
        model = open_workspace_model(store, scope="agreed")  # only agreed accounts reach a document
        for fmt in dict.fromkeys(args.formats or ["docx"]):
            written.append(write_report(store, args.output, fmt, marking=marking, model=model))
    for path in written:
        print(f"Wrote {path}")
    return 0
