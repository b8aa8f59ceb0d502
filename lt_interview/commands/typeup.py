"""`lt-interview typeup CONVERSATION.ltc [OTHER_COPY.ltc ...]`: combine the reviewers' copies,
then open the type-up screen (or, with --status / --no-open, stay on the command line)."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import (TEXTUAL_AT_RUN, config_before_passphrase, existing_file, passphrase,
                                           remember, settings_or_defaults)

# Imported while the passphrase is typed (unlock.passphrase).
SCREEN_MODULES = ("lt_interview.config", "lt_interview.storage.store", "lt_interview.typeup.combine",
                  "lt_interview.typeup.service", "lt_interview.tui.app", "lt_interview.tui.screens.typeup",
                  *TEXTUAL_AT_RUN)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "typeup", help="type up a conversation's notes into the practitioner's account",
        description="Other copies of the same conversation (the lead's and the notetaker's) are "
        "combined into the first file first: nothing is lost, both authors are kept, nothing is "
        "doubled, and combining again changes nothing.")
    parser.add_argument("path", type=existing_file, metavar="CONVERSATION.ltc")
    parser.add_argument("others", nargs="*", type=existing_file, metavar="OTHER_COPY.ltc",
                        help="other reviewers' copies of the same conversation to combine first")
    parser.add_argument("--reviewer", metavar="NAME",
                        help="who is typing up (named on this version of the account); by default the one "
                        "reviewer this copy was opened by in conversation")
    parser.add_argument("--no-open", action="store_true", help="combine the copies but do not open the screen")
    parser.add_argument("--status", action="store_true",
                        help="print the account's status and versions, and do not open the screen")
    parser.set_defaults(handler=run)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def status_lines(store) -> list[str]:
    from lt_interview.domain.lifecycle import Status, show_date
    from lt_interview.typeup import service
    from lt_interview.domain.account_parts import account_words

    state = service.load(store)
    conversation = state.conversation
    lines = [f"Status: {conversation.status.label}"]
    for key, when in sorted(conversation.status_dates.items(), key=lambda item: item[1]):
        label = Status(key).label if key in Status._value2member_map_ else key.replace("_", " ")
        lines.append(f"  {label}: {show_date(when)}")
    lines.append(f"Account: {'not yet saved (pre-filled from the conversation)' if state.revision is None else 'saved'}"
                 f", {_count(len(state.account.episodes), 'episode')}, {_count(account_words(state.account), 'word')}")
    if state.competing > 1:
        lines.append(f"  {state.competing} competing versions from combined copies, shown combined part by part: "
                     "saving in type-up settles them")
    if state.added:
        lines.append("  Captured since it was saved, shown in it and kept with the next change: "
                     + ", ".join(state.added))
    waiting = state.marked_parts
    if waiting:
        lines.append(f"  {len(waiting)} part{'s' if len(waiting) != 1 else ''} with more than one version "
                     "(marked ⟦ ⟧) to combine into one")
    numbers = service.version_numbers(store)
    for _, version in service.versions(store):
        number = numbers.get(version.revision_ids[0], version.number)
        lines.append(f"  version {number}: {version.status.replace('_', ' ')} on {show_date(version.on)}")
    return lines


def run(args: argparse.Namespace) -> int:
    config = config_before_passphrase()
    secret = passphrase(preload=SCREEN_MODULES)
    from lt_interview.storage.store import CONVERSATION, Store
    from lt_interview.typeup.combine import combine_copies

    config = settings_or_defaults(config)
    store = Store.open(args.path, secret, expect_kind=CONVERSATION)
    try:
        from lt_interview.typeup import service

        store.actor_id = service.typist(store, args.reviewer)  # before combining makes two of them
        if args.others:
            results = combine_copies(store, list(args.others), secret)
            for result in results:
                print(result.describe())
            if results:
                for line in results[-1].account_lines():
                    print(line)
        if not (args.status or args.no_open):
            # Read what the screen will read before it needs a terminal: a record `check` refuses
            # (a crafted 2 MB note, say) is refused here in the same line, terminal or not.
            from lt_interview.typeup.build import raw_blocks

            raw_blocks(store, service.load(store).conversation_id)
        if args.status or args.no_open:
            if args.status:
                print("\n".join(status_lines(store)))
            store.close()
            return 0
    except BaseException:
        store.close()
        raise
    remember(args.path)
    from lt_interview.tui.app import make_app

    app = make_app(mode="typeup", store=store, passphrase=secret, config=config, handle_signals=True)
    app.run()
    return app.return_code or 0
