"""Issue #17, point 7: one data flow, end to end, the way a review team works.

Three fictional conversations are captured through the conversation screen's session (notes,
episode titles, factors, a divergence), typed up through the type-up service, corrected after
the practitioner's comments and agreed (the nurse's account is still out for checking); the
files are merged with the real `merge` command in a process of its own; the analysis shows the
corrected text with its date; and every format `export` writes (in a process of its own) holds
the agreed text and nothing of the raw notes, the reviewers' working notes or the draft.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

from lt_interview.analysis.workspace import open_workspace_model
from lt_interview.demo.data import FRAMEWORK
from lt_interview.domain.models import Practitioner, Reviewer
from lt_interview.review.conversation_files import pack
from lt_interview.review.setup import create_review
from lt_interview.storage.lookups import structure_of
from lt_interview.storage.store import CONVERSATION, REVIEW, Store
from lt_interview.conversation.session import ConversationSession
from lt_interview.typeup import service
from lt_interview.domain.account_parts import set_text

# What the notes hold: the private remarks and a real name must never reach an export.
PRIVATE = "Tearful at the end talking about the caseload; offered support."
RAW_NAME = "Bryn Castellan answered the door."
TYPED_KNEW = "A small mark on the cheek; Mr B said M had rolled into the cot side."
CORRECTED_KNEW = "A small mark on the left cheek, seen in daylight; Mr B and Mum both said M had rolled."
DRAFT_ONLY = "Twelve children waiting at triage that Saturday."

CONVERSATIONS = {
    "Health visitor": {
        "notes": {"overview": "10:06 Took over the family in spring.", "queries": f"11:25 {PRIVATE}",
                  "episodes": f"10:14 {RAW_NAME} HV names the bruise at the review."},
        "episode": "Small bruise seen at the 8-month review",
        "mindset": f"10:20 {TYPED_KNEW}\n10:22 Bruising guidance was for non-mobile babies.",
        "typed": {"when": "early June 2025", "knew": TYPED_KNEW,
                  "thought": "It fitted what she had been told.",
                  "did": "Recorded it and planned an extra visit.",
                  "why_it_made_sense": "Bruising guidance was for non-mobile babies."},
        "factor": ("conditions", "Workload", "Caseload of over 400 families that month."),
        "steps": "corrected and agreed",
    },
    "GP": {
        "notes": {"overview": "14:04 Saw M twice in the period."},
        "episode": "Cough appointment when a faded bruise was mentioned",
        "mindset": "14:12 Faded mark, an explanation that fitted.",
        "typed": {"when": "mid June 2025", "knew": "Mum said a small bruise had faded.",
                  "thought": "A faded mark with an explanation.", "did": "Examined the chest.",
                  "why_it_made_sense": "A ten-minute slot, and the mark had gone."},
        "factor": ("conditions", "", "Ten-minute appointments, running late."),
        "steps": "agreed",
    },
    "Emergency department nurse": {
        "notes": {"overview": "09:35 Triage nurse on a busy Saturday."},
        "episode": "Saturday attendance: bruise to the cheek",
        "mindset": "09:41 Fall from the changing table.",
        "typed": {"when": "early June 2025", "knew": DRAFT_ONLY, "did": "Sent a notification to the HV."},
        "factor": ("conditions", "Workload", DRAFT_ONLY),
        "steps": "sent",
    },
}


def _capture(path: Path, passphrase: str, spec: dict) -> None:
    """What the conversation screen does as the reviewers type: notes, F2 for the episode, its
    notes, a contributory factor on it, and a divergence the reviewers noted."""
    with Store.open(path, passphrase, expect_kind=CONVERSATION) as store:
        session = ConversationSession(store, structure_of(store), role="notes")
        session.set_author(store.records(Reviewer)[0][0])
        session.start()
        for stage_id, text in spec["notes"].items():
            session.save_draft((stage_id, None), text)
        session.add_episode(spec["episode"])
        mindset = next(s for s in session.sections() if s.stage_id == "mindset" and s.episode_id)
        session.save_draft(mindset.key, spec["mindset"])
        heading, item, text = spec["factor"]
        session.add_factor(heading, item, text, mindset)
        session.add_divergence("Said the message came later than the GP says.", "the GP", mindset)
        session.seal()


def _type_up_and_check(path: Path, passphrase: str, spec: dict) -> None:
    with Store.open(path, passphrase, expect_kind=CONVERSATION) as store:
        account = service.ensure_saved(store).account
        [episode] = account.episodes
        assert episode.title == spec["episode"] and episode.knew == ""  # the capture gave its title only
        # The overview starts from the overview notes; the reviewer types it up in the account's words.
        account = set_text(account, "overview", "She took on the family in the spring.")
        for field, text in spec["typed"].items():
            account = set_text(account, f"episode:{episode.part_id}:{field}", text)
        service.save(store, account)
        service.mark_typed_up(store, date(2026, 1, 16))
        service.send_for_checking(store, date(2026, 1, 17))
        if spec["steps"] == "sent":
            return
        if spec["steps"] == "corrected and agreed":
            service.comments_received(store, date(2026, 1, 20), "The mark was on the left cheek.")
            corrected = set_text(service.load(store).account, f"episode:{episode.part_id}:knew", CORRECTED_KNEW)
            service.save(store, corrected)
        service.agree(store, date(2026, 1, 24))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lt_interview", *args], capture_output=True, text=True,
                          env={**os.environ}, timeout=300)


def _text_of(path: Path) -> str:
    if path.suffix == ".docx":
        from docx import Document

        document = Document(str(path))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    if path.suffix == ".qdpx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    if path.suffix == ".csv":
        rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        return "\n".join(" | ".join(row) for row in rows)
    return path.read_text(encoding="utf-8")


def test_capture_type_up_correct_agree_merge_analyse_and_export(tmp_path, passphrase):
    review_path = tmp_path / "case.ltr"
    files = []
    with create_review(review_path, passphrase, framework=FRAMEWORK, actor="tester") as review:
        names = {p.role: p.name for _, p in review.records(Practitioner)}
        for role in CONVERSATIONS:
            out = tmp_path / f"{role.lower().replace(' ', '-')}.ltc"
            pack(review, passphrase, names[role], out)
            files.append(out)
    for path, spec in zip(files, CONVERSATIONS.values()):
        _capture(path, passphrase, spec)
        _type_up_and_check(path, passphrase, spec)

    merged = _cli("merge", str(review_path), *map(str, files))
    assert merged.returncode == 0, merged.stderr

    # The analysis reads the agreed accounts: the corrected text, with its date.
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        model = open_workspace_model(store)
        items = {item.title: item for item in model.timeline.items}
        visit = items["Small bruise seen at the 8-month review"]
        assert visit.episode.knew == CORRECTED_KNEW and not visit.draft
        assert visit.when_text == "early June 2025" and visit.placed_by == "their date"
        assert visit.date.start == date(2025, 6, 1)
        assert items["Saturday attendance: bruise to the cheek"].draft
        labels = {model.data.label_of_conversation(cid): source.label for cid, source in model.data.accounts.items()}
        assert labels["Health visitor"] == "agreed (version 4, 24 January 2026)"
        assert labels["Emergency department nurse"] == "draft: sent for checking, not yet agreed"
        assert [hit.kind for hit in model.search("left cheek")] == ["episode"]
        assert model.search("Tearful") == [] and model.search("Castellan") == []
        gp_and_hv = [item for item in model.timeline.items if not item.draft]
        assert [item.when_text for item in gp_and_hv] == ["early June 2025", "mid June 2025"]

    out = tmp_path / "pack"
    exported = _cli("export", str(review_path), "-o", str(out), "--format", "all")
    assert exported.returncode == 0, exported.stderr
    written = sorted(out.iterdir())
    assert {path.suffix for path in written} == {".md", ".html", ".docx", ".csv", ".qdpx"}
    by_format: dict[str, str] = {}
    for path in written:
        by_format[path.suffix] = by_format.get(path.suffix, "") + "\n" + _text_of(path)
    for suffix, text in by_format.items():
        assert CORRECTED_KNEW in text, suffix
        assert "early June 2025" in text and "Examined the chest." in text, suffix
        if suffix != ".csv":  # the CSV tables hold the episodes, not the overview
            assert "She took on the family in the spring." in text, suffix
        for raw in (PRIVATE, "Tearful", "Castellan", "Bryn", TYPED_KNEW, "10:20", "Took over the family in spring",
                    "Saw M twice", "Said the message came later", DRAFT_ONLY):
            assert raw not in text, (suffix, raw)

    # Drafts only when asked for, and marked.
    drafts = tmp_path / "drafts"
    exported = _cli("export", str(review_path), "-o", str(drafts), "--format", "all", "--include-drafts")
    assert exported.returncode == 0, exported.stderr
    with_drafts: dict[str, str] = {}
    for path in drafts.iterdir():
        with_drafts[path.suffix] = with_drafts.get(path.suffix, "") + "\n" + _text_of(path)
    assert set(with_drafts) == {".md", ".html", ".docx", ".csv", ".qdpx"}
    for suffix, text in with_drafts.items():
        assert DRAFT_ONLY in text and "draft: sent for checking, not yet agreed" in text, suffix
        assert CORRECTED_KNEW in text and TYPED_KNEW not in text, suffix
        assert PRIVATE not in text and "Castellan" not in text and "Said the message came later" not in text, suffix
