"""I1/I3: byte-mutated conversation files and chronology CSVs give only typed one-line errors,
never hang, and never change the review file."""

import hashlib
import shutil
import threading

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lt_interview.domain.models import Note, Reviewer
from lt_interview.errors import LtError
from lt_interview.merge.importer import merge_files
from lt_interview.review.chronology import parse_csv
from lt_interview.review.conversation_files import pack
from lt_interview.storage.store import Store

pytestmark = pytest.mark.reliability
PASSPHRASE = "fuzzing passphrase 42"


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    import os

    from lt_interview.demo.data import FRAMEWORK
    from lt_interview.review.setup import create_review

    folder = tmp_path_factory.mktemp("fuzz")
    os.environ.setdefault("LT_INTERVIEW_HOME", str(folder / "home"))
    review = folder / "review.ltr"
    with create_review(review, PASSPHRASE, framework=FRAMEWORK) as store:
        conversation = pack(store, PASSPHRASE, "Morgan Lyle", folder / "nursery.ltc")
    with Store.open(conversation, PASSPHRASE) as store:
        author = store.records(Reviewer)[0][0]
        for i in range(30):
            store.put(Note(conversation_id=store.meta("conversation_id"), stage_id="overview",
                           author_id=author, text=f"note {i} " * 30))
    return review, conversation


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


HANG_SECONDS = 60  # a refusal takes milliseconds: this only tells a hang (I3) from a slow machine


def finishing(what: str, work) -> None:
    """Run `work` in a thread and re-raise what it raised; fail, naming `what`, if it is still
    running after HANG_SECONDS (the thread is left behind rather than hanging the whole run)."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the test's thread below
            raised.append(exc)

    thread = threading.Thread(target=run, name=f"fuzz: {what}", daemon=True)
    thread.start()
    thread.join(HANG_SECONDS)
    if thread.is_alive():
        pytest.fail(f"{what} did not finish within {HANG_SECONDS} s on this input: it hangs", pytrace=False)
    if raised:
        raise raised[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=6),
       cut=st.none() | st.integers(0, 10**7))
def test_mutated_conversation_files_are_refused_cleanly(sources, tmp_path_factory, flips, cut):
    review, conversation = sources
    work = tmp_path_factory.mktemp("case")
    target_review, mutated = work / "review.ltr", work / "mutated.ltc"
    shutil.copyfile(review, target_review)
    data = bytearray(conversation.read_bytes())
    for offset, value in flips:
        data[offset % len(data)] = value
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    mutated.write_bytes(bytes(data))
    before = sha(target_review)
    try:
        # A deadline that flags a hang, not a speed: merge_files must come back, with or without an error.
        finishing("merging a damaged conversation file", lambda: merge_files(target_review, [mutated], PASSPHRASE))
    except LtError as exc:
        assert "\n" not in str(exc) and str(exc)
        assert sha(target_review) == before


@settings(max_examples=200)
@given(rows=st.lists(st.tuples(st.text(max_size=20), st.text(max_size=20), st.text(max_size=60)), max_size=8),
       noise=st.text(max_size=40))
def test_random_chronology_csv_gives_typed_errors(rows, noise):
    text = "date,agency,event\n" + "\n".join(",".join(row) for row in rows) + noise
    try:
        entries = parse_csv(text, source="fuzz.csv")
    except LtError as exc:
        assert "\n" not in str(exc)
    else:
        assert all("\x1b" not in e.event for e in entries)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=6),
       cut=st.none() | st.integers(0, 10**7))
def test_mutated_review_files_are_refused_cleanly_by_every_opener(sources, tmp_path_factory, flips, cut):
    """Opening a damaged review file (review show, check, analyse, export all start here) gives a
    typed one-line error or a sound file, never a traceback, and never changes the file."""
    from lt_interview.review.file_check import check_file

    review, _ = sources
    data = bytearray(review.read_bytes())
    for offset, value in flips:
        data[offset % len(data)] = value
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    target = tmp_path_factory.mktemp("review") / "damaged.ltr"
    target.write_bytes(bytes(data))
    before = sha(target)
    openers = {"opening a damaged review file": lambda: Store.open(target, PASSPHRASE).close(),
               "checking a damaged review file": lambda: check_file(target, PASSPHRASE)}
    for what, opener in openers.items():
        try:
            finishing(what, opener)  # a deadline that flags a hang, not a speed
        except LtError as exc:
            assert "\n" not in str(exc) and str(exc)
        assert sha(target) == before
