"""A review's structure copy (`review structure --export/--adopt`) carries stages the team added
and the family variant of the conversation, and reads back the same (issue 20)."""

from __future__ import annotations

from lt_interview.cli import main
from lt_interview.domain.structure import load_structure
from lt_interview.review.setup import create_review
from lt_interview.storage.lookups import structure_of
from lt_interview.storage.store import REVIEW, Store


def test_added_stages_and_family_variant_survive_export_and_adopt(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LT_INTERVIEW_PASSPHRASE", "correct horse battery staple")
    review = tmp_path / "review.ltr"
    with create_review(review, "correct horse battery staple", name="Fictional review", actor="test"):
        pass
    folder = tmp_path / "method"
    assert main(["review", "structure", str(review), "--export", str(folder)]) == 0
    assert (folder / "family.toml").exists() and (folder / "family_introduction.md").exists()
    text = (folder / "conversation.toml").read_text(encoding="utf-8")
    closing = ('\n[[stage]]\nid = "closing"\nnumber = "8"\ntitle = "Closing and next steps"\nshort = "Closing"\n'
               'prompts = ["What happens next with these notes?"]\n')
    (folder / "conversation.toml").write_text(text + closing, encoding="utf-8")
    assert load_structure(folder).stages[-1].id == "closing"
    assert main(["review", "structure", str(review), "--adopt", str(folder)]) == 0
    with Store.open(review, "correct horse battery staple", expect_kind=REVIEW) as store:
        structure = structure_of(store)
    assert [s.id for s in structure.conversation.added] == ["closing"]
    assert structure.family_conversation is not None
    assert structure.for_family().stage("overview").title == "Your family's story"
    assert structure.for_family().introduction == structure.family_introduction

    (folder / "conversation.toml").write_text(text + closing + closing, encoding="utf-8")
    capsys.readouterr()
    assert main(["review", "structure", str(review), "--adopt", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'closing' is used more than once" in err
