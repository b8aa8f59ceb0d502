"""The accuracy-check document: the practitioner's account in plain language, for them to check.

No internal tags or ids; family members appear only by pseudonym (only pseudonyms are in a
conversation file, and the name guard refuses the document if a real name slipped in);
space for comments after each section; and a statement of how the notes are used.
Markdown or DOCX (python-docx). Files are written 0600, never overwriting, never through a
symlink, with a slugified name confined to the output folder.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path


from lt_interview.domain.models import Practitioner, Review
from lt_interview.export.names import output_folder, write_new
from lt_interview.errors import BadInput
from lt_interview.operations.review import structure_of
from lt_interview.storage.store import Store
from lt_interview.typeup import service
from lt_interview.operations.names import find_guarded_names
from lt_interview.typeup.checks import guard_digests
from lt_interview.typeup.model import Account
from lt_interview.typeup.render import Section, plain_sections

FALLBACK_USE_STATEMENT = (
    "These notes are for the review team only and will not be published word for word. Only the "
    "version you agree with us is used in the analysis. Family members' names are replaced with "
    "pseudonyms, and you are referred to by your role, not by your name."
)
HOW_TO_CHECK = (
    "Please read your account and tell us if anything is wrong, missing or not how you would put "
    "it. Write in the comment space after each section, or anywhere you like. You can correct "
    "facts, add context, or tell us that something should be worded differently."
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass
class AccuracyDocument:
    title: str
    subtitle: str
    role: str
    use_statement: list[str]
    sections: list[Section]

    def all_text(self) -> str:
        parts = [self.title, self.subtitle, *self.use_statement]
        for section in self.sections:
            parts += [section.title, *section.lines()]
        return "\n".join(parts)


def use_statement(store: Store) -> list[str]:
    """The "How your notes are used" part of the review's introduction script, if it has one."""
    text = structure_of(store).introduction
    match = re.search(r"^##\s+How your notes are used[^\n]*\n(.*?)(?=^##\s|\Z)", text, re.M | re.S)
    if not match:
        return [FALLBACK_USE_STATEMENT]
    paragraphs = [" ".join(p.split()) for p in match.group(1).strip().split("\n\n") if p.strip()]
    return paragraphs or [FALLBACK_USE_STATEMENT]


def build_document(store: Store, account: Account | None = None) -> AccuracyDocument:
    conversation_id, conversation = service.conversation_of(store)
    if account is None:
        store.seal_all()
        state = service.load(store)
        if state.competing > 1:
            raise BadInput("the account has competing versions from combined copies; settle them in "
                           "type-up before sending it for checking")
        service.require_combined(state)  # no part still holding both reviewers' versions, marked
        account = state.account
    structure = structure_of(store)

    def heading_title(heading_id: str) -> str:
        try:
            return structure.heading(heading_id).title
        except KeyError:
            return heading_id.replace("_", " ").capitalize()

    practitioner = store.get(conversation.practitioner_id)
    role = practitioner.record.role if practitioner and isinstance(practitioner.record, Practitioner) else "practitioner"
    review = store.one(Review)
    review_name = review[1].name if review else "Case review"
    held = f" on {conversation.held_on.strftime('%-d %B %Y')}" if conversation.held_on else ""
    sections = plain_sections(account, heading_title)
    document = AccuracyDocument(
        title="Your conversation with the review team",
        subtitle=f"{review_name}: notes of our conversation{held} with you as {_article(role)} "
                 f"{role.lower()}, for you to check",
        role=role, use_statement=use_statement(store), sections=sections)
    _refuse_real_names(store, document)
    _refuse_identifiers(document)
    return document


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _refuse_real_names(store: Store, document: AccuracyDocument) -> None:
    digests = guard_digests(store)
    if not digests:
        return
    checks = [("the introduction", "\n".join([document.title, document.subtitle, *document.use_statement]))]
    checks += [(f"the section '{s.title}'" if not find_guarded_names(s.title, store.review_id, digests)
                else "a section title", "\n".join([s.title, *s.lines()])) for s in document.sections]
    for where, text in checks:
        if find_guarded_names(text, store.review_id, digests):
            raise BadInput(f"not written: {where} contains a real name from the pseudonym map; "
                           "replace it with the pseudonym in type-up and try again")


def _refuse_identifiers(document: AccuracyDocument) -> None:
    if _UUID.search(document.all_text()):
        raise BadInput("not written: the account contains an internal identifier; remove it in type-up")


# --- writing -----------------------------------------------------------------------------------


def render_markdown(document: AccuracyDocument) -> str:
    def esc(text: str) -> str:  # keep user text literal in Markdown
        return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)

    lines = [f"# {document.title}", "", esc(document.subtitle), "", "## How these notes are used", ""]
    for paragraph in document.use_statement:
        lines += [esc(paragraph), ""]
    lines += ["## How to check them", "", HOW_TO_CHECK, ""]
    for section in document.sections:
        lines += [f"## {esc(section.title)}", ""]
        if not section.blocks:
            lines += ["(Nothing noted yet.)", ""]
        for block in section.blocks:
            text = esc(block.text).replace("\n", "  \n")
            lines += [f"**{esc(block.label)}:** {text}" if block.label else text, ""]
        lines += ["**Your comments:**", "", "> ", "> ", "> ", ""]
    lines += ["## Anything else you would like to add", "", "> ", "> ", "> ", "",
              "Name (optional): ______________________   Date: ______________", ""]
    return "\n".join(lines)


def render_docx(document: AccuracyDocument) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = document.title
    doc.core_properties.author = "Review team"
    doc.core_properties.comments = ""
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(document.subtitle)
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
            doc.add_paragraph("(Nothing noted yet.)")
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
    for style_name in ("Normal",):
        doc.styles[style_name].font.size = Pt(11)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_accuracy_check(store: Store, out_dir: Path, fmt: str = "docx", *, on: date | None = None) -> Path:
    if fmt not in ("docx", "md"):
        raise BadInput(f"unknown format '{fmt}'; use docx or md")
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise BadInput(f"{out_dir}: refused: the output folder is a symbolic link")
    out_dir = output_folder(out_dir)
    document = build_document(store)
    on = on or store.clock().date()
    data = render_docx(document) if fmt == "docx" else render_markdown(document).encode("utf-8")
    # The same safe writing as every export: slugified, confined, 0600, never overwritten.
    target = write_new(out_dir, f"accuracy check {document.role} {on.isoformat()}", f".{fmt}", data)
    store.audit("accuracy_check.write", store.meta("conversation_id") or "", {"format": fmt})
    return target
