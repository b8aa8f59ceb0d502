"""`lt-interview review new|show|set|person|structure`."""

from __future__ import annotations

import argparse
from pathlib import Path

from lt_interview.commands._common import existing_file, new_file, open_store, passphrase, remember
from lt_interview.storage.kinds import REVIEW


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
    settings = verbs.add_parser("set", help="change the review's settings: retention date, legal hold, blind "
                                            "mode, guiding question, lawful basis and more (audited)")
    settings.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    settings.add_argument("--retain-until", type=_date, metavar="YYYY-MM-DD")
    settings.add_argument("--legal-hold", choices=("on", "off"))
    settings.add_argument("--blind-mode", choices=("on", "off"))
    settings.add_argument("--guiding-question", metavar="TEXT")
    settings.add_argument("--lawful-basis", metavar="TEXT")
    settings.add_argument("--review-type", choices=("SCR", "LCSPR", "SAR", "rapid", "national", "CMR", "learning",
                                                    "SUSR"))
    settings.add_argument("--variant", metavar="TEXT", help="full, mid-range, intensive, Speed+, focused, themed")
    settings.add_argument("--commissioner-term", metavar="TEXT",
                          help="whom the findings' questions are for, such as 'Board' or 'partnership'")
    settings.set_defaults(handler=run_set)
    person = verbs.add_parser(
        "person", help="register a practitioner, or record their information sent, consent and support "
                       "needs (audited)")
    person.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    person.add_argument("name", metavar="NAME", help="the practitioner's name, as the review team knows them")
    person.add_argument("--role", help="such as 'Health visitor': how outputs name them (needed to register)")
    person.add_argument("--agency")
    person.add_argument("--information-sent", choices=("yes", "no"),
                        help="whether they have been sent the information about the review")
    person.add_argument("--consent", choices=("yes", "no"), help="whether they have agreed to take part")
    person.add_argument("--support-needs", metavar="TEXT", help="support they need to take part")
    person.add_argument("--family", action="store_true",
                        help="a family member taking part in a conversation (the family variant of the structure)")
    person.set_defaults(handler=run_person)
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

    from datetime import date

    from lt_interview.operations.purge import retention_warning

    with open_store(args.path, REVIEW) as store:
        summary = summarise(store)
        print(render_summary(summary))
        warning = retention_warning(summary.review, date.today())
        if warning:
            print(f"Note: {warning}")
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


def _date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value}: not a date (use YYYY-MM-DD)") from None


def run_set(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from lt_interview.errors import BadInput, describe_validation
    from lt_interview.operations.review import review_record

    changes = {}
    if args.retain_until is not None:
        changes["retain_until"] = args.retain_until
    if args.legal_hold is not None:
        changes["legal_hold"] = args.legal_hold == "on"
    if args.blind_mode is not None:
        changes["blind_mode"] = args.blind_mode == "on"
    for name in ("guiding_question", "lawful_basis", "review_type", "variant", "commissioner_term"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if not changes:
        raise BadInput("nothing to change (see lt-interview review set --help)")
    with open_store(args.path, REVIEW) as store:
        store.refuse_if_purged()
        record_id, review = review_record(store)
        try:
            changed = type(review).model_validate({**review.model_dump(), **changes})
        except ValidationError as exc:
            raise BadInput(f"review settings: {describe_validation(exc)}") from None
        with store.transaction():
            store.put(changed, record_id)
            store.audit("review.settings", record_id, {"changed": sorted(changes)})
    print("Updated: " + ", ".join(f"{k.replace('_', ' ')} = {v}" for k, v in changes.items()))
    return 0


def run_person(args: argparse.Namespace) -> int:
    from lt_interview.operations.people import describe, register_or_update

    yes_no = {"yes": True, "no": False, None: None}
    with open_store(args.path, REVIEW) as store:
        store.refuse_if_purged()
        _, practitioner, new = register_or_update(
            store, args.name, role=args.role, agency=args.agency, information_sent=yes_no[args.information_sent],
            consent=yes_no[args.consent], support_needs=args.support_needs,
            participant_type="family member" if args.family else None)
    print(("Registered " if new else "Updated ") + describe(practitioner))
    return 0
