"""`lt-interview analyse REVIEW.ltr`: the review team's analysis workspace."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, passphrase, remember


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyse", help="open the analysis workspace: story of the case, factors, KPEs, findings, search")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.config import load_config
    from lt_interview.storage.store import REVIEW, Store
    from lt_interview.tui.app import make_app

    config = load_config()  # a bad config file is reported before the passphrase is asked for
    secret = passphrase()
    store = Store.open(args.path, secret, expect_kind=REVIEW)
    remember(args.path)
    app = make_app(mode="analyse", store=store, passphrase=secret, config=config, handle_signals=True)
    app.run()
    return app.return_code or 0
