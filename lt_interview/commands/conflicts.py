"""`lt-interview conflicts FILE [--reviewer NAME]`: settle competing versions on screen."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, passphrase


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "conflicts", help="settle records with competing versions after a merge (review or conversation file)")
    parser.add_argument("path", type=existing_file, metavar="FILE")
    parser.add_argument("--reviewer", metavar="NAME", help="who is settling them, as named in the review")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.config import load_config
    from lt_interview.storage.store import Store
    from lt_interview.tui.app import make_app
    from lt_interview.tui.session import find_reviewer

    config = load_config()  # a bad config file is reported before the passphrase is asked for
    secret = passphrase()
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
