"""`lt-interview case-group handout|report-check|show`: the case group's part in the review.

- `handout REVIEW.ltr --meeting first|second -o DIR`: a handout for a joint meeting with the case
  group, made from the analysis; listed on that meeting's record when one is recorded.
- `report-check REVIEW.ltr --sent DATE ...`: the case group's check of the draft report (a new
  record with --sent; otherwise the latest one is updated).
- `show REVIEW.ltr`: the case-group meetings, the checks of the draft report and the family's
  involvement, in one list.
"""

from __future__ import annotations

import argparse

from lt_interview.commands._common import existing_file, open_store, output_folder
from lt_interview.storage.kinds import REVIEW

OUTCOMES = ("awaiting", "agreed", "agreed_with_changes", "disagreement_recorded")


def _date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value}: not a date (use YYYY-MM-DD)") from None


def register(subparsers) -> None:
    parser = subparsers.add_parser("case-group", help="handouts for the case-group meetings, the case group's "
                                                      "check of the draft report, and what is recorded")
    verbs = parser.add_subparsers(dest="case_group_verb", metavar="ACTION", required=True)
    handout = verbs.add_parser("handout", help="write a handout for a meeting with the case group from the analysis")
    handout.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    handout.add_argument("--meeting", required=True, choices=("first", "second"),
                         help="first: the story of the case and KPEs; second: the typology and draft findings")
    handout.add_argument("-o", "--output", required=True, type=output_folder, metavar="DIR")
    handout.add_argument("--format", dest="fmt", choices=("docx", "md", "html"), default="docx")
    handout.set_defaults(handler=run_handout)
    check = verbs.add_parser("report-check", help="record the case group's check of the draft report")
    check.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    check.add_argument("--sent", type=_date, metavar="YYYY-MM-DD",
                       help="when the draft went to the case group (records a new check)")
    check.add_argument("--draft", metavar="TEXT", help="which draft, such as 'Draft 2'")
    check.add_argument("--checked-by", metavar="TEXT", help="who checked it, by role or agency (never names)")
    check.add_argument("--comments", metavar="TEXT", help="their comments")
    check.add_argument("--outcome", choices=OUTCOMES)
    check.add_argument("--changes", metavar="TEXT", help="what changed in the report because of it")
    check.set_defaults(handler=run_report_check)
    show = verbs.add_parser("show", help="list the case-group meetings, report checks and family involvement")
    show.add_argument("path", type=existing_file, metavar="REVIEW.ltr")
    show.set_defaults(handler=run_show)


def run_handout(args: argparse.Namespace) -> int:
    from lt_interview.analysis import meetings as meetings_ops
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.export.handout import HANDOUT_MEETINGS, write_handout

    meeting_type = HANDOUT_MEETINGS[args.meeting][0]
    with open_store(args.path, REVIEW) as store:
        model = open_workspace_model(store, scope="agreed")  # only agreed accounts reach a document
        path = write_handout(store, model, args.meeting, args.output, args.fmt)
        recorded = [(mid, m) for mid, m in meetings_ops.list_meetings(store) if m.meeting_type == meeting_type]
        if recorded:
            meeting_id, meeting = recorded[-1]
            meetings_ops.update_meeting(store, meeting_id, handouts=[*meeting.handouts, path.name])
    print(f"Wrote {path}")
    if recorded:
        print(f"Listed on the record of the {HANDOUT_MEETINGS[args.meeting][1]} ({recorded[-1][1].held_on.isoformat()}).")
    else:
        print(f"Note: no {HANDOUT_MEETINGS[args.meeting][1]} is recorded yet; add its handout ({path.name}) "
              "when you record it (lt-interview analyse, Meetings).")
    return 0


def run_report_check(args: argparse.Namespace) -> int:
    from lt_interview.analysis import involvement
    from lt_interview.errors import BadInput

    fields = {"draft": args.draft, "checked_by": args.checked_by, "comments": args.comments,
              "outcome": args.outcome, "changes_made": args.changes}
    fields = {key: value for key, value in fields.items() if value is not None}
    with open_store(args.path, REVIEW) as store:
        store.refuse_if_purged()
        if args.sent is not None:
            check_id = involvement.add_report_check(store, sent_on=args.sent, **fields)
        else:
            checks = involvement.report_checks(store)
            if not checks:
                raise BadInput("no check of the draft report is recorded yet: give --sent YYYY-MM-DD to record one")
            if not fields:
                raise BadInput("nothing to change (see lt-interview case-group report-check --help)")
            check_id = checks[-1][0]
            involvement.update_report_check(store, check_id, **fields)
        check = store.get(check_id).record  # type: ignore[union-attr]
    print(("Recorded " if args.sent is not None else "Updated ") + involvement.describe_check(check))  # type: ignore[arg-type]
    return 0


def run_show(args: argparse.Namespace) -> int:
    from lt_interview.analysis import involvement
    from lt_interview.analysis import meetings as meetings_ops
    from lt_interview.domain.analysis import CASE_GROUP_MEETINGS, MEETING_TYPE_LABELS

    with open_store(args.path, REVIEW) as store:
        meetings = [m for _, m in meetings_ops.list_meetings(store) if m.meeting_type in CASE_GROUP_MEETINGS]
        checks = involvement.report_checks(store)
        family = involvement.family_records(store)
    print("Meetings with the case group:" if meetings else "Meetings with the case group: none recorded yet")
    for meeting in meetings:
        handouts = f"; handouts: {', '.join(meeting.handouts)}" if meeting.handouts else ""
        print(f"  {meeting.held_on.isoformat()} {MEETING_TYPE_LABELS[meeting.meeting_type]}{handouts}")
    print("Checks of the draft report:" if checks else "Checks of the draft report: none recorded yet")
    for _, check in checks:
        print(f"  {involvement.describe_check(check)}")
    print("The family:" if family else "The family: nobody recorded yet (lt-interview family)")
    for _, record in family:
        print(f"  {involvement.describe_family(record)}")
    return 0
