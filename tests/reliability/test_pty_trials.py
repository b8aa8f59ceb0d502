"""D1, D2, D4 in CI: the real app in a pseudo-terminal, killed and signalled while typing."""

import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.slow]
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import pty_trials  # noqa: E402

KILL_TRIALS = 50


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return pty_trials.run(KILL_TRIALS, workers=2, seed=11, work=tmp_path_factory.mktemp("pty"))


def test_sigkill_mid_typing_loses_at_most_300_ms(results):
    kills = [r for r in results if r.kind == "SIGKILL"]
    assert len(kills) == KILL_TRIALS
    failures = [r.detail for r in kills if not r.ok]
    assert not failures, pty_trials.summarise(results)
    assert all(r.integrity == "ok" for r in kills)
    assert any(r.saved > 0 for r in kills)  # the trials really typed and saved


@pytest.mark.parametrize("kind", ["SIGHUP", "SIGTERM"])
def test_hangup_and_terminate_lose_nothing(results, kind):
    (trial,) = [r for r in results if r.kind == kind]
    assert trial.ok, pty_trials.summarise(results)
    assert trial.saved == trial.typed > 0


def test_second_instance_is_refused_and_the_first_loses_nothing(results):
    (trial,) = [r for r in results if r.kind == "second instance"]
    assert trial.ok, pty_trials.summarise(results)


def test_escape_sequences_in_a_file_never_reach_the_terminal(results):
    (trial,) = [r for r in results if r.kind == "escapes"]
    assert trial.ok, pty_trials.summarise(results)
