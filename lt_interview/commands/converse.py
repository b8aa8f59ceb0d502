"""`lt-interview converse CONVERSATION.ltc [--role notes|lead] [--reviewer NAME]`."""

from __future__ import annotations

import argparse
import threading

from lt_interview.commands._common import (TEXTUAL_AT_RUN, config_before_passphrase, existing_file, passphrase,
                                           remember, settings_or_defaults)

# What _open_and_run imports for the screen (pydantic, Textual, the store): imported while the
# passphrase is typed at a prompt.
SCREEN_MODULES = ("lt_interview.config", "lt_interview.storage.lookups", "lt_interview.storage.store",
                  "lt_interview.conversation.session", "lt_interview.tui.app", "lt_interview.tui.screens.conversation",
                  *TEXTUAL_AT_RUN)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "converse", help="open a conversation file to take notes during the conversation")
    parser.add_argument("path", type=existing_file, metavar="CONVERSATION.ltc")
    parser.add_argument("--role", choices=("notes", "lead"), default=None,
                        help="taking notes (default) or leading the conversation")
    parser.add_argument("--reviewer", metavar="NAME",
                        help="who you are, as named in the review (asked once on screen if not given)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.errors import BadInput
    from lt_interview.storage.header import read_salt

    if args.path.suffix == ".ltr":
        raise BadInput(f"{args.path}: a review file; converse opens a conversation file (.ltc) "
                       "made with lt-interview pack")
    # A config file and the file's first bytes are checked before the passphrase is asked for,
    # so that a bad one is the first thing said. While the passphrase is typed, the screen's
    # modules are imported; once it is in, the key derivation starts (Argon2id: C code that
    # releases the GIL), on every core, or beside the imports when the passphrase came at once
    # (from the environment), and Store.open below finds the key ready (see passphrase).
    config = config_before_passphrase()
    secret = passphrase(preload=SCREEN_MODULES, salt=read_salt(args.path))
    from lt_interview.tui.idle_gc import pause_for_start_up, resume_after_start_up

    pause_for_start_up()  # until the screen is ready (idle_gc.py), and in any case on return
    try:
        return _open_and_run(args, secret, config)
    finally:
        resume_after_start_up()


def _open_and_run(args: argparse.Namespace, secret: str, config) -> int:
    from lt_interview.errors import BadInput

    config = settings_or_defaults(config)
    role = args.role or config.default_role.value

    from lt_interview.storage.lookups import structure_of
    from lt_interview.storage.store import CONVERSATION, Store
    from lt_interview.tui.app import make_app
    from lt_interview.tui.screens import conversation  # noqa: F401  (before the key is waited for)
    from lt_interview.conversation.session import ConversationSession, doing, find_reviewer

    store = Store.open(args.path, secret, expect_kind=CONVERSATION)
    try:
        session = ConversationSession(store, structure_of(store), role=role)
        if args.reviewer:
            reviewer_id = find_reviewer(store, args.reviewer)
            if session.author_id and session.author_id != reviewer_id:
                raise BadInput(f"{args.path}: someone else is already recorded in the {role} role; "
                               "open it with the other --role or without --reviewer")
            if not session.author_id and reviewer_id == session.other_author():
                # On screen, choosing the same person for both roles asks first; here it cannot.
                raise BadInput(f"{args.path}: {args.reviewer} is already recorded "
                               f"{doing(session.other_role)} in this file; to record one person in both "
                               "roles, open it without --reviewer and confirm on screen")
            if not session.author_id:
                session.set_author(reviewer_id)
    except BaseException:
        store.close()
        raise
    # The recent-files list is written (and synced to the disk) beside the screen's start-up; it is
    # complete, or its error raised, before the command returns.
    failed: list[BaseException] = []

    def remember_path() -> None:
        try:
            remember(args.path)
        except BaseException as exc:  # noqa: BLE001 - raised again in the command's own thread
            failed.append(exc)

    remembering = threading.Thread(target=remember_path, name="lt-interview-recent")
    remembering.start()
    try:
        app = make_app(mode="converse", store=store, passphrase=secret, role=role, config=config,
                       handle_signals=True, session=session)
        app.run()
    finally:
        remembering.join()
    if failed:
        raise failed[0]
    return app.return_code or 0

