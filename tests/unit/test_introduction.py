"""The introduction script (prompts/introduction.md) as issue 20 asks: the reviewers say they have
not read the records, Learning Together appraises practice so nothing promises not to judge, and
confidentiality and the checking of notes are explained."""

from lt_interview.domain.structure import load_structure


def test_introduction_is_true_to_the_method():
    structure = load_structure()
    text = " ".join(structure.introduction.split())
    assert "We have not read the case records or a chronology" in text
    assert "not here to judge" not in text and "not to blame anyone" not in text
    assert "The review does look at practice" in text and "reasonably be expected at the time" in text
    assert "## Confidentiality and its limits" in structure.introduction
    assert "send them to you to check for accuracy" in text
    prompts = " ".join(structure.stage("introduction").prompts)
    assert "not read the case records" in prompts and "blame" not in prompts
