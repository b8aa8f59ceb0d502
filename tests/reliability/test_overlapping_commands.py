"""One process writes a file at a time (RELIABILITY.md §1.2, D4; issue #18 item 1).

A command takes its file's lock when it opens the file and holds it to the end: nothing in it
opens the file a second time (which, with POSIX locks, would release the lock). Proved with two
real processes: the first is held at a named point (lt_interview/pause_points.py), late in its
work, and the second must be turned away with "already open" (exit 3) while the first's data,
and then the second's when run again, all arrive. Every writing verb is held once with a merge
coming in (so each one keeps the lock to its end), and a held merge turns every verb away (so
each one refuses a held file): together, every pair of writing verbs. Fictional data only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lt_interview.storage.store import REVIEW, Store
from tests.reliability.overlap_helpers import build_case, cli, note_texts, run_together, sound, start_held

pytestmark = pytest.mark.reliability

C0_NOTES = {f"c0 note {i}" for i in range(3)}
C1_NOTES = {f"c1 note {i}" for i in range(3)}
C0B_NOTES = {f"c0b note {i}" for i in range(2)}

_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def case(tmp_path_factory, tmp_path, passphrase) -> Path:
    if passphrase not in _TEMPLATE:
        _TEMPLATE[passphrase] = build_case(tmp_path_factory.mktemp("overlap-template"), passphrase)
    work = tmp_path / "case"
    shutil.copytree(_TEMPLATE[passphrase], work)
    return work


def refused(result) -> bool:
    return result.returncode == 3 and "already open" in result.stderr and result.stderr.count("\n") == 1


def review_setting(path: Path, passphrase: str, name: str):
    from lt_interview.storage.lookups import review_record

    with Store.open(path, passphrase, expect_kind=REVIEW) as store:
        return getattr(review_record(store)[1], name)


def test_two_merges_at_once_the_second_is_turned_away_and_nothing_is_lost(case, passphrase):
    """Seen before: two merges at once, half reported success with their data missing."""
    review = case / "review.ltr"
    first = start_held("merge.saving", "merge", review, case / "c0.ltc", work=case)
    try:
        second = cli("merge", review, case / "c1.ltc")
    finally:
        done = first.release()
    assert refused(second), second.stderr
    assert done.returncode == 0, done.stderr
    again = cli("merge", review, case / "c1.ltc")
    assert again.returncode == 0, again.stderr
    sound(review)
    assert C0_NOTES | C1_NOTES <= note_texts(review, passphrase)


# Each writing verb on the review, held once its work is done and just before it closes the file.
HELD_VERBS = {
    "merge": (["merge", "{review}", "{case}/c1.ltc"], "close review.ltr"),
    "review set": (["review", "set", "{review}", "--guiding-question", "What helped most?"], "close review.ltr"),
    "review person": (["review", "person", "{review}", "Pat Example", "--role", "School nurse"],
                      "close review.ltr"),
    "pack": (["pack", "{review}", "--practitioner", "Chris Dunmore", "-o", "{case}/c2.ltc"], "close review.ltr"),
    "chronology import": (["chronology", "import", "{review}", "{case}/chronology.csv"], "close review.ltr"),
    "chronology unlock": (["chronology", "unlock", "{review}", "--reason", "analysis meeting"], "close review.ltr"),
    "export": (["export", "{review}", "-o", "{case}/out"], "close review.ltr"),
    "purge": (["purge", "{review}", "--yes"], "close review.ltr"),
}


def _args(words, case: Path) -> list[str]:
    return [word.format(review=case / "review.ltr", case=case) for word in words]


@pytest.mark.parametrize("verb", sorted(HELD_VERBS))
def test_each_writing_verb_holds_the_lock_to_its_end(case, passphrase, verb):
    review = case / "review.ltr"
    if verb == "purge":
        assert cli("review", "set", review, "--retain-until", "2020-01-01").returncode == 0
    words, point = HELD_VERBS[verb]
    held = start_held(point, *_args(words, case), work=case)
    try:
        merging = cli("merge", review, case / "c0.ltc")
    finally:
        done = held.release()
    assert refused(merging), merging.stderr
    assert done.returncode == 0, done.stderr
    sound(review)
    again = cli("merge", review, case / "c0.ltc")
    if verb == "purge":  # a purged review takes nothing back, and says so
        assert again.returncode == 2 and "purged" in again.stderr
        assert note_texts(review, passphrase) == set()
        return
    assert again.returncode == 0, again.stderr
    texts = note_texts(review, passphrase)
    assert C0_NOTES <= texts
    if verb == "merge":
        assert C1_NOTES <= texts
    if verb == "review set":
        assert review_setting(review, passphrase, "guiding_question") == "What helped most?"
    if verb == "pack":
        sound(case / "c2.ltc")


# Every verb that opens a review, while a merge holds it in the middle of its transaction.
REFUSED_VERBS = {
    "merge": ["merge", "{review}", "{case}/c1.ltc"],
    "review set": ["review", "set", "{review}", "--legal-hold", "on"],
    "review person": ["review", "person", "{review}", "Pat Example", "--role", "School nurse"],
    "review show": ["review", "show", "{review}"],
    "pack": ["pack", "{review}", "--practitioner", "Chris Dunmore", "-o", "{case}/c2.ltc"],
    "chronology import": ["chronology", "import", "{review}", "{case}/chronology.csv"],
    "chronology unlock": ["chronology", "unlock", "{review}", "--reason", "analysis meeting"],
    "export": ["export", "{review}", "-o", "{case}/out"],
    "purge": ["purge", "{review}", "--yes"],
    "check": ["check", "{review}"],
    "conflicts": ["merge", "{review}", "--conflicts"],
}


def test_a_merge_in_progress_turns_every_other_verb_away(case, passphrase):
    review = case / "review.ltr"
    held = start_held("merge.saving", "merge", review, case / "c0.ltc", work=case)
    try:
        results = run_together({verb: _args(words, case) for verb, words in REFUSED_VERBS.items()})
    finally:
        done = held.release()
    assert {verb for verb, result in results.items() if not refused(result)} == set(), {
        verb: result.stderr for verb, result in results.items()}
    assert done.returncode == 0, done.stderr
    sound(review)
    assert C0_NOTES <= note_texts(review, passphrase)
    assert not (case / "c2.ltc").exists() and not (case / "out").exists()
    assert review_setting(review, passphrase, "legal_hold") is False  # the refused `review set` did nothing


def test_combining_copies_keeps_converse_out_of_the_conversation_file(case, passphrase):
    """Seen before: type-up combining copies while `converse` opened the same file corrupted it."""
    target = case / "c0.ltc"
    held = start_held("close c0.ltc", "typeup", target, case / "c0b.ltc", "--no-open", work=case)
    try:
        conversing = cli("converse", target, "--role", "lead", timeout=30)
        typing_up = cli("typeup", target, case / "c0b.ltc", "--no-open")
    finally:
        done = held.release()
    assert refused(conversing), conversing.stderr
    assert refused(typing_up), typing_up.stderr
    assert done.returncode == 0, done.stderr
    sound(target)
    assert C0_NOTES | C0B_NOTES <= note_texts(target, passphrase)


def test_merging_a_conversation_file_being_combined_is_refused(case, passphrase):
    """The input of a merge is read in place only once no one holds it: a copy being combined
    for type-up is turned away whole, and the review is unchanged."""
    from tests.storage.helpers import digest

    review = case / "review.ltr"
    before = digest(review)
    held = start_held("close c0.ltc", "typeup", case / "c0.ltc", case / "c0b.ltc", "--no-open", work=case)
    try:
        merging = cli("merge", review, case / "c0.ltc")
    finally:
        done = held.release()
    assert done.returncode == 0, done.stderr
    assert merging.returncode in (2, 3) and "c0.ltc" in merging.stderr and "open" in merging.stderr, merging.stderr
    assert digest(review) == before
    assert cli("merge", review, case / "c0.ltc").returncode == 0
    assert C0_NOTES | C0B_NOTES <= note_texts(review, passphrase)
