"""The accuracy-check document as a practitioner receives it, and the command that writes it:
people's own names refused like pseudonym-map names, plain one-line refusals for output
folders, a second --mark-sent, a British A4 DOCX with its own properties, the role as
registered, no empty documents, and a version line tying returned comments to the copy sent."""

from __future__ import annotations

import errno
import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from conftest import open_conversation
from lt_interview.cli import main
from lt_interview.review.conversation_files import pack
from lt_interview.storage.store import REVIEW, Store
from lt_interview.typeup import checks, service
from lt_interview.domain.account_parts import set_text


def _set_overview(path: Path, passphrase: str, text: str) -> None:
    with open_conversation(path, passphrase) as store:
        state = service.ensure_saved(store)
        service.save(store, set_text(state.account, "overview", text))


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for s in document.sections for p in s.footer.paragraphs]
    return "\n".join(parts)


def _packed(review_path: Path, passphrase: str, who: str, out: Path) -> Path:
    with Store.open(review_path, passphrase, expect_kind=REVIEW, actor_id="tester") as review:
        pack(review, passphrase, who, out)
    return out


# --- 1. people's own names, and the reminder count ----------------------------------------------


@pytest.mark.parametrize("text, whose", [
    ("hartley rang the GP the next day.", "the practitioner's own name"),  # Jo Hartley, any case
    ("The notes HARTLEY's team kept.", "the practitioner's own name"),
    ("We said so: Okafor agreed with the plan.", "a reviewer's name"),  # Sam Okafor
    ("I spoke to Robin Ashdown afterwards.", "a reviewer's name"),
])
def test_the_practitioners_and_reviewers_names_are_refused(captured, passphrase, tmp_path, capsys, text, whose):
    _set_overview(captured, passphrase, text)
    out = tmp_path / "out"
    assert main(["accuracy-check", str(captured), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not written: the section 'Your overview' contains " + whose in err
    assert not any(name in err.casefold() for name in ("hartley", "okafor", "ashdown", "robin"))
    assert not out.exists() or not any(out.iterdir())


def test_ordinary_words_that_are_also_names_are_not_refused(captured, passphrase, tmp_path):
    # Robin Ashdown is a reviewer; "robin" the bird, and "In May", are ordinary words.
    _set_overview(captured, passphrase, "Robin redbreast on the sill; a robin sang. In May, Joanne visited.")
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "out"), "--format", "md"]) == 0
    [written] = list((tmp_path / "out").iterdir())
    assert "a robin sang" in written.read_text(encoding="utf-8")


def test_type_up_reminds_about_people_names_without_repeating_them(captured, passphrase):
    text = "Hartley and Sam talked; a robin sang. We told Robin."
    _set_overview(captured, passphrase, text)
    with open_conversation(captured, passphrase) as store:
        notices = [n for n in checks.all_notices(store, service.load(store).account) if n.kind == "name"]
    assert [n.start for n in notices] == [0, 12, text.index("Robin")]
    assert "practitioner's own name" in notices[0].message and "reviewer's name" in notices[1].message
    assert not any(word in n.message for n in notices for word in ("Hartley", "Sam", "Robin"))


def test_judging_phrases_are_counted_in_one_reminder_line(captured, passphrase, tmp_path, capsys):
    _set_overview(captured, passphrase, "Looking back it was obvious; we should have rung.")
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    reminders = [line for line in out.splitlines() if line.startswith("Reminder:")]
    assert reminders == ["Reminder: 2 phrases may read as judging; type-up shows where (the document "
                         "was written all the same)."]


# --- 2. output folders -------------------------------------------------------------------------


def test_a_folder_that_cannot_be_made_is_one_plain_line(captured, passphrase, tmp_path, capsys, monkeypatch):
    target, mkdir = tmp_path / "ro", Path.mkdir

    def read_only(self, *args, **kwargs):
        if self == target:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "ro")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"lt-interview: {tmp_path / 'ro'}: cannot create the folder (the disc is read-only)"


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs a Linux /proc")
def test_proc_is_refused_in_one_line(captured, passphrase, capsys):
    assert main(["accuracy-check", str(captured), "-o", "/proc/lt-interview-x"]) == 2
    err = capsys.readouterr().err
    assert "/proc/lt-interview-x: cannot create the folder (" in err and "went wrong" not in err


def test_a_file_in_the_path_is_called_a_file(captured, passphrase, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "afile" / "sub")]) == 2
    assert f"{tmp_path / 'afile'}: is a file, not a folder" in capsys.readouterr().err


def test_an_empty_output_folder_is_refused(captured, passphrase, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["accuracy-check", str(captured), "-o", ""])
    assert exit_info.value.code == 2
    assert "give a folder with -o" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.docx"))


# --- 3. a second --mark-sent --------------------------------------------------------------------


def test_mark_sent_again_writes_a_fresh_copy_and_records_nothing(captured, passphrase, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["accuracy-check", str(captured), "-o", str(out), "--mark-sent", "2026-02-03"]) == 0
    capsys.readouterr()
    assert main(["accuracy-check", str(captured), "-o", str(out), "--mark-sent", "2026-02-05"]) == 0
    said = capsys.readouterr()
    assert "already recorded as sent for checking on 3 February 2026; nothing new was recorded" in said.out
    assert "cannot move" not in said.err + said.out
    first, second = sorted(out.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    with open_conversation(captured, passphrase) as store:
        sent = [v for _, v in service.versions(store) if v.status == "sent_for_checking"]
    assert len(sent) == 1
    line = f"Version {sent[0].number}, sent 3 February 2026"
    assert line in _docx_text(first) and line in _docx_text(second)


def test_mark_sent_after_an_unrecorded_change_is_refused_before_writing(captured, passphrase, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["accuracy-check", str(captured), "-o", str(out), "--mark-sent", "2026-02-03"]) == 0
    _set_overview(captured, passphrase, "A corrected overview.")
    assert main(["accuracy-check", str(captured), "-o", str(out), "--mark-sent", "2026-02-09"]) == 2
    err = capsys.readouterr().err
    assert "sent for checking on 3 February 2026 and has changed since" in err
    assert "cannot move" not in err
    assert len(list(out.iterdir())) == 1


# --- 4. a British A4 DOCX with its own properties ------------------------------------------------


def _assert_british_a4(data: bytes) -> None:
    document = Document(io.BytesIO(data))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert Mm(20) <= section.left_margin <= Mm(30) and Mm(20) <= section.top_margin <= Mm(30)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}
    assert not any("en-US" in text for text in xml.values())
    assert 'w:val="en-GB"' in xml["word/styles.xml"]
    body = xml["word/document.xml"]
    assert body.count("<w:r>") + body.count("<w:r ") == body.count('<w:lang w:val="en-GB"')
    properties = document.core_properties
    assert properties.created.year >= 2024 and properties.modified.year >= 2024
    assert abs((datetime.now(timezone.utc) - properties.created.replace(tzinfo=timezone.utc)).total_seconds()) < 2 * 86400
    assert properties.author == properties.last_modified_by == "lt-interview"


def test_accuracy_docx_is_a4_british_with_its_own_properties(captured, passphrase, tmp_path):
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "out")]) == 0
    [written] = list((tmp_path / "out").iterdir())
    _assert_british_a4(written.read_bytes())
    properties = Document(str(written)).core_properties
    assert properties.title == "Your conversation with the review team"
    assert "Hartley" not in properties.title + properties.author + properties.comments


def test_analysis_pack_docx_is_a4_british_too():
    from lt_interview.export import docx
    from lt_interview.export.analysis_pack import Heading, Pack, Para

    pack_ = Pack(title="Demo analysis pack", blocks=[Heading(1, "Findings"), Para("Some text.")])
    _assert_british_a4(docx.render(pack_))


# --- 5. the role as registered --------------------------------------------------------------------


def test_the_role_is_kept_as_registered(review_path, passphrase, tmp_path):
    gp = _packed(review_path, passphrase, "GP", tmp_path / "gp.ltc")
    _set_overview(gp, passphrase, "Saw M twice for minor illness.")
    assert main(["accuracy-check", str(gp), "-o", str(tmp_path / "out")]) == 0
    [written] = list((tmp_path / "out").iterdir())
    text = _docx_text(written)
    assert "Your role: GP" in text and " gp" not in text and "a GP" not in text


# --- 6. nothing typed up -------------------------------------------------------------------------


def test_a_conversation_with_nothing_typed_up_is_not_written(review_path, passphrase, tmp_path, capsys):
    planned = _packed(review_path, passphrase, "Nursery key worker", tmp_path / "n.ltc")
    assert main(["accuracy-check", str(planned), "-o", str(tmp_path / "out")]) == 2
    assert "nothing has been typed up for this conversation yet" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_planned_conversation_with_notes_is_written_with_a_note(review_path, passphrase, tmp_path, capsys):
    planned = _packed(review_path, passphrase, "Nursery key worker", tmp_path / "n.ltc")
    _set_overview(planned, passphrase, "M settled well at nursery.")
    assert main(["accuracy-check", str(planned), "-o", str(tmp_path / "out")]) == 0
    assert "Note: this conversation is still recorded as planned." in capsys.readouterr().out


def test_mark_sent_on_a_planned_conversation_is_refused_in_plain_words(review_path, passphrase, tmp_path, capsys):
    planned = _packed(review_path, passphrase, "Nursery key worker", tmp_path / "n.ltc")
    _set_overview(planned, passphrase, "M settled well at nursery.")
    assert main(["accuracy-check", str(planned), "-o", str(tmp_path / "out"), "--mark-sent"]) == 2
    err = capsys.readouterr().err
    assert "still recorded as planned; record it as held" in err and "cannot move" not in err


# --- 7. the opening, and the version line -------------------------------------------------------


def test_the_document_says_it_is_the_typed_up_notes_and_which_version(captured, passphrase, tmp_path):
    out = tmp_path / "out"
    assert main(["accuracy-check", str(captured), "-o", str(out), "--mark-sent", "2026-11-24"]) == 0
    [written] = list(out.iterdir())
    text = _docx_text(written)
    assert "After we meet" not in text and "we will type up" not in text
    assert "These are the notes of our conversation, typed up as your account." in text
    with open_conversation(captured, passphrase) as store:
        number = service.latest_version(store, "sent_for_checking").number
    assert f"Version {number}, sent 24 November 2026" in text
    assert f"-version-{number}-" in written.name


def test_an_unsent_edit_is_labelled_a_draft(captured, passphrase, tmp_path):
    _set_overview(captured, passphrase, "Edited, not yet recorded.")
    assert main(["accuracy-check", str(captured), "-o", str(tmp_path / "out"), "--format", "md"]) == 0
    [written] = list((tmp_path / "out").iterdir())
    assert "Draft of " in written.read_text(encoding="utf-8")
    assert "-draft-" in written.name


def test_the_output_folder_is_made_with_the_folders_above_it(review_path, passphrase, tmp_path):
    """`accuracy-check -o out/ac` failed when out/ was missing, although --help says the folder
    is created."""
    gp = _packed(review_path, passphrase, "GP", tmp_path / "gp.ltc")
    _set_overview(gp, passphrase, "Saw M twice for minor illness.")
    assert main(["accuracy-check", str(gp), "-o", str(tmp_path / "out" / "ac")]) == 0
    [written] = list((tmp_path / "out" / "ac").iterdir())
    assert written.suffix == ".docx"
    assert (tmp_path / "out").stat().st_mode & 0o077 == 0
