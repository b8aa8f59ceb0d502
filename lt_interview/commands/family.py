"""`lt-interview family REVIEW.ltr [MEMBER] ...`: informing and involving the family (DOMAIN.md
§2, §5.1). With MEMBER (relationship and pseudonym, as in the case framework, such as "mother
(Amber)"), records how they were informed and involved, each change a new revision; without it,
lists what is recorded. A family member who holds a conversation is registered with
`lt-interview review person NAME --role ROLE --family` and packed as usual."""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, open_store
from lt_interview.commands.case_group import _date
from lt_interview.storage.kinds import REVIEW

TOOK_PART = ("not_yet_asked", "considering", "yes", "declined", "not_appropriate")


def register(subparsers) -> None:
    parser = subparsers.add_parser("family", help="record how a family member was informed about the review and "
                                                  "involved in it")
    parser.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    parser.add_argument("member", nargs="?", metavar="MEMBER",
                        help="relationship and pseudonym, such as 'mother (Amber)'; never a real name")
    parser.add_argument("--informed-on", type=_date, metavar="YYYY-MM-DD", help="when they were told of the review")
    parser.add_argument("--informed-how", metavar="TEXT", help="how, such as 'letter, then a home visit'")
    parser.add_argument("--took-part", choices=TOOK_PART)
    parser.add_argument("--how", metavar="TEXT", help="how they took part, such as 'a conversation at home'")
    parser.add_argument("--views", metavar="TEXT", help="their views, as recorded")
    parser.add_argument("--fed-back", metavar="TEXT", help="how the findings were shared with them, and their response")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lt_interview.analysis import involvement
    from lt_interview.errors import BadInput

    changes = {"informed_on": args.informed_on, "informed_how": args.informed_how, "took_part": args.took_part,
               "how_took_part": args.how, "views": args.views, "fed_back": args.fed_back}
    with open_store(args.path, REVIEW) as store:
        if args.member is None:
            if any(value is not None for value in changes.values()):
                raise BadInput("name the family member to record this for (see lt-interview family --help)")
            records = involvement.family_records(store)
            if not records:
                print("Nobody in the family recorded yet.")
            for _, record in records:
                print(involvement.describe_family(record))
            return 0
        store.refuse_if_purged()
        _, record, new = involvement.record_family(store, args.member, **changes)
    print(("Recorded " if new else "Updated ") + involvement.describe_family(record))
    return 0
