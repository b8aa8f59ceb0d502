"""The accuracy-check document names the first version sent "Version 1" (typing up and sending
the same text are steps of one version), and never shows an empty episode."""

from __future__ import annotations

from datetime import date

from docx import Document

from conftest import open_conversation
from lt_interview.cli import main
from lt_interview.commands.typeup import status_lines
from lt_interview.domain.account import AccountEpisode
from lt_interview.typeup import service
from lt_interview.typeup.accuracy import build_document
from lt_interview.domain.account_parts import set_text


def _docx_text(path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_typed_up_then_sent_is_version_1_and_the_corrected_text_version_2(captured, passphrase, tmp_path):
    with open_conversation(captured, passphrase) as store:
        service.mark_typed_up(store, date(2026, 2, 2))
    out = tmp_path / "out"
    assert main(["accuracy-check", str(captured), "-o", str(out), "--mark-sent", "2026-02-03"]) == 0
    [first] = list(out.iterdir())
    assert "Version 1, sent 3 February 2026" in _docx_text(first)
    assert "-version-1-" in first.name
    with open_conversation(captured, passphrase) as store:
        service.comments_received(store, date(2026, 2, 10), "A date was wrong")
        account = service.load(store).account
        service.save(store, set_text(account, "overview", account.overview + " Corrected."))
        sent = service.send_for_checking(store, date(2026, 2, 11))
        assert sent.number == 4  # the fourth step...
        assert build_document(store).version_line == "Version 2, sent 11 February 2026"  # ...of the second text
        lines = status_lines(store)
    assert "  version 1: typed up on 2 February 2026" in lines
    assert "  version 1: sent for checking on 3 February 2026" in lines
    assert "  version 1: comments received on 10 February 2026" in lines
    assert "  version 2: sent for checking on 11 February 2026" in lines


def test_an_empty_episode_is_left_out_and_the_others_numbered_in_order(captured, passphrase, tmp_path):
    with open_conversation(captured, passphrase) as store:
        account = service.ensure_saved(store).account
        first, *rest = account.episodes
        empty = AccountEpisode()  # a duplicate whose text was cleared
        service.save(store, account.model_copy(update={"episodes": [first, empty, *rest]}))
    out = tmp_path / "out"
    assert main(["accuracy-check", str(captured), "-o", str(out), "--format", "md"]) == 0
    [written] = list(out.iterdir())
    text = written.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## Episode")]
    assert [h.split(":")[0] for h in headings] == [f"## Episode {n}" for n in range(1, len(rest) + 2)]
    assert rest and f"## Episode 2: {rest[0].title}" in text
    episode_sections = text.split("## Episode")[1:]
    assert not any("(Nothing noted yet.)" in section.split("**Your comments:**")[0] for section in episode_sections)
