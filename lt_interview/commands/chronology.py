"""`lt-interview chronology import REVIEW.ltr FILE.csv` and `chronology unlock REVIEW.ltr --reason TEXT`."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, open_store, passphrase
from lt_interview.storage.kinds import REVIEW


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "chronology", help="the agency chronology (review file only; hidden in blind mode until unlocked)")
    verbs = parser.add_subparsers(dest="chronology_verb", metavar="ACTION", required=True,
                                  parser_class=type(parser))
    imp = verbs.add_parser("import", help="import a CSV with the columns date, agency, event")
    imp.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    imp.add_argument("csv", type=existing_file, metavar="FILE.csv",
                     help="header line naming date, agency and event (other columns are left out); dates "
                     "yyyy-mm-dd or dd/mm/yyyy, or a month or year when the day is not known "
                     "(yyyy-mm, mm/yyyy, March 2024, yyyy)")
    imp.set_defaults(handler=run_import)
    unl = verbs.add_parser("unlock", help="show the chronology before every account is agreed (recorded, audited)")
    unl.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    unl.add_argument("--reason", required=True, metavar="TEXT", help="why the review team needs it now")
    unl.add_argument("--by", default="", metavar="NAME", help="the reviewer unlocking it")
    unl.set_defaults(handler=run_unlock)


def run_import(args: argparse.Namespace) -> int:
    from lt_interview.review.chronology import import_entries, read_chronology

    found = read_chronology(args.csv)  # check the whole CSV before asking for the passphrase
    secret = passphrase()
    with open_store(args.path, REVIEW, secret) as store:
        result = import_entries(store, found.entries)
    if found.ignored_columns:
        print("Columns left out (only date, agency and event are imported): " + ", ".join(found.ignored_columns))
    line = f"Imported {result.added} chronology entr{'y' if result.added == 1 else 'ies'}"
    if result.already_present:
        line += f" ({result.already_present} already present)"
    print(line + "; shown only in the analysis workspace while blind mode is on")
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    from lt_interview.review.chronology import unlock

    secret = passphrase()
    with open_store(args.path, REVIEW, secret, actor=args.by) as store:
        unlock(store, args.reason, args.by)
    print("Chronology unlocked for the analysis workspace; the reason is recorded and audited")
    return 0
