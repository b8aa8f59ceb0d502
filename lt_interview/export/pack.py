"""The analysis pack as format-neutral blocks: where each account stands, the story of the case
by perspective, the KPE register, the factor matrix, the draft findings and the meetings held.
Built from each practitioner's agreed account (analysis/accounts.py); accounts not yet agreed
are left out unless the export asks for drafts, and then each is marked. The raw notes and the
reviewers' working notes are never read. Pseudonymised: practitioners appear by role only, and
nothing from the pseudonym map is read. Renderers (markdown, html, docx, csv) turn the blocks
into files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Union

from lt_interview.analysis.people import the_role
from lt_interview.analysis.workspace import WorkspaceModel
from lt_interview.domain.analysis import APPRAISAL_LABELS, EVIDENCE_LABELS, MEETING_TYPE_LABELS, Evidence
from lt_interview.domain.dates import show_date
from lt_interview.domain.episode_fields import RECALLED
from lt_interview.domain.models import Episode

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")

DRAFT = "draft: account not yet agreed"


def clean(text: object) -> str:
    """Text safe for every output format (XML forbids a few code points the sanitiser keeps)."""
    return _NOT_XML.sub("", "" if text is None else str(text))


@dataclass
class Heading:
    level: int
    text: str
    where: str = ""


@dataclass
class Para:
    text: str
    where: str = ""
    emphasis: bool = False


@dataclass
class Fields:
    """Label: value pairs."""

    pairs: list[tuple[str, str]]
    where: str = ""


@dataclass
class Bullets:
    items: list[str]
    where: str = ""


@dataclass
class Table:
    name: str  # also the CSV file's part name
    header: list[str]
    rows: list[list[str]]
    where: str = ""


Block = Union[Heading, Para, Fields, Bullets, Table]


@dataclass
class Pack:
    title: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # the CSV export's tables

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def texts(self) -> list[tuple[str, str]]:
        """Every string in the pack with where it comes from (for the name guard)."""
        found: list[tuple[str, str]] = [(self.title, "the title")]
        for block in self.blocks + list(self.tables):
            where = block.where or "the pack"
            if isinstance(block, (Heading, Para)):
                found.append((block.text, where))
            elif isinstance(block, Fields):
                found += [(f"{label} {value}", where) for label, value in block.pairs]
            elif isinstance(block, Bullets):
                found += [(item, where) for item in block.items]
            elif isinstance(block, Table):
                found += [(" ".join(block.header), where)]
                found += [(" ".join(row), where) for row in block.rows]
        return found


def _evidence_text(model: WorkspaceModel, item: Evidence) -> str:
    data = model.data
    label = EVIDENCE_LABELS.get(item.kind, item.kind)
    ref = ""
    if item.ref_id:
        episode = data.episode(item.ref_id)
        if episode is not None:
            ref = f"{data.label_of_conversation(episode.conversation_id)}, '{episode.record.title}'"  # type: ignore[attr-defined]
            if data.is_draft(episode.conversation_id):
                ref += f" ({data.account_label(episode.conversation_id)})"
        elif item.kind == "episode":
            ref = "an episode from an account not yet agreed, left out of this pack"
        elif item.kind == "chronology":
            entry = next((e for e in data.chronology if e.record_id == item.ref_id), None)
            ref = f"{entry.record.when_text or show_date(entry.record.when)} {entry.record.agency}: {entry.record.event}" if entry else "chronology entry (hidden)"  # type: ignore[attr-defined]
        elif item.kind in ("note", "excerpt"):
            # Only where the excerpt came from: the notes' own text never reaches an export.
            note = data.store.get(item.ref_id)
            conversation_id = getattr(note.record, "conversation_id", None) if note is not None else None
            if conversation_id in data.conversations:
                ref = f"notes of the conversation with {the_role(data.label_of_conversation(conversation_id))}"
                if data.is_draft(conversation_id):
                    ref += f" ({DRAFT})"
    parts = [label + (f" ({ref})" if ref else "")]
    if item.excerpt:
        parts.append(f"“{item.excerpt}”")
    return clean(": ".join(parts))


def build_pack(model: WorkspaceModel, *, today: date | None = None) -> Pack:
    data = model.data
    review = data.review
    title = clean(f"Analysis pack: {review.name}")
    pack = Pack(title)
    pack.add(Heading(1, title, "the title"))
    drafts = data.scope != "agreed"
    pack.add(Para("Pseudonymised working paper for the review team. Practitioners are named by role. "
                  "Built from each practitioner's agreed account; " + (
                      "accounts not yet agreed are included as drafts, each marked." if drafts else
                      "accounts not yet agreed are left out."), emphasis=True))
    framework = data.framework
    overview = [("Review type", review.review_type), ("Guiding question", clean(review.guiding_question))]
    if framework:
        overview.append(("Review period", clean(f"{framework.period_start or '?'} to {framework.period_end or '?'}")))
    overview.append(("Prepared", show_date(today or date.today())))
    pack.add(Fields(overview, "the review settings"))

    _accounts(pack, model)
    _story(pack, model)
    _kpes(pack, model)
    _matrix(pack, model)
    _findings(pack, model, review.commissioner_term)
    _meetings(pack, model)
    return pack


def _accounts(pack: Pack, model: WorkspaceModel) -> None:
    """Where each conversation's account stands, and whether it is in this pack."""
    data = model.data
    pack.add(Heading(2, "The accounts in this pack"))
    rows = []
    for conversation_id, conversation in data.conversations.items():
        who = clean(data.label_of_conversation(conversation_id))
        source = data.accounts.get(conversation_id)
        if source is not None:
            rows.append([who, clean(source.label), "included" if source.agreed else "included, marked as a draft"])
        else:
            rows.append([who, clean(conversation.status.label), "left out: not yet agreed"])
    table = Table("accounts", ["Perspective", "Account", "In this pack"], rows, "the accounts")
    pack.add(table)
    pack.tables.append(table)


def _conversations_of(data, lane_key: str) -> list[str]:
    practitioner_id = lane_key.removeprefix("practitioner:")
    return [cid for cid, conversation in data.conversations.items()
            if conversation.practitioner_id == practitioner_id and cid in data.accounts]


def _sections(pack: Pack, model: WorkspaceModel, lane_key: str, where: str, part: str) -> None:
    """The overview (part "overview") or what went well and the suggested changes (part
    "items") of the accounts behind one perspective."""
    data = model.data
    for conversation_id in _conversations_of(data, lane_key):
        source = data.accounts[conversation_id]
        status = f" ({source.label})" if not source.agreed else ""
        account = source.account
        if part == "overview":
            if account.overview.strip():
                pack.add(Para(clean(f"Overview in their own words{status}:"), where),
                         Para(clean(account.overview), where))
            quotes = [clean(f"“{quote.text}”") for quote in account.overview_quotes if quote.text.strip()]
            if quotes:
                pack.add(Para(clean(f"In their words{status}:"), where), Bullets(quotes, where))
            continue
        for title, items in (("What went well", account.went_well), ("Suggested changes", account.changes)):
            texts = [clean(item.text) for item in items if item.text.strip()]
            if texts:
                pack.add(Para(clean(f"{title}{status}:"), where), Bullets(texts, where))


def _story(pack: Pack, model: WorkspaceModel) -> None:
    timeline = model.timeline
    data = model.data
    pack.add(Heading(2, "Story of the case: perspectives"))
    story_rows: list[list[str]] = []
    for lane in timeline.lanes:
        if lane.kind == "chronology":
            continue
        where = f"the story of the case ({lane.label})"
        pack.add(Heading(3, clean(f"As {the_role(lane.label)} saw it"), where))
        _sections(pack, model, lane.key, where, "overview")
        if not lane.items:
            pack.add(Para("No episodes in an agreed account yet." if data.scope == "agreed"
                          else "No episodes recorded yet.", where))
        for item in lane.items:
            episode: Episode = item.episode  # type: ignore[assignment]
            status = f" ({data.account_label(item.conversation_id)})" if item.draft else ""
            pack.add(Heading(4, clean(f"{item.title}{status}"), where))
            pairs = [("When", clean(item.when_text or "no date given") + (
                f" (about {item.date.label()})" if item.date.known and item.date.precision != "day" else ""))]
            pairs += [(recalled.label, clean(getattr(episode, recalled.name))) for recalled in RECALLED
                      if getattr(episode, recalled.name)]
            pack.add(Fields(pairs, where))
            factors = [f"{_heading_title(data, tag.heading_id)}" + (f": {tag.item}" if tag.item else "")
                       + (f": {tag.text}" if tag.text else "")
                       for tag in _factors_of(data, item.item_id)]
            if factors:
                pack.add(Para("Contributory factors:", where), Bullets([clean(f) for f in factors], where))
            # captures["quote"] holds Quote records; Loaded types its record as any Record
            quotes = [clean(f"“{loaded.record.text}”") for loaded in data.captures["quote"]  # type: ignore[attr-defined]
                      if loaded.record.episode_id == item.item_id]  # type: ignore[attr-defined]
            if quotes:
                pack.add(Para("In their words:", where), Bullets(quotes, where))
            story_rows.append([
                clean(item.who), "draft" if item.draft else "agreed", clean(item.title), clean(item.when_text),
                item.date.start.isoformat() if item.date.start else "",
                item.date.end.isoformat() if item.date.end else "", item.placed_by,
                *[clean(getattr(episode, recalled.name)) for recalled in RECALLED], clean("; ".join(factors)),
            ])
        _sections(pack, model, lane.key, where, "items")
    pack.tables.append(Table("story", ["Perspective", "Account", "Episode", "When (their words)", "About from",
                                       "About to", "Placed by", *[recalled.label for recalled in RECALLED],
                                       "Contributory factors"],
                             story_rows, "the story of the case"))
    if timeline.divergences:
        pack.add(Heading(3, "Where accounts differ"))
        rows = []
        for divergence in timeline.divergences:
            where = "the divergences"
            pack.add(Heading(4, clean(divergence.title), where))
            items = []
            if divergence.kind == "noted":
                status = f" ({DRAFT})" if divergence.draft else ""
                differs = f", differs from {divergence.differs_from}" if divergence.differs_from else ""
                items.append(clean(f"Noted in the conversation with {the_role(divergence.who[0])}{status}{differs}: "
                                   f"{divergence.note}"))
                rows.append([clean(divergence.title), clean(divergence.who[0]), "", "",
                             "draft" if divergence.draft else "agreed"])
            for item in timeline.side_by_side(divergence.item_ids):
                status = f" ({DRAFT})" if item.draft else ""
                shown = item.episode
                gist = clean(shown.thought or shown.knew or shown.did) if shown else ""
                items.append(clean(f"{item.who}{status}: '{item.title}', {item.when_text or 'no date given'}"
                                   + (f". {gist}" if gist else "")))
                rows.append([clean(divergence.title), clean(item.who), clean(item.title), clean(item.when_text),
                             "draft" if item.draft else "agreed"])
            pack.add(Bullets(items, where))
        pack.tables.append(Table("divergences", ["Divergence", "Perspective", "Episode", "When", "Account"],
                                 rows, "the divergences"))
    if timeline.chronology_shown:
        entries = [item for item in timeline.items if item.source == "chronology"]
        if entries:
            pack.add(Heading(3, "Agency chronology"))
            pack.add(Table("chronology", ["Date", "Agency", "Event"],
                           [[show_date(item.sort_date) if item.sort_date else item.when_text, clean(item.who),
                             clean(item.title)] for item in entries],
                           "the chronology"))


def _factors_of(data, episode_id: str) -> list:
    return [loaded.record for loaded in data.factors if loaded.record.episode_id == episode_id]


def _heading_title(data, heading_id: str) -> str:
    try:
        return data.structure.heading(heading_id).title
    except KeyError:
        return heading_id.replace("_", " ").capitalize()


def _kpes(pack: Pack, model: WorkspaceModel) -> None:
    data = model.data
    factors, biases, categories = model.factor_labels(), model.bias_labels(), model.category_labels()
    pack.add(Heading(2, "Key practice episodes"))
    kpes = model.kpes()
    rows = []
    if not kpes:
        pack.add(Para("No key practice episodes registered yet."))
    for kpe_id, kpe in kpes:
        where = f"key practice episode {kpe.number}"
        pack.add(Heading(3, clean(f"KPE {kpe.number}: {kpe.title}"), where))
        involved = ", ".join(data.labels.get(pid, "Unknown practitioner") for pid in kpe.practitioner_ids)
        mapped = [(categories.get(m.category_id, m.category_id), m.rationale) for _, m in model.mappings(kpe_id)]
        pairs = [
            ("Period", clean(kpe.period)), ("Description", clean(kpe.description)),
            ("Who was involved", clean(involved)),
            ("Appraisal", APPRAISAL_LABELS.get(kpe.appraisal or "", "Not yet appraised")),
            ("Rationale", clean(kpe.appraisal_rationale)), ("Standard referred to", clean(kpe.standard)),
            ("Explanation", clean(kpe.explanation)),
            ("Contributory factors", clean("; ".join(factors.get(fid, fid) for fid in kpe.factor_ids))),
            ("Reasoning-bias tags on the explanation", clean("; ".join(biases.get(b, b) for b in kpe.bias_ids))),
            ("Underlying patterns", clean("; ".join(f"{label}" + (f" ({why})" if why else "") for label, why in mapped))),
        ]
        pack.add(Fields([(label, value) for label, value in pairs if value], where))
        evidence = [_evidence_text(model, item) for item in kpe.evidence]
        if evidence:
            pack.add(Para("Evidence:", where), Bullets(evidence, where))
        rows.append([str(kpe.number), clean(kpe.title), clean(kpe.period), clean(kpe.description), clean(involved),
                     APPRAISAL_LABELS.get(kpe.appraisal or "", ""), clean(kpe.appraisal_rationale),
                     clean(kpe.standard), clean(kpe.explanation),
                     clean("; ".join(factors.get(fid, fid) for fid in kpe.factor_ids)),
                     clean("; ".join(biases.get(b, b) for b in kpe.bias_ids)),
                     clean("; ".join(label for label, _ in mapped)), clean(" | ".join(evidence))])
    pack.tables.append(Table("kpe-register", [
        "Number", "Title", "Period", "Description", "Who was involved", "Appraisal", "Rationale",
        "Standard referred to", "Explanation", "Contributory factors", "Reasoning-bias tags",
        "Underlying patterns", "Evidence"], rows, "the KPE register"))


def _matrix(pack: Pack, model: WorkspaceModel) -> None:
    matrix = model.matrix
    pack.add(Heading(2, "Contributory factors"))
    header = ["Heading", *[clean(label) for _, label in matrix.practitioners], "Total"]
    rows = []
    for heading_id, title in matrix.headings:
        counts = [matrix.count(heading_id, pid) for pid, _ in matrix.practitioners]
        rows.append([clean(title), *[str(n) for n in counts], str(matrix.heading_total(heading_id))])
    table = Table("factor-matrix", header, rows, "the factor matrix")
    scope = ", drafts included)." if model.data.scope != "agreed" else ", agreed accounts only)."
    pack.add(Para("How often each heading was raised, by perspective (counts of the contributory factors "
                  "in the accounts in this pack" + scope), table)
    pack.tables.append(table)


def _findings(pack: Pack, model: WorkspaceModel, commissioner_term: str) -> None:
    data = model.data
    numbers = {kpe_id: kpe.number for kpe_id, kpe in model.kpes()}
    titles = {kpe_id: kpe.title for kpe_id, kpe in model.kpes()}
    categories = model.category_labels()
    pack.add(Heading(2, "Draft findings"))
    findings = model.findings()
    rows = []
    if not findings:
        pack.add(Para("No findings drafted yet."))
    for index, (_, finding) in enumerate(findings, start=1):
        where = f"finding {index}"
        pack.add(Heading(3, clean(f"Finding {index}: {finding.title}"), where))
        linked = "; ".join(f"KPE {numbers[k]}: {titles[k]}" for k in finding.kpe_ids if k in numbers)
        pairs = [
            ("Priority", str(finding.priority) if finding.priority else "Not yet prioritised"),
            ("Underlying pattern", clean("; ".join(categories.get(c, c) for c in finding.category_ids))),
            ("Summary", clean(finding.summary)),
            ("How it showed in this case", clean(finding.how_it_showed)),
            ("Key practice episodes", clean(linked)),
            ("Why it is not a one-off", clean(finding.why_not_one_off)),
            ("Why it matters", clean(finding.why_it_matters)),
        ]
        pack.add(Fields([(label, value) for label, value in pairs if value], where))
        evidence = [_evidence_text(model, item) for item in finding.evidence]
        if evidence:
            pack.add(Para("Evidence:", where), Bullets(evidence, where))
        questions = [clean(q) for q in finding.board_questions if q.strip()]
        if questions:
            pack.add(Para(clean(f"Questions for the {commissioner_term}:"), where), Bullets(questions, where))
        rows.append([str(index), clean(finding.title), str(finding.priority or ""),
                     clean("; ".join(categories.get(c, c) for c in finding.category_ids)), clean(finding.summary),
                     clean(finding.how_it_showed), clean(linked), clean(finding.why_not_one_off),
                     clean(finding.why_it_matters), clean(" | ".join(questions)), clean(" | ".join(evidence))])
    pack.tables.append(Table("findings", [
        "Finding", "Statement", "Priority", "Underlying pattern", "Summary", "How it showed in this case",
        "Key practice episodes", "Why it is not a one-off", "Why it matters",
        f"Questions for the {clean(commissioner_term)}", "Evidence"], rows, "the draft findings"))
    del data


def _meetings(pack: Pack, model: WorkspaceModel) -> None:
    pack.add(Heading(2, "Meetings"))
    meetings = model.meetings()
    rows = []
    if not meetings:
        pack.add(Para("No meetings recorded yet."))
    for index, (_, meeting) in enumerate(meetings, start=1):
        where = f"meeting {index}"
        kind = MEETING_TYPE_LABELS.get(meeting.meeting_type, meeting.meeting_type)
        pack.add(Heading(3, clean(f"{show_date(meeting.held_on)}: {meeting.title or kind}"), where))
        pairs = [("Meeting", kind), ("Attended", clean(meeting.attended)),
                 ("What was presented", clean(meeting.presented)),
                 ("Handouts", clean("; ".join(getattr(meeting, "handouts", [])))), ("Feedback", clean(meeting.feedback)),
                 ("What changed", clean(meeting.changed))]
        pack.add(Fields([(label, value) for label, value in pairs if value], where))
        rows.append([meeting.held_on.isoformat(), kind, clean(meeting.title), clean(meeting.attended),
                     clean(meeting.presented), clean(meeting.feedback), clean(meeting.changed)])
    pack.tables.append(Table("meetings", ["Date", "Meeting", "Title", "Attended", "What was presented",
                                          "Feedback", "What changed"], rows, "the meetings"))
