"""The conversation screen's view model: everything it reads and writes, without Textual.

The screen keeps no record of truth; it asks this session for sections, notes, captured items
and the checklist, and every user action becomes one call here (one transaction in the store).
Only what the conversation file holds is read: never chronology (blind mode).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from lt_interview.domain.ids import Clock, new_id, system_clock
from lt_interview.domain.lifecycle import Status
from lt_interview.domain.marks import STAMP, is_marked, unmark
from lt_interview.domain.models import (
    CaseFramework, Conversation, Episode, FactorTag, Note, Practitioner, Query, Quote, Record,
    NotedDivergence, Reviewer, Role, SuggestedChange, WentWell,
)
from lt_interview.domain.structure import MethodStructure
from lt_interview.domain.text import clean_line, clean_text
from lt_interview.errors import BadInput
from lt_interview.storage.store import Store

# A file opened again within this long of its clock last running carries on the conversation.
RESUME_WITHIN_S = 20 * 60

SectionKey = tuple[str, str | None]
DraftWritten = Callable[[SectionKey, int, BaseException | None], None]


def strip_stamp(line: str) -> str:
    return STAMP.sub("", line, count=1).strip()


@dataclass(frozen=True)
class Section:
    """One place notes are written: a stage, or a per-episode stage within one episode."""

    stage_id: str
    episode_id: str | None
    number: str
    short: str
    title: str
    episode_title: str = ""
    episode_index: int = 0

    @property
    def key(self) -> SectionKey:
        return (self.stage_id, self.episode_id)


@dataclass(frozen=True)
class Captured:
    record_id: str
    kind: str
    label: str  # "Quote", "Question to return to", ...
    text: str
    differs_from: str = ""  # a divergence's: whose account differs


CAPTURE_LABELS = {
    "quote": "Quote",
    "query": "Question to return to",
    "episode": "Episode",
    "factor": "Contributory factor",
    "went_well": "What went well",
    "change": "Suggested change",
    "divergence": "Divergence",
}


@dataclass
class Checklist:
    stages_not_covered: list[str] = field(default_factory=list)
    questions_to_return_to: list[str] = field(default_factory=list)
    episodes_without_factors: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.stages_not_covered or self.questions_to_return_to or self.episodes_without_factors)


def doing(role: Role | str) -> str:
    """A role as a reviewer would say it."""
    return "taking the lead" if Role(role) == Role.LEAD else "taking notes"


def reviewer_field(role: Role | str) -> str:
    return "lead_reviewer_id" if Role(role) == Role.LEAD else "notetaker_id"


def find_reviewer(store: Store, name: str) -> str:
    reviewers = store.records(Reviewer)
    needle = clean_line(name).casefold()
    matches = [rid for rid, r in reviewers if r.name.casefold() == needle or rid == name]
    if len(matches) == 1:
        return matches[0]
    known = "; ".join(r.name for _, r in reviewers) or "none registered"
    raise BadInput(f"no single reviewer called '{clean_line(name)}' in this file (known: {known})")


class ConversationSession:
    def __init__(self, store: Store, structure: MethodStructure, *, role: Role | str = Role.NOTES,
                 clock: Clock = system_clock) -> None:
        self.store = store
        self.structure = structure
        self.role = Role(role)
        self.clock = clock
        conversation_id = store.meta("conversation_id")
        if not conversation_id:
            raise BadInput(f"{store.path}: holds no conversation")
        self.conversation_id = conversation_id
        current = store.get(conversation_id)
        if current is None:
            raise BadInput(f"{store.path}: its conversation record is missing")
        self.conversation: Conversation = current.record  # type: ignore[assignment]
        self.author_id: str | None = getattr(self.conversation, reviewer_field(self.role))
        if self.author_id:
            store.actor_id = self.author_id
        self._notes: dict[SectionKey, tuple[str, str]] = {}  # what was last written
        self._others: dict[SectionKey, list[tuple[str, str]]] = {}  # the other reviewer's: (author id, text)
        # Autosave's bookkeeping, shared with the store's writer thread: the newest write of each
        # section, and the sections whose newest write failed (written again at the next save).
        self._draft_lock = threading.Lock()
        self._ticket_numbers = itertools.count(1)
        self._tickets: dict[SectionKey, int] = {}
        self._finished: dict[SectionKey, int] = {}  # the newest ticket written or failed
        self._unwritten: set[SectionKey] = set()
        self.reload_notes()

    # --- who is writing --------------------------------------------------------------------

    def reviewers(self) -> list[tuple[str, Reviewer]]:
        return self.store.records(Reviewer)

    @property
    def other_role(self) -> Role:
        return Role.NOTES if self.role == Role.LEAD else Role.LEAD

    def other_author(self) -> str | None:
        """Who is recorded in the other role in this file, if anyone."""
        return getattr(self.conversation, reviewer_field(self.other_role), None)

    def set_author(self, reviewer_id: str) -> None:
        """Record once who is writing in this role, and start the conversation if planned."""
        if reviewer_id not in {rid for rid, _ in self.reviewers()}:
            raise BadInput("that reviewer is not in this conversation file")
        self.author_id = reviewer_id
        self.store.actor_id = reviewer_id
        self.conversation = self.conversation.model_copy(update={reviewer_field(self.role): reviewer_id})
        self.store.put(self.conversation, self.conversation_id)
        self.reload_notes()

    def start(self) -> None:
        """A planned conversation becomes 'in progress' when notes are first opened."""
        if self.conversation.status == Status.PLANNED:
            self.conversation = self.conversation.model_copy(update={"status": Status.IN_PROGRESS})
            self.store.put(self.conversation, self.conversation_id)

    # --- the conversation's clock ------------------------------------------------------------

    @property
    def _elapsed_key(self) -> str:
        return f"elapsed_seconds.{self.role.value}"

    def elapsed_before(self) -> float:
        """Seconds the conversation clock had run when this file was last closed in this role.
        Kept in the file's own meta table: the laptop's clock for this conversation, not review
        data (merge never reads it). An unreadable value counts as none."""
        try:
            return max(0.0, float(self.store.meta(self._elapsed_key) or 0))
        except ValueError:
            return 0.0

    def record_elapsed(self, seconds: float, at: datetime | None = None) -> None:
        """`at`: when the clock stood at `seconds` (running), to tell a restart mid-conversation
        from a file opened again later to edit the notes (opened_after_the_conversation)."""
        self.store.set_meta(self._elapsed_key, str(int(seconds)))
        if at is not None:
            self.store.set_meta(f"elapsed_at.{self.role.value}", at.isoformat())

    def opened_after_the_conversation(self, now: datetime) -> bool:
        """Whether opening the file now is to edit the notes after the conversation, not to hold
        it (the clock then starts paused): the conversation is recorded as held or further on,
        or its clock last ran more than RESUME_WITHIN_S ago (a crash or a restart mid-conversation
        opens the file again within minutes)."""
        if self.conversation.status not in (Status.PLANNED, Status.IN_PROGRESS):
            return True
        value = self.store.meta(f"elapsed_at.{self.role.value}")
        try:
            last = datetime.fromisoformat(value) if value else None
            return last is not None and (now - last).total_seconds() > RESUME_WITHIN_S
        except (TypeError, ValueError):  # unreadable, or without a time zone: as if never written
            return False

    def paused_before(self) -> bool:
        """Whether the clock was paused in this role when the file was last closed (kept beside
        the elapsed time, in the file's meta table)."""
        return self.store.meta(f"clock_paused.{self.role.value}") == "1"

    def record_paused(self, paused: bool) -> None:
        self.store.set_meta(f"clock_paused.{self.role.value}", "1" if paused else "0")

    # --- where this reviewer was -------------------------------------------------------------

    def last_section(self) -> SectionKey | None:
        """The section this reviewer last worked on in this file, if any (meta, like the clock)."""
        if not self.author_id:
            return None
        value = self.store.meta(f"last_section.{self.author_id}") or ""
        stage_id, _, episode_id = value.partition(" ")
        return (stage_id, episode_id or None) if stage_id else None

    def record_section(self, key: SectionKey) -> None:
        if self.author_id:
            stage_id, episode_id = key
            self.store.set_meta(f"last_section.{self.author_id}", f"{stage_id} {episode_id or ''}".strip())

    # --- what the screen shows -------------------------------------------------------------

    def title(self) -> str:
        practitioner = self.practitioner()
        return f"Conversation: {practitioner.role}" if practitioner else "Conversation"

    def practitioner(self) -> Practitioner | None:
        current = self.store.get(self.conversation.practitioner_id)
        return current.record if current else None  # type: ignore[return-value]

    def framework_lines(self) -> list[str]:
        """Only the case framework and the practitioner's role: never case facts (blind mode)."""
        lines: list[str] = []
        practitioner = self.practitioner()
        if practitioner is not None:
            who = "Family member" if getattr(practitioner, "is_family", False) else "Practitioner"
            lines.append(f"{who}: {practitioner.role}"
                         + (f", {practitioner.agency}" if practitioner.agency else ""))
        found = self.store.one(CaseFramework)
        if found is not None:
            framework = found[1]
            for member in framework.children:
                lines.append(f"Child: {member.pseudonym}" + (f" ({member.relationship})" if member.relationship else ""))
            for member in framework.household:
                lines.append(f"Household: {member.pseudonym}" + (f" ({member.relationship})" if member.relationship else ""))
            if framework.agencies:
                lines.append("Agencies: " + ", ".join(framework.agencies))
            if framework.period_start or framework.period_end:
                lines.append(f"Period: {framework.period_start or '?'} to {framework.period_end or '?'}")
        return lines

    def episodes(self) -> list[tuple[str, Episode]]:
        found = self.store.records(Episode, self.conversation_id)
        return sorted(found, key=lambda item: item[1].position)

    def sections(self) -> list[Section]:
        episodes = self.episodes()
        sections: list[Section] = []
        for stage in self.structure.stages:
            if stage.per_episode:
                if not episodes or (stage.id, None) in self._notes:
                    sections.append(Section(stage.id, None, stage.number, stage.short, stage.title))
                for index, (episode_id, episode) in enumerate(episodes, start=1):
                    sections.append(Section(stage.id, episode_id, stage.number, stage.short, stage.title,
                                            episode.title, index))
            else:
                sections.append(Section(stage.id, None, stage.number, stage.short, stage.title))
        # Episode stages run episode by episode: mindset then factors for episode 1, then episode 2.
        per = [s for s in sections if s.episode_id is not None]
        per.sort(key=lambda s: (s.episode_index, [st.id for st in self.structure.stages].index(s.stage_id)))
        out: list[Section] = []
        inserted = False
        for section in sections:
            if section.episode_id is not None:
                if not inserted:
                    out.extend(per)
                    inserted = True
                continue
            out.append(section)
        return out

    # --- notes -----------------------------------------------------------------------------

    def reload_notes(self) -> None:
        self._notes = {}
        self._others = {}
        for record_id, note in self.store.records(Note, self.conversation_id):
            key = (note.stage_id, note.episode_id)
            if self.author_id and note.author_id == self.author_id:
                self._notes[key] = (record_id, note.text)
            elif note.text.strip():
                self._others.setdefault(key, []).append((note.author_id, note.text))

    def other_notes(self, key: SectionKey) -> list[tuple[str, str]]:
        """The other reviewer's notes for this section, when this copy holds them (a combined copy,
        or one laptop shared in turn): (their name, text), read-only here."""
        found = self._others.get(key, [])
        if not found:
            return []
        names = {reviewer_id: reviewer.name for reviewer_id, reviewer in self.reviewers()}
        return [(names.get(author_id, "another reviewer"), text) for author_id, text in found]

    def note_text(self, key: SectionKey) -> str:
        return self._notes.get(key, ("", ""))[1]

    def has_notes(self, key: SectionKey) -> bool:
        return bool(self.note_text(key).strip())

    def save_draft(self, key: SectionKey, text: str) -> bool:
        """Autosave one section's text as a draft, now. Returns False when nothing changed."""
        self.store.settle_drafts()  # a write still queued may have failed: know before comparing
        prepared = self._prepare(key, text)
        if prepared is None:
            return False
        record_id, note = prepared
        self.store.save_draft(record_id, note)
        with self._draft_lock:
            self._unwritten.discard(key)
            self._finished[key] = self._tickets[key]
        return True

    def save_draft_soon(self, key: SectionKey, text: str, written: DraftWritten) -> bool:
        """Autosave without waiting for the disk: `written(key, ticket, failure)` is called on the
        store's writer thread once the commit is done. Returns False when nothing changed."""
        prepared = self._prepare(key, text)
        if prepared is None:
            return False
        record_id, note = prepared
        ticket = self._tickets[key]

        def done(failure: BaseException | None) -> None:
            with self._draft_lock:
                self._finished[key] = max(ticket, self._finished.get(key, 0))
                if self._tickets.get(key) == ticket:  # else a newer write of this section decides
                    if failure is None:
                        self._unwritten.discard(key)
                    else:
                        self._unwritten.add(key)
            written(key, ticket, failure)

        self.store.save_draft_soon(record_id, note, done)
        return True

    def write_pending(self, key: SectionKey) -> bool:
        """A write of this section handed to the writer thread and not yet finished."""
        with self._draft_lock:
            return self._tickets.get(key, 0) > self._finished.get(key, 0)

    def is_latest_write(self, key: SectionKey, ticket: int) -> bool:
        with self._draft_lock:
            return self._tickets.get(key) == ticket

    def _prepare(self, key: SectionKey, text: str) -> tuple[str, Note] | None:
        """The note to write for `key`, or None when it is already written. Takes a ticket."""
        stage_id, episode_id = key
        note = None
        if self.author_id:  # the model cleans the text; cleaning twice would double the cost
            note = Note(conversation_id=self.conversation_id, stage_id=stage_id, episode_id=episode_id,
                        author_id=self.author_id, text=text)
            text = note.text
        else:
            text = clean_text(text)
        record_id, saved = self._notes.get(key, ("", ""))
        with self._draft_lock:
            if saved == text and key not in self._unwritten:
                return None  # unchanged (and an untouched empty section makes no record)
            if note is None:
                raise BadInput("choose who is writing before taking notes")
            self._tickets[key] = next(self._ticket_numbers)
        record_id = record_id or new_id()
        self._notes[key] = (record_id, text)
        return record_id, note

    def seal(self) -> int:
        return self.store.seal_all()

    def pending(self) -> list[tuple[str, Record, str]]:
        return [item for item in self.store.pending_drafts()
                if getattr(item[1], "conversation_id", None) == self.conversation_id]

    def recovered_texts(self) -> list[tuple[str, str]]:
        """For the recovery question: each pending draft's section, and what it adds to the saved
        notes there (the whole draft where it changed them otherwise)."""
        titles = {section.key: " · ".join(part for part in (f"{section.number} {section.title}",
                                                              section.episode_title) if part)
                  for section in self.sections()}
        out = []
        for record_id, record, _ in self.pending():
            current = self.store.get(record_id)
            saved = getattr(current.record, "text", "") if current else ""
            text = getattr(record, "text", "")
            added = text[len(saved):] if saved and text.startswith(saved) else text
            key = (getattr(record, "stage_id", ""), getattr(record, "episode_id", None))
            out.append((titles.get(key, "Notes"), added.strip("\n")))
        return out

    def keep_recovered(self) -> None:
        for record_id, _, _ in self.pending():
            self.store.seal(record_id)
        self.reload_notes()

    def discard_recovered(self) -> None:
        for record_id, _, _ in self.pending():
            self.store.discard_draft(record_id)
        self.reload_notes()

    # --- captured items --------------------------------------------------------------------

    def _put(self, record: Record) -> str:
        with self.store.transaction():
            return self.store.put(record).record_id

    def add_quote(self, text: str, section: Section) -> str:
        return self._put(Quote(conversation_id=self.conversation_id, text=clean_text(text).strip(),
                               stage_id=section.stage_id, episode_id=section.episode_id))

    def add_question(self, text: str, section: Section) -> str:
        """A question to return to. It is the reviewers' own when asked at stage 6 (queries from
        their wider view) or taken from a line marked as from the reviewers."""
        from_reviewers = section.stage_id == "queries" or is_marked(text)
        return self._put(Query(conversation_id=self.conversation_id, question=clean_text(unmark(text)).strip(),
                               return_to=True, from_reviewers=from_reviewers, episode_id=section.episode_id))

    def add_episode(self, title: str) -> str:
        position = max((e.position for _, e in self.episodes()), default=-1) + 1
        return self._put(Episode(conversation_id=self.conversation_id, title=clean_line(title)[:200],
                                 position=position))

    def set_episode_when(self, record_id: str, when: str) -> None:
        """The episode's date or period as the practitioner said it ("" removes it)."""
        record = self._captured_record(record_id)
        if not isinstance(record, Episode):
            raise BadInput("that item is not an episode")
        self._revise(record_id, record, {"when": clean_line(when)[:200]})

    def default_year(self) -> int | None:
        """The year a date given without one is taken to be in: the review period's."""
        from lt_interview.analysis.fuzzydate import period_year

        found = self.store.one(CaseFramework)
        return period_year(found[1].period_start, found[1].period_end) if found else None

    def add_factor(self, heading_id: str, item: str, text: str, section: Section) -> str:
        self.structure.heading(heading_id)  # KeyError for an unknown heading
        return self._put(FactorTag(conversation_id=self.conversation_id, heading_id=heading_id,
                                   item=item, text=clean_text(text).strip(), episode_id=section.episode_id))

    def add_went_well(self, text: str, section: Section) -> str:
        return self._put(WentWell(conversation_id=self.conversation_id, text=clean_text(text).strip(),
                                  episode_id=section.episode_id))

    def add_change(self, text: str) -> str:
        return self._put(SuggestedChange(conversation_id=self.conversation_id, text=clean_text(text).strip()))

    def add_divergence(self, text: str, differs_from: str, section: Section) -> str:
        return self._put(NotedDivergence(
            conversation_id=self.conversation_id, **divergence_fields(text, differs_from),
            stage_id=section.stage_id, episode_id=section.episode_id))

    def captures(self) -> list[Captured]:
        items: list[Captured] = []
        for kind in ("episode", "quote", "query", "factor", "went_well", "change", "divergence"):
            for current in self.store.current(kind, self.conversation_id):
                record = current.record
                items.append(Captured(current.record_id, kind, self._label(kind, record), capture_text(record),
                                      getattr(record, "differs_from", "")))
        return items

    def _label(self, kind: str, record: Record) -> str:
        if isinstance(record, FactorTag):
            try:
                heading = self.structure.heading(record.heading_id).title
            except KeyError:
                heading = record.heading_id
            return f"Factor: {heading}" + (f" / {record.item}" if record.item else "")
        if isinstance(record, Query):
            label = "Question (returned to)" if not record.return_to else CAPTURE_LABELS[kind]
            return label + (" (from the reviewers)" if record.from_reviewers else "")
        if isinstance(record, NotedDivergence) and record.differs_from:
            return f"Divergence from {record.differs_from}"
        if isinstance(record, Episode) and record.when:
            return f"Episode ({record.when})"
        return CAPTURE_LABELS[kind]

    def edit_capture(self, record_id: str, text: str) -> None:
        record = self._captured_record(record_id)
        name = {"quote": "text", "went_well": "text", "change": "text", "factor": "text", "divergence": "text",
                "query": "question", "episode": "title"}[record.kind]
        value = clean_line(text) if name == "title" else clean_text(text).strip()
        self._revise(record_id, record, {name: value})

    def names_a_person(self, text: str) -> bool:
        """Whether `text` holds a real name from the pseudonym map or the name of someone the file
        holds (the practitioner, a reviewer): a divergence names whose account by role or agency."""
        from lt_interview.domain.names import holds_guarded_name
        from lt_interview.storage.lookups import name_guard_digests
        from lt_interview.typeup import checks

        digests = name_guard_digests(self.store)
        return (holds_guarded_name(text, self.store.review_id, digests)
                or bool(checks.people_spans(text, checks.people_in(self.store))))

    def edit_divergence(self, record_id: str, text: str, differs_from: str) -> None:
        """Change both what this practitioner saw and whose account differs, in one revision."""
        record = self._captured_record(record_id)
        if not isinstance(record, NotedDivergence):
            raise BadInput("that item is not a divergence")
        fields = divergence_fields(text, differs_from)
        if not fields["text"]:
            raise BadInput("a divergence needs how this practitioner saw it")
        self._revise(record_id, record, fields)

    def factor_choice(self, record_id: str) -> tuple[str, str]:
        """A captured factor's heading id and item, for choosing them again."""
        record = self._captured_record(record_id)
        if not isinstance(record, FactorTag):
            raise BadInput("that item is not a contributory factor")
        return record.heading_id, record.item

    def edit_factor(self, record_id: str, heading_id: str, item: str, text: str) -> None:
        """Change a factor's heading and item (a wrong pick) and what was said, in one revision."""
        record = self._captured_record(record_id)
        if not isinstance(record, FactorTag):
            raise BadInput("that item is not a contributory factor")
        self.structure.heading(heading_id)  # KeyError for an unknown heading
        self._revise(record_id, record, {"heading_id": heading_id, "item": clean_line(item),
                                         "text": clean_text(text).strip()})

    def _captured_record(self, record_id: str) -> Record:
        current = self.store.get(record_id)
        if current is None:
            raise BadInput("that item has been removed")
        return current.record

    def _revise(self, record_id: str, record: Record, fields: dict) -> None:
        with self.store.transaction():
            self.store.put(record.model_copy(update=fields), record_id)

    def mark_returned(self, record_id: str) -> None:
        current = self.store.get(record_id)
        if current is not None and isinstance(current.record, Query):
            with self.store.transaction():
                self.store.put(current.record.model_copy(update={"return_to": False}), record_id)

    def remove_capture(self, record_id: str) -> None:
        with self.store.transaction():
            self.store.delete(record_id)

    # --- end of conversation ---------------------------------------------------------------

    def checklist(self) -> Checklist:
        result = Checklist()
        episodes = self.episodes()
        counts = {kind: len(self.store.current(kind, self.conversation_id))
                  for kind in ("went_well", "change", "query")}
        for stage in self.structure.stages:
            covered: bool
            if stage.id == "episodes":
                covered = bool(episodes)
            elif stage.per_episode:
                covered = bool(episodes) and all(self.has_notes((stage.id, eid)) for eid, _ in episodes)
                if stage.id == "factors" and episodes:
                    covered = covered or not self._episodes_without_factors(episodes)
            elif stage.id == "went_well":
                covered = self.has_notes((stage.id, None)) or counts["went_well"] > 0
            elif stage.id == "changes":
                covered = self.has_notes((stage.id, None)) or counts["change"] > 0
            else:
                covered = self.has_notes((stage.id, None))
            if not covered:
                result.stages_not_covered.append(f"{stage.number} {stage.short}: {stage.checklist or stage.title}")
        for _, query in self.store.records(Query, self.conversation_id):
            if query.return_to:
                result.questions_to_return_to.append(query.question)
        result.episodes_without_factors = [e.title for _, e in self._episodes_without_factors(episodes)]
        return result

    def _episodes_without_factors(self, episodes: list[tuple[str, Episode]]) -> list[tuple[str, Episode]]:
        tagged = {tag.episode_id for _, tag in self.store.records(FactorTag, self.conversation_id)}
        return [(eid, e) for eid, e in episodes if eid not in tagged]

    def now(self) -> datetime:
        return self.clock()


def divergence_fields(text: str, differs_from: str) -> dict[str, str]:
    """A divergence's two fields as noted or edited: the account's words, and whose account
    differs (one short line: a role or agency)."""
    return {"text": clean_text(text).strip(), "differs_from": clean_line(differs_from)[:200]}


def capture_text(record: Record) -> str:
    for name in ("text", "question", "title"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return value
    return ""
