"""`lt-interview check FILE`: integrity, schema version and file kind; exit 0 when sound."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, passphrase


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="check a review or conversation file is sound")
    parser.add_argument("path", type=existing_file, metavar="FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.review.file_check import check_file
    from lt_interview.storage.header import read_salt

    read_salt(args.path)  # size and header first: random bytes are refused before any prompt
    for line in check_file(args.path, passphrase()):
        print(line)
    return 0
