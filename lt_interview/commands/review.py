"""`lt-interview review new|show`."""

from __future__ import annotations

import argparse
from pathlib import Path

from lt_interview.commands._common import existing_file, new_file, open_store, passphrase, remember
from lt_interview.storage.store import REVIEW


def register(subparsers) -> None:
    review = subparsers.add_parser("review", help="create or show a review database (.ltr)")
    verbs = review.add_subparsers(dest="review_verb", metavar="ACTION", required=True,
                                  parser_class=type(review))
    new = verbs.add_parser("new", help="create a new, encrypted review database")
    new.add_argument("path", type=new_file, metavar="REVIEW.ltr")
    new.add_argument("--name", help="the review's name (or [review] name in the framework file)")
    new.add_argument("--framework", type=existing_file, metavar="FILE.toml",
                     help="pseudonyms, agencies, reviewers, practitioners and review period")
    new.set_defaults(handler=run_new)
    show = verbs.add_parser("show", help="show a review's settings, framework, people and conversations")
    show.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    show.set_defaults(handler=run_show)
    structure = verbs.add_parser(
        "structure", help="write out the review's own copy of the method files, or adopt an edited copy")
    structure.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    action = structure.add_mutually_exclusive_group(required=True)
    action.add_argument("--export", type=Path, metavar="FOLDER", help="write the review's copy to a new folder")
    action.add_argument("--adopt", type=Path, metavar="FOLDER",
                        help="validate an edited copy and make it the review's structure (new revision)")
    structure.set_defaults(handler=run_structure)


def run_new(args: argparse.Namespace) -> int:
    from lt_interview.operations.review import create_review

    store = create_review(args.path, passphrase(new=True), name=args.name, framework=args.framework)
    store.close()
    remember(args.path)
    print(f"Created review {args.path}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from lt_interview.operations.review import render_summary, summarise

    with open_store(args.path, REVIEW) as store:
        print(render_summary(summarise(store)))
    return 0


def run_structure(args: argparse.Namespace) -> int:
    from lt_interview.operations.structure_copy import adopt_structure, export_structure

    with open_store(args.path, REVIEW) as store:
        if args.export:
            export_structure(store, args.export)
            print(f"Wrote the review's structure to {args.export}")
        else:
            version = adopt_structure(store, args.adopt)
            print(f"The review now uses structure edition {version}; pack conversation files again to carry it")
    return 0
