"""`lt-interview pack REVIEW.ltr --practitioner NAME -o CONVERSATION.ltc`."""

from __future__ import annotations

import argparse
from pathlib import Path

from lt_interview.commands._common import existing_file, new_file, open_store, passphrase, remember
from lt_interview.storage.kinds import REVIEW


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "pack", help="make a conversation file for one practitioner (no chronology, no other accounts)")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.add_argument("--practitioner", required=True, metavar="NAME",
                        help="the practitioner's name (or role, if unique) as registered in the review")
    parser.add_argument("-o", "--output", required=True, type=new_file, metavar="CONVERSATION.ltc")
    parser.add_argument("--follow-up", action="store_true",
                        help="a follow-up conversation with the same practitioner, linked to their latest one "
                             "(which must have been held)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from slugify import slugify

    from lt_interview.review.conversation_files import pack
    from lt_interview.storage.lookups import find_practitioner

    secret = passphrase()
    with open_store(args.path, REVIEW, secret) as store:
        pack(store, secret, args.practitioner, args.output, follow_up=args.follow_up)
        _, practitioner = find_practitioner(store, args.practitioner)
    remember(args.output)
    print(f"Wrote {'follow-up ' if args.follow_up else ''}conversation file {args.output}")
    if names_a_person(args.output.name, practitioner.name):
        print(f"Note: the file name holds the practitioner's name, and file names are not encrypted; "
              f"rename it by role (for example {slugify(practitioner.role)}.ltc).")
    return 0


def names_a_person(file_name: str, name: str) -> bool:
    """Whether a word of the person's name (three letters or more) is a word of the file name."""
    from slugify import slugify

    words = set(slugify(Path(file_name).stem).split("-"))
    return any(len(part) >= 3 and part in words for part in slugify(name).split("-"))
