"""`lt-interview accuracy-check CONVERSATION.ltc -o DIR [--format docx|md] [--mark-sent [DATE]]`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from lt_interview.commands._common import existing_file, passphrase


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value}: not a date (use YYYY-MM-DD)") from None


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "accuracy-check",
        help="write the practitioner's typed-up account as a document for them to check",
        description="Writes the account in plain language (no internal tags, family members by "
        "pseudonym, space for comments, how the notes are used). Refuses if a real name from the "
        "pseudonym map is found, naming the section.")
    parser.add_argument("path", type=existing_file, metavar="CONVERSATION.ltc")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="DIR",
                        help="folder to write the document into (created if missing)")
    parser.add_argument("--format", choices=("docx", "md"), default="docx", help="docx (default) or md")
    parser.add_argument("--mark-sent", nargs="?", const=date.today(), type=_date, metavar="DATE",
                        help="also record this version as sent for checking (today unless a date is given)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.storage.store import CONVERSATION, Store
    from lt_interview.typeup import service
    from lt_interview.typeup.accuracy import write_accuracy_check

    with Store.open(args.path, passphrase(), expect_kind=CONVERSATION) as store:
        written = write_accuracy_check(store, args.output.expanduser(), args.format)
        print(f"Wrote {written}")
        if args.mark_sent:
            service.send_for_checking(store, args.mark_sent)
            print(f"Recorded as sent for checking on {args.mark_sent.isoformat()}")
    return 0
