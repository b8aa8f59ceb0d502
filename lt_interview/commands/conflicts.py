"""`lt-interview conflicts FILE [--reviewer NAME]`: settle competing versions on screen."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import (TEXTUAL_AT_RUN, config_before_passphrase, existing_file, passphrase,
                                           settings_or_defaults)

# Imported while the passphrase is typed (unlock.passphrase).
SCREEN_MODULES = ("lt_interview.config", "lt_interview.storage.store", "lt_interview.conversation.session",
                  "lt_interview.tui.app", "lt_interview.tui.screens.conflicts",
                  *TEXTUAL_AT_RUN)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "conflicts", help="settle records with competing versions after a merge (review or conversation file)")
    parser.add_argument("path", type=existing_file, metavar="FILE")
    parser.add_argument("--reviewer", metavar="NAME", help="who is settling them, as named in the review")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = config_before_passphrase()
    secret = passphrase(preload=SCREEN_MODULES)
    from lt_interview.storage.store import Store
    from lt_interview.tui.app import make_app
    from lt_interview.conversation.session import find_reviewer

    config = settings_or_defaults(config)
    store = Store.open(args.path, secret)
    try:
        if args.reviewer:
            store.actor_id = find_reviewer(store, args.reviewer)
    except BaseException:
        store.close()
        raise
    app = make_app(mode="conflicts", store=store, passphrase=secret, config=config, handle_signals=True)
    app.run()
    return app.return_code or 0
