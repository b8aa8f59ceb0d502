"""The review report, drafted in the structure SCIE's Learning Together reports follow:

1. Introduction: why the review, the case in brief (pseudonymised), the period.
2. Methodology: the systems model, who took part (conversations by role, counts), how
   hindsight was limited, how the accounts were checked, the meetings held.
3. Appraisal of practice: the story of the case, then each key practice episode with its
   appraisal and explanation.
4. Findings, grouped by typology category, each with its evidence and questions for the board.
5. The findings table.

Everything comes from the analysis layer (`open_workspace_model`: CaseData, the timeline, the
KPE register, the findings), never from raw notes, so the report reads what the analysis
reads. Practitioners appear by role and the family by pseudonym; the draft is checked for real
names like every export and written (0600, never overwriting) under a temporary name, renamed
only once complete. Markdown or DOCX; the DOCX is A4, British English, with the protective
marking in the header and page numbers in the footer.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lt_interview.analysis.people import the_role
from lt_interview.analysis.workspace import WorkspaceModel
from lt_interview.domain.analysis import APPRAISAL_LABELS, MEETING_TYPE_LABELS, Finding
from lt_interview.domain.dates import show_date
from lt_interview.domain.models import ChronologyUnlock
from lt_interview.domain.lifecycle import Status, at_least
from lt_interview.domain.models import REVIEW_TYPES
from lt_interview.errors import BadInput
from lt_interview.export.docx import MARKING
from lt_interview.export.pack import DRAFT, Bullets, Fields, Heading, Pack, Para, Table, _evidence_text, clean

REPORT_FORMATS = ("docx", "md")
MEETINGS_HELD = {"review_team": "Review-team meetings", "case_group": "Meetings with the case group",
                 "other": "Other meetings"}
MAX_MARKING = 60

SYSTEMS_MODEL = (
    "The review used the Social Care Institute for Excellence's Learning Together systems model "
    "(Fish, Munro and Bairstow, 2008). The model treats the case as a window on the multi-agency "
    "system: it asks not only what happened but why practice made sense to the people involved at "
    "the time, what helped and what hindered them, and which underlying patterns in the wider "
    "system make good practice more or less likely. Good practice is looked for as much as practice "
    "that did not go as intended, and no one is blamed for actions taken in good faith."
)
CONVERSATIONS_METHOD = (
    "The reviewers held one-to-one conversations with the practitioners who worked with the family. "
    "One reviewer led each conversation and the other took notes. Each practitioner gave their own "
    "account, named the episodes that mattered to them and described what influenced their thinking "
    "and actions, what went well and what they would change."
)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _join(items: list[str]) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def check_marking(marking: str) -> str:
    """The protective marking as given, or one clear line saying why not."""
    text = " ".join((marking or "").split())
    if not text:
        raise BadInput("give a protective marking with --marking, such as OFFICIAL-SENSITIVE")
    if len(text) > MAX_MARKING or any(not ch.isprintable() for ch in text):
        raise BadInput(f"the protective marking must be one line of at most {MAX_MARKING} characters")
    return text


# --- building -----------------------------------------------------------------------------------


def build_report(model: WorkspaceModel, *, today: date | None = None, marking: str = MARKING) -> Pack:
    data = model.data
    review = data.review
    title = clean(f"Review report: {review.name}")
    report = Pack(title)
    report.add(Heading(1, title, "the title"))
    report.add(Fields([
        ("Review", REVIEW_TYPES.get(review.review_type, review.review_type)),
        ("Commissioned by", clean(f"the {review.commissioner_term}")),
        ("Status", "Draft for the review team"),
        ("Prepared", show_date(today or date.today())),
        ("Protective marking", marking),
    ], "the review settings"))
    report.add(Para("Pseudonymised: family members are referred to by pseudonym and practitioners by "
                    "their role.", emphasis=True))
    _introduction(report, model)
    _methodology(report, model)
    _appraisal(report, model)
    findings = _numbered_findings(model)
    _findings(report, model, findings)
    _findings_table(report, model, findings)
    return report


def _introduction(report: Pack, model: WorkspaceModel) -> None:
    data = model.data
    review = data.review
    framework = data.framework
    kind = REVIEW_TYPES.get(review.review_type, review.review_type)
    report.add(Heading(2, "1. Introduction"))
    report.add(Heading(3, "1.1 Why this review"))
    report.add(Para(clean(f"This is the draft report of a {kind[0].lower() + kind[1:]} commissioned by the "
                          f"{review.commissioner_term}. Like every Learning Together review, it uses one case "
                          "to learn how the multi-agency system usually works."), "the introduction"))
    if review.guiding_question.strip():
        report.add(Para("The review set out to answer this question:", "the introduction"),
                    Para(clean(review.guiding_question), "the guiding question", emphasis=True))
    else:
        report.add(Para("The review's guiding question has not been recorded yet.", "the introduction"))
    report.add(Heading(3, "1.2 The case in brief"))
    if framework is None:
        report.add(Para("The case framework (the family's pseudonyms, the agencies and the period) has not "
                        "been recorded yet."))
        return
    people = [f"{member.pseudonym} ({member.relationship})" if member.relationship else member.pseudonym
              for member in [*framework.children, *framework.household]]
    if people:
        report.add(Para("The family, by pseudonym:", "the case framework"),
                    Bullets([clean(person) for person in people], "the case framework"))
    if framework.agencies:
        report.add(Para(clean(f"Agencies involved: {_join(list(framework.agencies))}."), "the case framework"))
    start, end = framework.period_start.strip(), framework.period_end.strip()
    if start or end:
        report.add(Para(clean(f"The review looked at the period from {start or 'an unrecorded start'} to "
                              f"{end or 'an unrecorded end'}."), "the case framework"))


def _methodology(report: Pack, model: WorkspaceModel) -> None:
    data = model.data
    report.add(Heading(2, "2. Methodology"))
    report.add(Heading(3, "2.1 The Learning Together systems model"))
    report.add(Para(SYSTEMS_MODEL))

    report.add(Heading(3, "2.2 Who took part"))
    held = {cid: c for cid, c in data.conversations.items() if at_least(c.status, Status.HELD)}
    planned = len(data.conversations) - len(held)
    if not held:
        report.add(Para("No conversations have been held yet."
                        + (f" {_plural(planned, 'conversation is', 'conversations are')} planned." if planned else "")))
    else:
        report.add(Para(CONVERSATIONS_METHOD))
        by_role = Counter(data.labels.get(c.practitioner_id, "Unknown practitioner") for c in held.values())
        agencies = {practitioner.agency for pid, practitioner in data.practitioners
                    if practitioner.agency and pid in {c.practitioner_id for c in held.values()}}
        people = len({c.practitioner_id for c in held.values()})
        report.add(Para(clean(f"{_plural(len(held), 'conversation was', 'conversations were')} held with "
                              f"{_plural(people, 'practitioner')}"
                              + (f" from {_plural(len(agencies), 'agency', 'agencies')}" if agencies else "")
                              + ", by role:"), "the conversations"))
        report.add(Bullets([clean(f"{role}: {_plural(count, 'conversation')}") for role, count in by_role.items()],
                           "the conversations"))
        if planned:
            report.add(Para(f"{_plural(planned, 'further conversation is', 'further conversations are')} "
                            "planned and not yet held."))
    meetings = model.meetings()
    if meetings:
        kinds = Counter(meeting.meeting_type for _, meeting in meetings)
        lines = [f"{MEETINGS_HELD.get(kind, MEETING_TYPE_LABELS.get(kind, kind))}: {count}"
                 for kind, count in kinds.items()]
        report.add(Para("Meetings held to present and test the analysis:"),
                    Bullets(lines))
    family = _family_lines(model)
    if family:
        report.add(Para("How the family were informed about the review and involved in it:"),
                   Bullets(family, "the family's involvement"))
    checks = _report_check_lines(model)
    if checks:
        report.add(Para("The case group's check of the draft report:"), Bullets(checks, "the report checks"))

    report.add(Heading(3, "2.3 How hindsight was limited"))
    report.add(Para(_hindsight_text(model), "the methodology"))
    agreed = sum(1 for c in held.values() if c.status == Status.AGREED)
    if held:
        report.add(Para(
            "After each conversation the notes were typed up and sent to the practitioner to check that "
            "they were accurate and said what they meant; only the version the practitioner agreed is "
            f"treated as settled. {_count_agreed(agreed, len(held))}"))


def _count_agreed(agreed: int, held: int) -> str:
    # The report reads agreed accounts only (scope "agreed"): say what it does not yet draw on.
    waiting = "this draft draws on none of them until {} agreed."
    if agreed == held:
        return f"All {held} accounts have been agreed." if held > 1 else "The account has been agreed."
    if held == 1:
        return "The account has not been agreed yet; " + waiting.format("it is")
    if agreed == 0:
        return f"None of the {held} accounts has been agreed yet; " + waiting.format("they are")
    return (f"{agreed} of the {held} accounts {'has' if agreed == 1 else 'have'} been agreed so far; this draft "
            "draws only on the agreed accounts, and the others will be added once they are agreed.")


def _family_lines(model: WorkspaceModel) -> list[str]:
    from lt_interview.analysis.involvement import family_records
    from lt_interview.domain.involvement import TOOK_PART_LABELS

    lines = []
    for _, record in family_records(model.store):
        told = (f"informed on {show_date(record.informed_on)}" + (f" ({record.informed_how})" if record.informed_how else "")
                if record.informed_on else "not yet informed")
        part = TOOK_PART_LABELS[record.took_part].lower() + (f" ({record.how_took_part})" if record.how_took_part else "")
        lines.append(clean(f"{record.member}: {told}; {part}" + ("; their views are recorded" if record.views else "")))
    return lines


def _report_check_lines(model: WorkspaceModel) -> list[str]:
    from lt_interview.analysis.involvement import report_checks
    from lt_interview.domain.involvement import REPORT_OUTCOME_LABELS

    return [clean(f"{check.draft or 'The draft report'} sent on {show_date(check.sent_on)}"
                  + (f", checked by {check.checked_by}" if check.checked_by else "")
                  + f": {REPORT_OUTCOME_LABELS[check.outcome].lower()}")
            for _, check in report_checks(model.store)]


def _hindsight_text(model: WorkspaceModel) -> str:
    data = model.data
    if not data.review.blind_mode:
        return ("Blind mode was off for this review, so the reviewers could see the agency chronology "
                "during the conversations. Knowing the outcome makes early signs look obvious and decisions "
                "look worse; the analysis asks of each episode what could reasonably be seen and expected at "
                "the time, not what is known now.")
    text = ("The reviewers held the conversations without reading the agency chronology or the other "
            "practitioners' accounts beforehand, so that knowing what happened later did not colour what "
            "they heard. ")
    unlocks = _unlock_dates(model)
    if unlocks:
        text += (f"A reviewer unlocked the chronology for the analysis on {show_date(unlocks[0])}, with a "
                 "recorded reason, before every account was agreed. ")
    elif data.chronology_visible:
        text += "The chronology was shown only in the analysis, once every account had been agreed. "
    else:
        text += "The chronology stays out of sight until every account is agreed. "
    return text + ("Each key practice episode is appraised against what could reasonably be expected at "
                   "the time, with the standard referred to, not against the outcome.")


def _unlock_dates(model: WorkspaceModel) -> list[date]:
    """When reviewers unlocked the chronology early (recorded decisions, oldest first)."""
    from lt_interview.analysis.loader import load

    found = []
    for item in load(model.store, ChronologyUnlock.kind):
        try:
            found.append(date.fromisoformat(item.created_at[:10]))
        except ValueError:
            continue
    return sorted(found)


def _appraisal(report: Pack, model: WorkspaceModel) -> None:
    report.add(Heading(2, "3. Appraisal of practice"))
    report.add(Heading(3, "3.1 The story of the case"))
    items = [item for item in model.timeline.items if item.source == "episode"]
    if not items:
        report.add(Para("No practitioner has described an episode yet."))
    else:
        report.add(Para("The episodes the practitioners described, in the order the review places them. "
                        "Each is told as the practitioner saw it at the time; where accounts of the same "
                        "events differ, both are kept."))
        report.add(Bullets([clean(f"{_when(item)}: {item.title} (as {the_role(item.who)} "
                                  f"recalled it{'; ' + DRAFT if item.draft else ''})") for item in items],
                           "the story of the case"))
        noted = [d for d in model.timeline.divergences if d.kind in ("noted", "linked")]
        if noted:
            report.add(Para("Where accounts differ:"))
            report.add(Bullets([clean(_divergence_line(model, d)) for d in noted], "the divergences"))

    report.add(Heading(3, "3.2 Key practice episodes"))
    _kpes(report, model)


def _when(item) -> str:
    """The practitioner's words, except that an exact day is written as every date in the report."""
    if item.date.known and item.date.precision == "day" and item.date.start:
        return show_date(item.date.start)
    return item.when_text or "No date given"


def _divergence_line(model: WorkspaceModel, divergence) -> str:
    if divergence.kind == "noted":
        return divergence.title + (f" ({DRAFT})" if divergence.draft else "")
    seen = [f"{item.who}: '{item.title}'" + (f" ({DRAFT})" if item.draft else "")
            for item in model.timeline.side_by_side(divergence.item_ids)]
    return divergence.title + (f" ({'; '.join(seen)})" if seen else "")


def _kpes(report: Pack, model: WorkspaceModel) -> None:
    data = model.data
    kpes = model.kpes()
    if not kpes:
        report.add(Para("The review team has not yet selected any key practice episodes."))
        return
    report.add(Para("Key practice episodes are the episodes the review team selected because they mattered to "
                    "how the case developed or was handled. Each is appraised against what could reasonably "
                    "be expected at the time, and explained by what made that practice likely."))
    factors, biases, categories = model.factor_labels(), model.bias_labels(), model.category_labels()
    rows = []
    for kpe_id, kpe in kpes:
        where = f"key practice episode {kpe.number}"
        report.add(Heading(4, clean(f"KPE {kpe.number}: {kpe.title}"), where))
        involved = ", ".join(data.labels.get(pid, "Unknown practitioner") for pid in kpe.practitioner_ids)
        appraisal = APPRAISAL_LABELS.get(kpe.appraisal or "", "Not yet appraised")
        mapped = [categories.get(m.category_id, m.category_id) for _, m in model.mappings(kpe_id)]
        pairs = [
            ("Period", clean(kpe.period)), ("Who was involved", clean(involved)),
            ("What happened", clean(kpe.description)),
            ("Appraisal", appraisal), ("Why", clean(kpe.appraisal_rationale)),
            ("Standard referred to", clean(kpe.standard)),
            ("Explanation", clean(kpe.explanation)),
            ("Contributory factors", clean("; ".join(factors.get(fid, fid) for fid in kpe.factor_ids))),
            ("Patterns of reasoning in the explanation",
             clean("; ".join(biases.get(b, b) for b in kpe.bias_ids))),
            ("Underlying patterns", clean("; ".join(mapped))),
        ]
        report.add(Fields([(label, value) for label, value in pairs if value], where))
        evidence = [_evidence_text(model, item) for item in kpe.evidence]
        if evidence:
            report.add(Para("Evidence:", where), Bullets(evidence, where))
        rows.append([str(kpe.number), clean(kpe.title), clean(kpe.period), appraisal])
    report.add(Para("The appraisals at a glance:"),
               Table("kpe-appraisals", ["KPE", "Episode", "Period", "Appraisal"], rows, "the KPE register"))


@dataclass
class _Finding:
    number: int
    finding: Finding
    categories: list[str]  # labels, in the finding's order


def _numbered_findings(model: WorkspaceModel) -> list[_Finding]:
    labels = model.category_labels()
    return [_Finding(index, finding, [labels.get(c, c) for c in finding.category_ids])
            for index, (_, finding) in enumerate(model.findings(), start=1)]


def _findings(report: Pack, model: WorkspaceModel, findings: list[_Finding]) -> None:
    data = model.data
    term = clean(data.review.commissioner_term)
    report.add(Heading(2, "4. Findings"))
    if not findings:
        report.add(Para(f"The review team has not drafted any findings yet, so this draft has no findings "
                        f"or questions for the {term}."))
        return
    report.add(Para("Each finding is an underlying pattern in the multi-agency system that showed in this case "
                    "and reaches beyond it. They are grouped by the six-part typology of underlying patterns "
                    f"(SCIE, 2008, Appendix 6), in order of priority, and each ends with questions for the {term}."))
    numbers = {kpe_id: kpe.number for kpe_id, kpe in model.kpes()}
    titles = {kpe_id: kpe.title for kpe_id, kpe in model.kpes()}
    groups: list[tuple[str, str, list[_Finding]]] = []
    for category in data.structure.typology.category:
        chosen = [f for f in findings if f.finding.category_ids and f.finding.category_ids[0] == category.id]
        if chosen:
            groups.append((category.label, category.description, chosen))
    known = {category.id for category in data.structure.typology.category}
    loose = [f for f in findings if not f.finding.category_ids or f.finding.category_ids[0] not in known]
    if loose:
        groups.append(("Not yet placed in a typology category", "", loose))
    for index, (title, description, chosen) in enumerate(groups, start=1):
        report.add(Heading(3, clean(f"4.{index} {title}")))
        if description:
            report.add(Para(clean(description), emphasis=True))
        for item in chosen:
            finding = item.finding
            where = f"finding {item.number}"
            report.add(Heading(4, clean(f"Finding {item.number}: {finding.title}"), where))
            linked = "; ".join(f"KPE {numbers[k]}: {titles[k]}" for k in finding.kpe_ids if k in numbers)
            pairs = [
                ("Summary", clean(finding.summary)),
                ("How it showed in this case", clean(finding.how_it_showed)),
                ("Key practice episodes", clean(linked)),
                ("Why it is not a one-off", clean(finding.why_not_one_off)),
                ("Why it matters", clean(finding.why_it_matters)),
                ("Also relates to", clean("; ".join(item.categories[1:]))),
            ]
            report.add(Fields([(label, value) for label, value in pairs if value], where))
            evidence = [_evidence_text(model, entry) for entry in finding.evidence]
            if evidence:
                report.add(Para("Evidence:", where), Bullets(evidence, where))
            questions = [clean(q) for q in finding.board_questions if q.strip()]
            report.add(Para(f"Questions for the {term}:", where))
            report.add(Bullets(questions, where) if questions else Para("None written yet.", where))


def _findings_table(report: Pack, model: WorkspaceModel, findings: list[_Finding]) -> None:
    term = clean(model.data.review.commissioner_term)
    report.add(Heading(2, "5. Findings table"))
    if not findings:
        report.add(Para("There are no findings to tabulate yet."))
        return
    rows = [[str(item.number), clean(item.finding.title), clean("; ".join(item.categories)) or "Not yet placed",
             clean("\n".join(q for q in item.finding.board_questions if q.strip())) or "None written yet"]
            for item in findings]
    report.add(Table("findings", ["No.", "Finding", "Typology category", f"Questions for the {term}"],
                     rows, "the findings table"))


# --- rendering and writing ------------------------------------------------------------------------


def render(report: Pack, fmt: str, marking: str) -> bytes:
    if fmt == "docx":
        from lt_interview.export import docx

        return docx.render(report, marking=marking, comments="Pseudonymised draft report")
    from lt_interview.export import markdown

    line = f"**{markdown.escape(marking)}**"
    return "\n".join([line, "", markdown.render(report), line, ""]).encode("utf-8")


def write_report(store, out_dir: Path, fmt: str = "docx", *, marking: str = MARKING, model=None,
                 today: date | None = None) -> Path:
    """Draft the report in `fmt` into `out_dir`; return the file written. Nothing is written if
    a real name appears (BadInput, one line) or the file cannot be completed."""
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.export import _zip_texts, guard, names

    if fmt not in REPORT_FORMATS:
        raise BadInput(f"unknown report format '{fmt}' (choose from {', '.join(REPORT_FORMATS)})")
    marking = check_marking(marking)
    out_dir = Path(out_dir).expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInput(f"{out_dir}: not a folder")
    model = model or open_workspace_model(store, scope="agreed")  # only agreed accounts reach a document
    report = build_report(model, today=today, marking=marking)
    digests = guard.guard_digests(store)
    guard.check_texts(store, report.texts(), digests, refused="report refused", fix=guard.FIX_REPORT)
    data = render(report, fmt, marking)
    rendered = _zip_texts(data) if fmt == "docx" else [guard.plain_of_markup(data.decode("utf-8"))]
    guard.check_texts(store, [(text, f"the {fmt} report") for text in rendered], digests,
                      refused="report refused", fix=guard.FIX_REPORT)
    made_folder = not out_dir.exists()
    out_dir = names.output_folder(out_dir)
    try:
        path = _write_then_rename(out_dir, f"{model.data.review.slug} review report", f".{fmt}", data)
    except BaseException:
        if made_folder:
            try:
                out_dir.rmdir()  # only if empty: the folder made for this report
            except OSError:
                pass
        raise
    store.audit("report", detail={"format": fmt})
    return path


def _write_then_rename(out_dir: Path, title: str, suffix: str, data: bytes) -> Path:
    """Write under a hidden temporary name (0600, created new, never through a link), flush it
    to disc, then give it its real name: a report is never seen half written."""
    from lt_interview.export import names

    final = names.confined(out_dir, names.safe_name(title, suffix))
    temporary = names.confined(out_dir, f".{final.name}.part")
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except OSError as exc:
        raise BadInput(f"{temporary}: cannot be created ({exc.strerror})") from None
    try:
        names.make_private(temporary)  # on Windows, an owner-only list (platform.py)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if final.exists() or final.is_symlink():
            raise BadInput(f"{final}: already exists; nothing was overwritten")
        os.rename(temporary, final)
    except OSError as exc:
        raise BadInput(f"{final}: could not be written ({exc.strerror})") from None
    finally:
        temporary.unlink(missing_ok=True)
    return final
