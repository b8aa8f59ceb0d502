"""A conversation file holds the framework, the structure and one practitioner only."""

from datetime import date

import pytest

from lt_interview.domain.models import ChronologyEntry, Conversation, Note, Practitioner
from lt_interview.errors import BadInput
from lt_interview.review.conversation_files import pack
from lt_interview.storage.store import CONVERSATION, REVIEW, Store


def test_pack_holds_no_chronology_and_nothing_of_another_practitioner(review_path, passphrase, tmp_path):
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as review:
        review.put(ChronologyEntry(when=date(2025, 7, 1), agency="Police", event="CHRONO-SECRET call-out"))
        practitioners = dict((p.name, pid) for pid, p in review.records(Practitioner))
        # Another practitioner's conversation already has notes in the review.
        other = pack(review, passphrase, "Dr Priya Nandi", tmp_path / "gp.ltc")
        gp_conversation = [cid for cid, c in review.records(Conversation)
                           if c.practitioner_id == practitioners["Dr Priya Nandi"]][0]
        review.put(Note(conversation_id=gp_conversation, stage_id="overview", author_id="x",
                        text="OTHER-ACCOUNT text"))
        out = pack(review, passphrase, "Jo Hartley", tmp_path / "hv.ltc")
        pseudonym_rows = review.db["pseudonym_map"].count
    assert other.exists() and pseudonym_rows == 3
    with Store.open(out, passphrase, expect_kind=CONVERSATION) as conv:
        kinds = {row[0] for row in conv.conn.execute("SELECT DISTINCT kind FROM revision")}
        assert "chronology" not in kinds
        bodies = " ".join(row[0] for row in conv.conn.execute("SELECT body FROM revision"))
        assert "CHRONO-SECRET" not in bodies and "OTHER-ACCOUNT" not in bodies
        assert [p.name for _, p in conv.records(Practitioner)] == ["Jo Hartley"]
        assert "Dr Priya Nandi" not in bodies
        conversations = conv.records(Conversation)
        assert len(conversations) == 1 and conversations[0][0] == conv.meta("conversation_id")
        assert conv.db["pseudonym_map"].count == 0
        assert conv.db["name_guard"].count > 0  # digests only
        guards = " ".join(row[0] for row in conv.conn.execute("SELECT digest FROM name_guard"))
        assert "Tenterden" not in guards


def test_pack_refuses_unknown_practitioner_and_existing_output(review_path, passphrase, tmp_path):
    with Store.open(review_path, passphrase) as review:
        with pytest.raises(BadInput, match="no practitioner called 'Nobody'"):
            pack(review, passphrase, "Nobody", tmp_path / "x.ltc")
        (tmp_path / "exists.ltc").write_bytes(b"")
        with pytest.raises(BadInput, match="already exists"):
            pack(review, passphrase, "Jo Hartley", tmp_path / "exists.ltc")


def test_conversation_file_derives_the_same_key_elsewhere(review_path, passphrase, tmp_path):
    """Another laptop: a fresh process with no cached key opens the pack with the passphrase."""
    import subprocess
    import sys

    with Store.open(review_path, passphrase) as review:
        out = pack(review, passphrase, "Morgan Lyle", tmp_path / "nursery.ltc")
    result = subprocess.run([sys.executable, "-m", "lt_interview", "check", str(out)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "conversation file" in result.stdout


def test_a_copied_conversation_file_starts_its_own_audit_chain_and_merges(review_path, passphrase, tmp_path):
    """The lead and the notetaker each take a plain copy of one pack to their laptops."""
    import shutil

    from lt_interview.domain.models import WentWell
    from lt_interview.merge.importer import merge_files

    with Store.open(review_path, passphrase) as review:
        original = pack(review, passphrase, "Jo Hartley", tmp_path / "hv.ltc")
    copy = tmp_path / "laptop-2" / "hv.ltc"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)
    texts = {}
    for path, author in ((original, "notetaker"), (copy, "lead")):
        with Store.open(path, passphrase, actor_id=author) as conv:
            conversation_id = conv.meta("conversation_id")
            conv.put(WentWell(conversation_id=conversation_id, text=f"noted by the {author}"))
            texts[author] = conv.chain_id
            assert conv.verify_audit() > 0
    assert texts["notetaker"] != texts["lead"]
    merge_files(review_path, [original, copy], passphrase)
    with Store.open(review_path, passphrase) as review:
        assert sorted(w.text for _, w in review.records(WentWell)) == ["noted by the lead", "noted by the notetaker"]
        assert review.verify_audit() > 0
