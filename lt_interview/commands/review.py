"""`lt-interview review new|template|show|set|person|add-pseudonym|add-household-member|add-reviewer|structure`."""

from __future__ import annotations

import argparse
from pathlib import Path

from lt_interview.commands._common import existing_file, new_file, open_store, passphrase, remember
from lt_interview.review.framework_template import FIELD_SUMMARY
from lt_interview.storage.kinds import REVIEW


def register(subparsers) -> None:
    review = subparsers.add_parser("review", help="create or show a review database (.ltr)")
    verbs = review.add_subparsers(dest="review_verb", metavar="ACTION", required=True,
                                  parser_class=type(review))
    new = verbs.add_parser(
        "new", help="create a new, encrypted review database",
        description=_wrapped("Create a new, encrypted review database. The passphrase is asked for twice "
                             "(or read from LT_INTERVIEW_PASSPHRASE). Everything else can come from a "
                             "framework file: 'lt-interview review template framework.toml' writes a "
                             "commented example that explains every field."),
        epilog=_wrapped("Framework file fields: " + FIELD_SUMMARY + ". After creation: review person, "
                        "add-reviewer, add-pseudonym and add-household-member add to it."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    new.add_argument("path", type=new_file, metavar="REVIEW.ltr")
    new.add_argument("--name", help="the review's name (or [review] name in the framework file)")
    new.add_argument("--framework", type=existing_file, metavar="FILE.toml",
                     help="the review's settings, case framework (children, household, agencies, period), "
                          "reviewers, practitioners and pseudonyms (see 'review template')")
    new.set_defaults(handler=run_new)
    template = verbs.add_parser(
        "template", help="write a commented example framework file to fill in for 'review new --framework'",
        description="Write a commented example framework file: every field explained, with fictional "
                    "values to replace. An existing file is never overwritten.")
    template.add_argument("path", type=Path, metavar="FRAMEWORK.toml")
    template.set_defaults(handler=run_template)
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
    pseudonym = verbs.add_parser(
        "add-pseudonym", help="add a pseudonym and the real name it stands for to the pseudonym map (audited)")
    pseudonym.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    pseudonym.add_argument("--pseudonym", required=True, metavar="TEXT", help="such as 'Child W' or 'Mother (Ms K)'")
    pseudonym.add_argument("--real", required=True, metavar="TEXT",
                           help="the real name; it stays in the review database and is never exported")
    pseudonym.add_argument("--category", default="family", metavar="TEXT",
                           help="'child', 'family' (the default) or another word the team uses")
    pseudonym.set_defaults(handler=run_add_pseudonym)
    member = verbs.add_parser(
        "add-household-member", help="add a household member (or, with --child, a child) to the case "
                                     "framework, by pseudonym (audited)")
    member.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    member.add_argument("--pseudonym", required=True, metavar="TEXT")
    member.add_argument("--relationship", default="", metavar="TEXT", help="such as 'mother's partner'")
    member.add_argument("--child", action="store_true", help="add to the children the review is about")
    member.set_defaults(handler=run_add_household_member)
    reviewer = verbs.add_parser("add-reviewer", help="add a reviewer to the review team (audited)")
    reviewer.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    reviewer.add_argument("--name", required=True, metavar="TEXT")
    reviewer.add_argument("--role", default="Lead reviewer", metavar="TEXT",
                          help="the default is 'Lead reviewer'")
    reviewer.set_defaults(handler=run_add_reviewer)
    structure = verbs.add_parser(
        "structure", help="write out the review's own copy of the method files, or adopt an edited copy")
    structure.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    action = structure.add_mutually_exclusive_group(required=True)
    action.add_argument("--export", type=Path, metavar="FOLDER", help="write the review's copy to a new folder")
    action.add_argument("--adopt", type=Path, metavar="FOLDER",
                        help="validate an edited copy and make it the review's structure (new revision)")
    structure.set_defaults(handler=run_structure)


def _wrapped(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 78, break_on_hyphens=False)


def run_new(args: argparse.Namespace) -> int:
    from lt_interview.review.setup import create_review

    store = create_review(args.path, passphrase(new=True), name=args.name, framework=args.framework)
    store.close()
    remember(args.path)
    print(f"Created review {args.path}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    from lt_interview.review.framework_template import write_template

    path = write_template(args.path)
    print(f"Wrote {path}: fill it in, then 'lt-interview review new REVIEW.ltr --framework {path}'")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from lt_interview.review.summary import render_summary, summarise

    from datetime import date

    from lt_interview.review.purge import retention_warning

    with open_store(args.path, REVIEW) as store:
        summary = summarise(store)
        print(render_summary(summary))
        warning = retention_warning(summary.review, date.today())
        if warning:
            print(f"Note: {warning}")
    return 0


def run_structure(args: argparse.Namespace) -> int:
    from lt_interview.review.structure_copy import adopt_structure, export_structure

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
    from lt_interview.review.settings import change_settings, wanted_changes

    on_off = {"on": True, "off": False, None: None}
    changes = wanted_changes({
        "retain_until": args.retain_until, "legal_hold": on_off[args.legal_hold],
        "blind_mode": on_off[args.blind_mode],
        **{name: getattr(args, name)
           for name in ("guiding_question", "lawful_basis", "review_type", "variant", "commissioner_term")},
    })
    with open_store(args.path, REVIEW) as store:
        change_settings(store, changes)
    print("Updated: " + ", ".join(f"{k.replace('_', ' ')} = {v}" for k, v in changes.items()))
    return 0


def run_person(args: argparse.Namespace) -> int:
    from lt_interview.review.practitioners import describe, register_or_update

    yes_no = {"yes": True, "no": False, None: None}
    with open_store(args.path, REVIEW) as store:
        store.refuse_if_purged()
        _, practitioner, new = register_or_update(
            store, args.name, role=args.role, agency=args.agency, information_sent=yes_no[args.information_sent],
            consent=yes_no[args.consent], support_needs=args.support_needs,
            participant_type="family member" if args.family else None)
    print(("Registered " if new else "Updated ") + describe(practitioner))
    return 0


PACK_AGAIN = ("Conversation files packed from now on carry it; files already packed keep what they had")


def run_add_pseudonym(args: argparse.Namespace) -> int:
    from lt_interview.review.additions import add_pseudonym_entry, records_naming

    with open_store(args.path, REVIEW) as store:
        pseudonym = add_pseudonym_entry(store, args.pseudonym, args.real, args.category)
        holding = records_naming(store, args.real)
    print(f"Added the pseudonym '{pseudonym}'; exports now refuse the real name. "
          f"{PACK_AGAIN} (merge, analysis and exports check the review's own map).")
    if holding:
        print(f"Note: {holding} record(s) already in this review hold that real name; exports are refused "
              f"until it is replaced with '{pseudonym}' where it appears.")
    return 0


def run_add_household_member(args: argparse.Namespace) -> int:
    from lt_interview.review.additions import add_household_member

    with open_store(args.path, REVIEW) as store:
        member = add_household_member(store, args.pseudonym, args.relationship, child=args.child)
    where = "children" if args.child else "household"
    print(f"Added '{member.pseudonym}' to the case framework's {where}. {PACK_AGAIN}.")
    return 0


def run_add_reviewer(args: argparse.Namespace) -> int:
    from lt_interview.review.additions import add_reviewer

    with open_store(args.path, REVIEW) as store:
        _, reviewer = add_reviewer(store, args.name, args.role)
    print(f"Added the reviewer {reviewer.name} ({reviewer.role}). {PACK_AGAIN}.")
    return 0
