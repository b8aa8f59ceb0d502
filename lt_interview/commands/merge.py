"""`lt-interview merge REVIEW.ltr CONVERSATION.ltc ... [--dry-run]` and `--conflicts`."""

from __future__ import annotations

import argparse
import sys

from lt_interview.commands._common import existing_file, open_store, passphrase
from lt_interview.storage.kinds import REVIEW

STAGES = {"checking": "Checking", "merging": "Merging", "saving": "Saving"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "merge", help="bring conversation files into the review (all or nothing; conflicts kept visible)")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.add_argument("inputs", nargs="*", type=existing_file, metavar="CONVERSATION.ltc",
                        help="conversation files (or copies of this review) to merge")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would be added, duplicated or in conflict; change nothing")
    parser.add_argument("--conflicts", action="store_true",
                        help="list the records in conflict (more than one current version), one a line")
    parser.set_defaults(handler=run)


class TextProgress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.active = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.active or total <= 1:
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r{STAGES.get(stage, stage):<9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    from lt_interview.errors import BadInput
    from lt_interview.merge.importer import conflict_lines, merge_files

    secret = passphrase()
    with open_store(args.path, REVIEW, secret) as store:
        if args.conflicts:
            if args.inputs or args.dry_run:
                raise BadInput("--conflicts lists the review's conflicts; give no other files or options")
            lines = conflict_lines(store)
            for line in lines:
                print(line)
            print(f"{len(lines)} record{'s' if len(lines) != 1 else ''} in conflict"
                  + (f"; settle them with: lt-interview conflicts {args.path}" if lines else ""))
            return 0
        if not args.inputs:
            raise BadInput("give one or more conversation files to merge (or --conflicts)")
        progress = TextProgress()
        try:
            report = merge_files(store, args.inputs, secret, dry_run=args.dry_run, progress=progress)
        finally:
            progress.finish()
    for item in report.inputs:
        print(("would merge " if report.dry_run else "") + item.line())
    print(report.final_line())
    return 0
