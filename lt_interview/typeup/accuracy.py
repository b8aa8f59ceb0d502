"""The accuracy-check document: the practitioner's account in plain language, for them to check.

No internal tags or ids; family members appear only by pseudonym (only pseudonyms are in a
conversation file, and the name guard refuses the document if a real name slipped in); the
practitioner and the reviewers by role or "you"/"we" (their names refuse the document too);
space for comments after each section; a statement of how the notes are used; and a version
line ("Version 3, sent 24 November 2026") so that returned comments name the copy they are on.
An account with nothing typed up is refused rather than written empty.
Markdown or DOCX (python-docx). Files are written 0600, never overwriting, never through a
symlink, with a slugified name confined to the output folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


from lt_interview.domain.account import Account
from lt_interview.domain.dates import show_date
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.models import Practitioner, Review
from lt_interview.export.names import output_folder, write_new
from lt_interview.errors import BadInput
from lt_interview.storage.lookups import structure_of
from lt_interview.storage.store import Store
from lt_interview.typeup import service
from lt_interview.storage.lookups import name_guard_digests
from lt_interview.typeup.checks import all_notices, people_in, people_spans
from lt_interview.typeup.render import Section, plain_sections

FALLBACK_USE_STATEMENT = (
    "These notes are for the review team only and will not be published word for word. Only the "
    "version you agree with us is used in the analysis. Family members' names are replaced with "
    "pseudonyms, and you are referred to by your role, not by your name."
)
# This document is the typed-up account itself, so it opens by saying so (the introduction
# script's "after we meet, we will type up the notes..." is said before the conversation).
OPENING = (
    "These are the notes of our conversation, typed up as your account. We are sending them to "
    "you to check that they are accurate and say what you meant."
)
HOW_TO_CHECK = (
    "Please read your account and tell us if anything is wrong, missing or not how you would put "
    "it. Write in the comment space after each section, or anywhere you like. You can correct "
    "facts, add context, or tell us that something should be worded differently. When you send "
    "your comments back, please keep the version line at the top, so that we know which copy you "
    "are commenting on."
)
NOTHING_NOTED = "(Nothing noted yet.)"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Sentences of the introduction script that describe typing up as something still to come.
_BEFORE_TYPING_UP = re.compile(r"\b(after (we meet|the conversation|our conversation)|we will type|"
                               r"will be typed|we will send)\b", re.I)


@dataclass(frozen=True)
class VersionInfo:
    """Which version of the account a document is: the number `typeup --status` lists
    ("version 2: sent for checking on ..."), and the date it was sent, when recorded."""

    number: int | None  # None: edited since the last recorded step (a draft)
    sent_on: date | None = None

    def line(self, written_on: date) -> str:
        if self.number is None:
            return f"Draft of {show_date(written_on)}"
        sent = f", sent {show_date(self.sent_on)}" if self.sent_on else ""
        return f"Version {self.number}{sent}"

    @property
    def slug(self) -> str:
        return "draft" if self.number is None else f"version {self.number}"


def version_of(store: Store, revision_id: str | None) -> VersionInfo:
    if revision_id is None:
        return VersionInfo(None)
    number = service.version_numbers(store).get(revision_id)
    sent = [v for _, v in service.versions(store)
            if revision_id in v.revision_ids and v.status == "sent_for_checking"]
    return VersionInfo(number, sent[-1].on if sent else None)


@dataclass
class AccuracyDocument:
    title: str
    subtitle: str
    role: str
    use_statement: list[str]
    sections: list[Section]
    version: VersionInfo = VersionInfo(None)
    written_on: date = date(1970, 1, 1)
    revision_id: str | None = None

    @property
    def role_line(self) -> str:
        return f"Your role: {self.role}"

    @property
    def version_line(self) -> str:
        return self.version.line(self.written_on)

    @property
    def is_empty(self) -> bool:
        return not any(section.blocks for section in self.sections)

    def all_text(self) -> str:
        parts = [self.title, self.subtitle, self.role_line, self.version_line, OPENING, *self.use_statement]
        for section in self.sections:
            parts += [section.title, *section.lines()]
        return "\n".join(parts)


def use_statement(store: Store) -> list[str]:
    """The "How your notes are used" part of the review's introduction script, if it has one,
    without the sentences that describe the typing up as still to come."""
    text = structure_of(store).introduction
    # "How your views are used" in the family variant's introduction.
    match = re.search(r"^##\s+How your (?:notes|views) are used[^\n]*\n(.*?)(?=^##\s|\Z)", text, re.M | re.S)
    if not match:
        return [FALLBACK_USE_STATEMENT]
    paragraphs = []
    for paragraph in match.group(1).strip().split("\n\n"):
        sentences = re.split(r"(?<=[.!?])\s+", " ".join(paragraph.split()))
        kept = " ".join(s for s in sentences if s and not _BEFORE_TYPING_UP.search(s))
        if kept:
            paragraphs.append(kept)
    return paragraphs or [FALLBACK_USE_STATEMENT]


def build_document(store: Store, account: Account | None = None, *, on: date | None = None,
                   version: VersionInfo | None = None) -> AccuracyDocument:
    conversation_id, conversation = service.conversation_of(store)
    revision_id = None
    if account is None:
        store.seal_all()
        state = service.load(store)
        if state.competing > 1:
            raise BadInput("the account has competing versions from combined copies; settle them in "
                           "type-up before sending it for checking")
        service.require_combined(state)  # no part still holding both reviewers' versions, marked
        account = state.account
        revision_id = state.revision.revision_id if state.revision else None
    structure = structure_of(store)

    def heading_title(heading_id: str) -> str:
        try:
            return structure.heading(heading_id).title
        except KeyError:
            return heading_id.replace("_", " ").capitalize()

    practitioner = store.get(conversation.practitioner_id)
    role = practitioner.record.role if practitioner and isinstance(practitioner.record, Practitioner) else "Practitioner"
    review = store.one(Review)
    review_name = review[1].name if review else "Case review"
    held = f" on {show_date(conversation.held_on)}" if conversation.held_on else ""
    sections = plain_sections(account, heading_title)
    document = AccuracyDocument(
        title="Your conversation with the review team",
        subtitle=f"{review_name}: notes of our conversation{held}, typed up for you to check",
        role=role, use_statement=use_statement(store), sections=sections,
        version=version or version_of(store, revision_id), written_on=on or store.clock().date(),
        revision_id=revision_id)
    _refuse_real_names(store, document)
    _refuse_identifiers(document)
    return document


def _texts(document: AccuracyDocument) -> list[tuple[str, str]]:
    """(where, text) for each part of the document, named without repeating its text."""
    intro = "\n".join([document.title, document.subtitle, document.role_line, *document.use_statement])
    return [("the introduction", intro)] + [(f"the section '{s.title}'", "\n".join([s.title, *s.lines()]))
                                            for s in document.sections]


def _blocks(document: AccuracyDocument) -> list[tuple[str, str]]:
    """(where, text) for each piece of the document: its introduction, each section's title and
    each labelled part of a section."""
    found = [("the introduction", "\n".join([document.title, document.subtitle, document.role_line,
                                              *document.use_statement]))]
    for section in document.sections:
        found.append((f"the title of the section '{section.title}'", section.title))
        for block in section.blocks:
            found.append((f"the section '{section.title}', {block.label or 'its text'}", block.text))
    return found


def _refuse_pseudonym_map_names(store: Store, document: AccuracyDocument) -> None:
    """Refuse a real name from the pseudonym map, naming each word, the part and the line."""
    from lt_interview.export.guard import RealNamesFound, found_in

    digests = name_guard_digests(store)
    if not digests:
        return
    cache: dict[str, str] = {}
    found = [item for where, text in _blocks(document) if text
             for item in found_in(text, where, store.review_id, digests, cache)]
    if found:
        raise RealNamesFound(
            f"not written: the account of the conversation with the {document.role.casefold()} holds real names", found,
            "In type-up, Ctrl+R (Replace) finds each one and puts the pseudonym in its place everywhere in the "
            "account; then write the document again. Nothing was written.")


def _refuse_real_names(store: Store, document: AccuracyDocument) -> None:
    _refuse_pseudonym_map_names(store, document)
    people = people_in(store)
    for where, text in _texts(document):
        title = text.split("\n", 1)[0]
        found = people_spans(text, people)
        if found:
            if people_spans(title, people):
                where = "a section title"
            whose = found[0][2]
            if whose == "practitioner":
                what, instead = "the practitioner's own name", "“you” or their role"
            elif whose == "reviewer":
                what, instead = "a reviewer's name", "“we” or “the reviewers”"
            else:
                what, instead = "a practitioner's name", "their role"
            raise BadInput(f"not written: {where} contains {what}; the document refers to people "
                           f"by role, so use {instead} in type-up and try again")


def _refuse_identifiers(document: AccuracyDocument) -> None:
    if _UUID.search(document.all_text()):
        raise BadInput("not written: the account contains an internal identifier; remove it in type-up")


# --- writing -----------------------------------------------------------------------------------


def render_markdown(document: AccuracyDocument) -> str:
    def esc(text: str) -> str:  # keep user text literal in Markdown
        return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)

    lines = [f"# {document.title}", "", esc(document.subtitle), "", esc(document.role_line) + "  ",
             esc(document.version_line), "", OPENING, "", "## How these notes are used", ""]
    for paragraph in document.use_statement:
        lines += [esc(paragraph), ""]
    lines += ["## How to check them", "", HOW_TO_CHECK, ""]
    for section in document.sections:
        lines += [f"## {esc(section.title)}", ""]
        if not section.blocks:
            lines += [NOTHING_NOTED, ""]
        for block in section.blocks:
            text = esc(block.text).replace("\n", "  \n")
            lines += [f"**{esc(block.label)}:** {text}" if block.label else text, ""]
        lines += ["**Your comments:**", "", "> ", "> ", "> ", ""]
    lines += ["## Anything else you would like to add", "", "> ", "> ", "> ", "",
              "Name (optional): ______________________   Date: ______________", ""]
    return "\n".join(lines)


def render_docx(document: AccuracyDocument) -> bytes:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    from lt_interview.export.docx import new_document, to_bytes

    # The core properties name no one: a neutral title, "lt-interview" as author. The footer
    # names the version on every page, above the page numbers.
    doc = new_document(document.title, footer=f"{document.title}: {document.version_line}")
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(document.subtitle)
    details = doc.add_paragraph()
    details.add_run(document.role_line)
    details.add_run().add_break()
    details.add_run(document.version_line).bold = True
    doc.add_paragraph(OPENING)
    doc.add_heading("How these notes are used", level=1)
    for paragraph in document.use_statement:
        doc.add_paragraph(paragraph)
    doc.add_heading("How to check them", level=1)
    doc.add_paragraph(HOW_TO_CHECK)

    def comment_box(label: str) -> None:
        doc.add_paragraph().add_run(label).bold = True
        table = doc.add_table(rows=1, cols=1)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = table.rows[0].cells[0]
        cell.text = ""
        for _ in range(4):
            cell.add_paragraph("")

    for section in document.sections:
        doc.add_heading(section.title, level=1)
        if not section.blocks:
            doc.add_paragraph(NOTHING_NOTED)
        for block in section.blocks:
            paragraph = doc.add_paragraph()
            if block.label:
                paragraph.add_run(f"{block.label}: ").bold = True
            lines = block.text.split("\n")
            for index, line in enumerate(lines):
                run = paragraph.add_run(line)
                if index < len(lines) - 1:
                    run.add_break()
        comment_box("Your comments")
    doc.add_heading("Anything else you would like to add", level=1)
    comment_box("Your comments")
    doc.add_paragraph("")
    doc.add_paragraph("Name (optional): ______________________   Date: ______________")
    doc.styles["Normal"].font.size = Pt(11)
    return to_bytes(doc)


@dataclass(frozen=True)
class Written:
    path: Path
    version: VersionInfo
    already_sent: bool = False  # --mark-sent on a version already recorded as sent
    status: str = ""  # the conversation's status, in the words the screens use
    reminders: dict[str, int] = field(default_factory=dict)  # notice kind -> count

    @property
    def reminder_line(self) -> str:
        """One line counting what the type-up checks would still remind about, or ""."""
        counts = self.reminders
        parts = []
        if counts.get("wording"):
            n = counts["wording"]
            parts.append(f"{n} {'phrase' if n == 1 else 'phrases'} may read as judging")
        if counts.get("reviewers"):
            n = counts["reviewers"]
            parts.append(f"{n} {'passage is' if n == 1 else 'passages are'} marked as coming from the reviewers")
        if not parts:
            return ""
        return f"Reminder: {' and '.join(parts)}; type-up shows where (the document was written all the same)."


def check_can_send(store: Store) -> VersionInfo | None:
    """Before anything is written for --mark-sent: None if the account can be recorded as sent,
    or the version already recorded as sent when this same account was sent before. Refuses
    (BadInput, plain words) when it cannot be sent."""
    _, conversation = service.conversation_of(store)
    status = conversation.status
    if status == Status.PLANNED:
        raise BadInput("not written: this conversation is still recorded as planned; record it as "
                       "held in type-up before sending the account for checking")
    if status == Status.AGREED:
        agreed = service.latest_version(store, "agreed")
        when = f" on {show_date(agreed.on)}" if agreed else ""
        raise BadInput(f"not written: the account was agreed with the practitioner{when}; an edit in "
                       "type-up starts a new version that can be sent")
    if status == Status.SENT_FOR_CHECKING:
        store.seal_all()
        head = service.load(store).revision
        sent = service.latest_version(store, "sent_for_checking")
        if sent and head and head.revision_id in sent.revision_ids:
            return VersionInfo(service.version_numbers(store).get(head.revision_id), sent.on)
        when = f" on {show_date(sent.on)}" if sent else ""
        raise BadInput(f"not written: the account was sent for checking{when} and has changed since; "
                       "record the practitioner's comments in type-up (Comments) before sending the "
                       "corrected version")
    return None


def write_accuracy_check(store: Store, out_dir: Path, fmt: str = "docx", *, on: date | None = None,
                         mark_sent: date | None = None) -> Written:
    """Write the document; with `mark_sent`, also record this version as sent for checking on
    that date, in the same transaction (if the file cannot be written, nothing is recorded)."""
    if fmt not in ("docx", "md"):
        raise BadInput(f"unknown format '{fmt}'; use docx or md")
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise BadInput(f"{out_dir}: refused: the output folder is a symbolic link")
    already = check_can_send(store) if mark_sent else None
    document = build_document(store, on=on)
    if document.is_empty:
        raise BadInput("not written: nothing has been typed up for this conversation yet, so the "
                       "document would be empty; type up the notes first")
    out_dir = output_folder(out_dir, parents=True)  # -o out/ac with no out/ yet: both made
    reminders: dict[str, int] = {}
    for notice in all_notices(store, service.load(store).account):
        reminders[notice.kind] = reminders.get(notice.kind, 0) + 1
    with store.transaction():
        if mark_sent and already is None:
            sent = service.send_for_checking(store, mark_sent)
            document.version = VersionInfo(service.version_numbers(store).get(sent.revision_ids[0]), sent.on)
        elif already is not None:
            document.version = already
        data = render_docx(document) if fmt == "docx" else render_markdown(document).encode("utf-8")
        # The same safe writing as every export: slugified, confined, 0600, never overwritten.
        title = f"accuracy check {document.role} {document.version.slug} " \
                f"{document.written_on.isoformat()}"
        target = write_new(out_dir, title, f".{fmt}", data)
        try:
            store.audit("accuracy_check.write", store.meta("conversation_id") or "",
                        {"format": fmt, "version": document.version.number or 0})
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    _, conversation = service.conversation_of(store)
    return Written(target, document.version, already is not None, conversation.status.label.lower(),
                   reminders)
