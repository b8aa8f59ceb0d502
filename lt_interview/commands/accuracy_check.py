"""`lt-interview accuracy-check CONVERSATION.ltc -o DIR [--format docx|md] [--mark-sent [DATE]]`."""

from __future__ import annotations

import argparse
from datetime import date

from lt_interview.commands._common import existing_file, output_folder, passphrase


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
        "pseudonym, space for comments, how the notes are used), with its version and, once "
        "recorded, the date it was sent. Refuses if a real name from the pseudonym map, or the "
        "name of the practitioner or a reviewer, is found, naming the section; reminds (without "
        "refusing) about wording that may read as judging. Refuses an account with nothing typed up.")
    parser.add_argument("path", type=existing_file, metavar="CONVERSATION.ltc")
    parser.add_argument("-o", "--output", required=True, type=output_folder, metavar="DIR",
                        help="folder to write the document into (created if missing, with any missing folders above it)")
    parser.add_argument("--format", choices=("docx", "md"), default="docx", help="docx (default) or md")
    parser.add_argument("--mark-sent", nargs="?", const=date.today(), type=_date, metavar="DATE",
                        help="also record this version as sent for checking (today unless a date is "
                        "given); if this version was already sent, a fresh copy is written and "
                        "nothing new is recorded")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.storage.store import CONVERSATION, Store
    from lt_interview.domain.dates import show_date
    from lt_interview.typeup.accuracy import write_accuracy_check

    with Store.open(args.path, passphrase(), expect_kind=CONVERSATION) as store:
        written = write_accuracy_check(store, args.output, args.format, mark_sent=args.mark_sent)
    version = written.version
    label = version.line(date.today()) if version.number else "a draft: changed since its last recorded step"
    print(f"Wrote {written.path} ({label})")
    if args.mark_sent and written.already_sent:
        print(f"This version was already recorded as sent for checking on {show_date(version.sent_on)}; "
              "nothing new was recorded.")
    elif args.mark_sent:
        print(f"Recorded as sent for checking on {show_date(version.sent_on)}.")
    elif written.status in ("planned", "in progress"):
        print(f"Note: this conversation is still recorded as {written.status}.")
    if written.reminder_line:
        print(written.reminder_line)
    return 0
