"""`lt-interview review new|show`."""

from __future__ import annotations

import argparse

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
