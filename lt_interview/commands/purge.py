"""`lt-interview purge REVIEW.ltr`: erase a review's content after its retention date."""

from __future__ import annotations

import argparse
from datetime import date

from lt_interview.commands._common import existing_file, open_store
from lt_interview.storage.kinds import REVIEW


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "purge", help="erase a review's content after its retention date (blocked under legal hold)")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from lt_interview.errors import BadInput
    from lt_interview.review.purge import purge
    from lt_interview.storage.copies import copies_of

    with open_store(args.path, REVIEW) as store:
        if not args.yes:
            if not sys.stdin.isatty():
                raise BadInput("purge needs --yes when not run at a terminal")
            answer = input(f"Erase every note, account and record in {args.path}? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing purged.")
                return 0
        copies = len(copies_of(store.path))  # held open: no merge can add one before purge removes them
        counts = purge(store, date.today())
    print(f"Purged {args.path}: {counts.get('revision', 0)} revisions removed; the audit trail records the counts.")
    if copies:
        print(f"Removed {copies} backup file{'s' if copies != 1 else ''} made beside it by merges.")
    print("Remember handover copies and exports: they follow the same retention rule.")
    return 0
