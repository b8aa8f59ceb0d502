"""`lt-interview pack REVIEW.ltr --practitioner NAME -o CONVERSATION.ltc`."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, new_file, open_store, passphrase, remember
from lt_interview.storage.kinds import REVIEW


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "pack", help="make a conversation file for one practitioner (no chronology, no other accounts)")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.add_argument("--practitioner", required=True, metavar="NAME",
                        help="the practitioner's name (or role, if unique) as registered in the review")
    parser.add_argument("-o", "--output", required=True, type=new_file, metavar="CONVERSATION.ltc")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.operations.pack import pack

    secret = passphrase()
    with open_store(args.path, REVIEW, secret) as store:
        pack(store, secret, args.practitioner, args.output)
    remember(args.output)
    print(f"Wrote conversation file {args.output}")
    return 0
