"""`lt-interview analyse REVIEW.ltr`: the review team's analysis workspace."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import (TEXTUAL_AT_RUN, config_before_passphrase, existing_file, passphrase,
                                           remember, settings_or_defaults)

# Imported while the passphrase is typed (unlock.passphrase).
SCREEN_MODULES = ("lt_interview.config", "lt_interview.storage.store", "lt_interview.tui.app",
                  "lt_interview.tui.screens.analysis",
                  *TEXTUAL_AT_RUN)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyse", help="open the analysis workspace: story of the case, factors, KPEs, findings, search")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = config_before_passphrase()
    secret = passphrase(preload=SCREEN_MODULES)
    from lt_interview.storage.store import REVIEW, Store
    from lt_interview.tui.app import make_app

    config = settings_or_defaults(config)
    store = Store.open(args.path, secret, expect_kind=REVIEW)
    remember(args.path)
    app = make_app(mode="analyse", store=store, passphrase=secret, config=config, handle_signals=True)
    app.run()
    return app.return_code or 0
