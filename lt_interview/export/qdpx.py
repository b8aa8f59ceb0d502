"""A REFI-QDA project (.qdpx) so a team can continue in NVivo, ATLAS.ti, MAXQDA or QualCoder.

The archive holds project.qde (QDA-XML, urn:QDA-XML:project:1.0) and sources/<guid>.txt:
- each conversation's account is a text source (pseudonymised: named by the practitioner's
  role): the agreed version, or a draft marked as such when the export asks for drafts; the
  raw notes and the reviewers' working notes are never in it;
- the contributory-factor headings are codes, their framework items child codes, plus a code
  for practitioners' episodes and one per key practice episode; every code's name is unique
  (an item under two headings is named with its heading), as QualCoder and ATLAS.ti need;
- each episode is a coded selection of its conversation (coded as an episode, with the
  factors tagged on it, and with any KPE that cites it as evidence), and each factor capture
  a selection coded with its heading or item;
- each practitioner is a case that refers to their conversation sources.
GUIDs are derived from record ids (uuid5), so exporting twice gives the same identifiers.
"""

from __future__ import annotations

import io
import uuid
from collections import Counter
import zipfile
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from lt_interview import __version__
from lt_interview.analysis.people import the_role
from lt_interview.analysis.workspace import WorkspaceModel
from lt_interview.domain.episode_fields import RECALLED
from lt_interview.domain.models import Episode, FactorTag
from lt_interview.export.pack import DRAFT, clean

NS = "urn:QDA-XML:project:1.0"
_NAMESPACE = uuid.UUID("6f1d3f0c-5a39-4c53-9f0e-2b8f1f1e7a42")
ET.register_namespace("", NS)


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def guid(review_id: str, *parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join((review_id, *parts))))


class _Text:
    """Builds a source's plain text and remembers character spans (code points)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> tuple[int, int]:
        text = clean(text)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def value(self) -> str:
        return "".join(self.parts)


def _sub(parent: ET.Element, element_name: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, _tag(element_name), {key: clean(value) for key, value in attributes.items()})


def build_project(model: WorkspaceModel) -> tuple[bytes, dict[str, str], dict[str, str]]:
    """Return (project.qde bytes, {archive path: source text}, {archive path: what it is})."""
    data = model.data
    rid = data.review_id
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    user = guid(rid, "user", "export")
    project = ET.Element(_tag("Project"), {
        "name": clean(f"Analysis: {data.review.name}"), "origin": f"lt-interview {__version__}",
        "creatingUserGUID": user, "creationDateTime": now,
    })
    users = _sub(project, "Users")
    _sub(users, "User", guid=user, name="lt-interview export")

    # --- codes ---------------------------------------------------------------------------
    codebook = _sub(project, "CodeBook")
    codes = _sub(codebook, "Codes")
    code_of: dict[str, str] = {}
    for heading in data.structure.headings:
        code_of[heading.id] = guid(rid, "code", heading.id)
        element = _sub(codes, "Code", guid=code_of[heading.id], name=heading.title, isCodable="true")
        if heading.prompt:
            ET.SubElement(element, _tag("Description")).text = clean(heading.prompt)
        for item in heading.items:
            item_id = heading.item_id(item)
            code_of[item_id] = guid(rid, "code", item_id)
            _sub(element, "Code", guid=code_of[item_id], name=item, isCodable="true")
    episode_code = guid(rid, "code", "episodes")
    element = _sub(codes, "Code", guid=episode_code, name="Practitioners' episodes", isCodable="true")
    ET.SubElement(element, _tag("Description")).text = "Turning points as each practitioner recalled them"
    kpe_codes: dict[str, str] = {}
    kpe_by_episode: dict[str, list[str]] = {}
    kpes = model.kpes()
    if kpes:
        parent = _sub(codes, "Code", guid=guid(rid, "code", "kpes"), name="Key practice episodes", isCodable="false")
        for kpe_id, kpe in kpes:
            kpe_codes[kpe_id] = guid(rid, "code", "kpe", kpe_id)
            _sub(parent, "Code", guid=kpe_codes[kpe_id], name=f"KPE {kpe.number}: {kpe.title}", isCodable="true")
            for evidence in kpe.evidence:
                if evidence.kind == "episode" and evidence.ref_id:
                    kpe_by_episode.setdefault(data.episode_key(evidence.ref_id), []).append(kpe_id)

    unique_names(_codes_with_parents(codes))

    # --- sources ---------------------------------------------------------------------------
    texts: dict[str, str] = {}
    where: dict[str, str] = {}
    source_elements: list[ET.Element] = []
    sources_by_practitioner: dict[str, list[str]] = {}
    episodes_by_conversation: dict[str, list] = {}
    for loaded in data.episodes:
        episodes_by_conversation.setdefault(loaded.conversation_id or "", []).append(loaded)
    factors_by_conversation: dict[str, list] = {}
    for loaded in data.factors:
        factors_by_conversation.setdefault(loaded.conversation_id or "", []).append(loaded)
    captures_by_conversation: dict[str, list] = {}
    for kind, items in data.captures.items():
        if kind == "divergence":
            continue  # the reviewers' working notes are never exported
        for loaded in items:
            captures_by_conversation.setdefault(loaded.conversation_id or "", []).append((kind, loaded))

    for conversation_id, conversation in data.conversations.items():
        source_account = data.accounts.get(conversation_id)
        if source_account is None:
            continue  # not in this export (not yet agreed, or nothing typed up)
        episodes = sorted(episodes_by_conversation.get(conversation_id, []), key=lambda item: item.record.position)
        who = data.labels.get(conversation.practitioner_id, "Unknown practitioner")
        draft = data.is_draft(conversation_id)
        status = source_account.label
        source_guid = guid(rid, "source", conversation_id)
        text = _Text()
        text.add(f"Conversation with {the_role(who)}\n")
        text.add(f"Account: {status}\n")
        selections: list[tuple[str, int, int, list[str]]] = []
        overview = source_account.account.overview
        if overview.strip():
            text.add("\n== Overview in their own words ==\n")
            text.add(overview.rstrip("\n") + "\n")
        tags_by_episode: dict[str, list] = {}
        loose_tags: list = []
        for loaded in factors_by_conversation.get(conversation_id, []):
            tag: FactorTag = loaded.record
            (tags_by_episode.setdefault(tag.episode_id, []) if tag.episode_id else loose_tags).append(loaded)
        for number, loaded in enumerate(episodes, start=1):
            episode: Episode = loaded.record
            start, _ = text.add(f"\n== Episode {number}: {episode.title} ==\n")
            text.add(f"When: {episode.when or 'no date given'}\n")
            for field in RECALLED:
                value = getattr(episode, field.name)
                if value:
                    text.add(f"{field.label}: {value.rstrip()}\n")
            episode_codes = [episode_code]
            for tag_loaded in tags_by_episode.get(loaded.record_id, []):
                tag = tag_loaded.record
                code = _factor_code(tag, data, code_of)
                line_start, line_end = text.add(f"Contributory factor: {_factor_label(tag, data)}: {tag.text}\n")
                selections.append((guid(rid, "sel", tag_loaded.record_id), line_start, line_end - 1, [code]))
                if code not in episode_codes:
                    episode_codes.append(code)
            episode_codes += [kpe_codes[k] for k in kpe_by_episode.get(loaded.record_id, []) if k in kpe_codes]
            selections.insert(0, (guid(rid, "sel", loaded.record_id), start + 1, text.length - 1, episode_codes))
        if loose_tags:
            text.add("\n== Contributory factors ==\n")
            for tag_loaded in loose_tags:
                tag = tag_loaded.record
                line_start, line_end = text.add(f"{_factor_label(tag, data)}: {tag.text}\n")
                selections.append((guid(rid, "sel", tag_loaded.record_id), line_start, line_end - 1,
                                   [_factor_code(tag, data, code_of)]))
        captures = captures_by_conversation.get(conversation_id, [])
        for kind, title in (("went_well", "What went well"), ("quote", "Quotes"),
                              ("query", "Queries"), ("change", "Suggested changes")):
            chosen = [loaded.record for k, loaded in captures if k == kind]
            if chosen:
                text.add(f"\n== {title} ==\n")
                for record in chosen:
                    body = getattr(record, "text", "") or getattr(record, "question", "")
                    answer = getattr(record, "answer", "")
                    text.add(f"- {body}" + (f" (answer: {answer})" if answer else "") + "\n")
        path = f"{source_guid}.txt"
        texts[f"sources/{path}"] = text.value()
        where[f"sources/{path}"] = f"the conversation with {the_role(who)}"
        source = ET.Element(_tag("TextSource"), {
            "guid": source_guid, "name": clean(f"{who}: conversation" + (" (draft)" if draft else "")),
            "plainTextPath": f"internal://{path}", "creatingUser": user, "creationDateTime": now,
        })
        ET.SubElement(source, _tag("Description")).text = clean(
            f"Conversation with {the_role(who)}; " + (DRAFT if draft else "agreed account"))
        for selection_guid, start, end, codes_here in selections:
            selection = ET.SubElement(source, _tag("PlainTextSelection"), {
                "guid": selection_guid, "startPosition": str(start), "endPosition": str(max(end, start)),
                "creatingUser": user, "creationDateTime": now})
            for code in dict.fromkeys(codes_here):
                coding = ET.SubElement(selection, _tag("Coding"), {
                    "guid": guid(rid, "coding", selection_guid, code), "creatingUser": user, "creationDateTime": now})
                ET.SubElement(coding, _tag("CodeRef"), {"targetGUID": code})
        source_elements.append(source)
        sources_by_practitioner.setdefault(conversation.practitioner_id, []).append(source_guid)

    # --- cases (before Sources, as the schema's sequence requires) ------------------------
    if data.practitioners:
        cases = _sub(project, "Cases")
        for practitioner_id, practitioner in data.practitioners:
            case = _sub(cases, "Case", guid=guid(rid, "case", practitioner_id), name=data.labels[practitioner_id])
            if practitioner.agency:
                ET.SubElement(case, _tag("Description")).text = clean(practitioner.agency)
            for source_guid in sources_by_practitioner.get(practitioner_id, []):
                ET.SubElement(case, _tag("SourceRef"), {"targetGUID": source_guid})
    if source_elements:
        unique_names([(element, "") for element in source_elements])  # a follow-up is a second source
        sources = _sub(project, "Sources")
        sources.extend(source_elements)
    ET.SubElement(project, _tag("Description")).text = (
        "Pseudonymised export from lt-interview, built from the practitioners' agreed accounts: practitioners "
        "are named by role; an account not yet agreed is included only when drafts were asked for, and marked.")
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    return xml, texts, where


def _codes_with_parents(parent: ET.Element, parent_name: str = "") -> list[tuple[ET.Element, str]]:
    """Every code in the codebook, depth first, with the name of the code it sits under."""
    found = []
    for code in parent.findall(_tag("Code")):
        found.append((code, parent_name))
        found += _codes_with_parents(code, code.get("name", ""))
    return found


def unique_names(elements: list[tuple[ET.Element, str]]) -> None:
    """Give every element a name no other has (ignoring case). QualCoder and ATLAS.ti keep only
    the first of two codes with one name, orphaning the other's codings, and the framework has
    items such as "Personality" under two headings. A shared name is qualified by the heading
    it sits under ("Personality (Aspects of the family)"); any name still shared is numbered."""
    shared = Counter(element.get("name", "").casefold() for element, _ in elements)
    parents: dict[str, set[str]] = {}
    for element, parent_name in elements:
        parents.setdefault(element.get("name", "").casefold(), set()).add(parent_name)
    for element, parent_name in elements:
        name = element.get("name", "")
        # Only where the heading tells them apart (two "KPE 1" under one parent are numbered).
        if shared[name.casefold()] > 1 and parent_name and len(parents[name.casefold()]) > 1:
            element.set("name", clean(f"{name} ({parent_name})"))
    taken: set[str] = set()
    for element, _ in elements:
        name = element.get("name", "")
        candidate, number = name, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{name} ({number})"
        element.set("name", candidate)
        taken.add(candidate.casefold())


def _factor_code(tag: FactorTag, data, code_of: dict[str, str]) -> str:
    try:
        heading = data.structure.heading(tag.heading_id)
    except KeyError:
        return code_of.get("other") or next(iter(code_of.values()))
    if tag.item:
        item_id = heading.item_id(tag.item)
        if item_id in code_of:
            return code_of[item_id]
    return code_of[heading.id]


def _factor_label(tag: FactorTag, data) -> str:
    try:
        title = data.structure.heading(tag.heading_id).title
    except KeyError:
        title = tag.heading_id
    return f"{title}: {tag.item}" if tag.item else title


def render(model: WorkspaceModel) -> tuple[bytes, list[tuple[str, str]]]:
    """The .qdpx archive, and every text in it with where it comes from (for the name check)."""
    xml, texts, where = build_project(model)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", xml)
        for name, text in texts.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue(), [(xml.decode("utf-8"), "the project's codes, cases and names"),
                               *[(text, where[name]) for name, text in texts.items()]]
