"""`lt-interview demo`: a fictional review to explore, built in a temporary folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="build and open a fictional demo review")
    parser.add_argument("--dir", type=Path, metavar="FOLDER",
                        help="build it here instead of a new temporary folder (must not exist)")
    parser.add_argument("--no-open", action="store_true", help="build and show it, but open no screen")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.demo import data as demo_data
    from lt_interview.demo.build import build_demo
    from lt_interview.errors import BadInput
    from lt_interview.review.summary import render_summary, summarise
    from lt_interview.storage.store import REVIEW, Store

    if args.dir is not None and args.dir.exists():
        raise BadInput(f"{args.dir}: already exists; choose a new folder")
    review_path, conversations = build_demo(args.dir)
    with Store.open(review_path, demo_data.DEMO_PASSPHRASE, expect_kind=REVIEW) as store:
        print(render_summary(summarise(store)))
    print(f"\nDemo review: {review_path}")
    for path in conversations:
        print(f"Conversation file: {path}")
    print(f"Passphrase for the demo files: {demo_data.DEMO_PASSPHRASE}")
    if args.no_open:
        return 0
    from lt_interview.platform import screen_unavailable

    problem = screen_unavailable()
    if problem is not None:
        print(f"\nNo screen opened ({problem}). To open the demo, in a terminal window:\n"
              f"  lt-interview converse {conversations[0] if conversations else review_path}")
        return 0
    try:
        from lt_interview.tui.app import run_demo
    except ImportError:
        return 0
    return run_demo(review_path, conversations, demo_data.DEMO_PASSPHRASE)
