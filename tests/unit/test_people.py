"""Registering practitioners after the review is created, and recording their information sent,
consent and support needs (DOMAIN.md §13.2)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lt_interview.domain.models import Practitioner
from lt_interview.errors import BadInput
from lt_interview.review.practitioners import register_or_update
from lt_interview.storage.store import REVIEW, Store


def test_register_then_record_consent_as_new_revisions(review_path, passphrase):
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        before = len(store.records(Practitioner))
        pid, practitioner, new = register_or_update(store, "Sam  Okafor", role="School nurse", agency="Education")
        assert new and practitioner.name == "Sam Okafor" and not practitioner.consent
        again, practitioner, new = register_or_update(store, "sam okafor", consent=True, information_sent=True,
                                                      support_needs="Meet after 3 pm")
        assert again == pid and not new
        assert practitioner.consent and practitioner.information_sent and practitioner.role == "School nurse"
        assert len(store.records(Practitioner)) == before + 1
        assert len(store.history(pid)) == 2
        actions = [row[0] for row in store.conn.execute("SELECT action FROM audit WHERE record_id = ?", (pid,))]
        assert len(actions) == 2  # both changes are in the audit trail
        with pytest.raises(BadInput, match="give --role"):
            register_or_update(store, "Nobody Yet")
        with pytest.raises(BadInput, match="nothing to change"):
            register_or_update(store, "Sam Okafor")
        with pytest.raises(BadInput, match="field 'role'"):
            register_or_update(store, "Sam Okafor", role="")
        assert len(store.history(pid)) == 2


def test_review_person_from_the_command_line(review_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "lt_interview", *a], capture_output=True,  # noqa: E731
                                    text=True, env=dict(os.environ), timeout=60)
    made = run("review", "person", str(review_path), "Sam Okafor", "--role", "School nurse", "--agency", "Education")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Registered Sam Okafor: School nurse, Education; information not yet sent")
    changed = run("review", "person", str(review_path), "Sam Okafor", "--consent", "yes",
                  "--information-sent", "yes", "--support-needs", "Meet after 3 pm")
    assert changed.returncode == 0, changed.stderr
    assert "information sent; consent given; support needs: Meet after 3 pm" in changed.stdout
    shown = run("review", "show", str(review_path))
    assert "Sam Okafor: School nurse, Education; information sent; consent given" in shown.stdout
    refused = run("review", "person", str(review_path), "Nobody Yet")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--role" in refused.stderr
    packed = run("pack", str(review_path), "--practitioner", "Sam Okafor", "-o", str(review_path.parent / "s.ltc"))
    assert packed.returncode == 0, packed.stderr  # a practitioner registered later can be packed for


def test_review_set_changes_the_settings_and_refuses_in_one_line(review_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "lt_interview", *a], capture_output=True,  # noqa: E731
                                    text=True, env=dict(os.environ), timeout=60)
    changed = run("review", "set", str(review_path), "--guiding-question", "What helps a bruise get noticed?",
                  "--lawful-basis", "Children Act 2004 s16", "--variant", "mid-range", "--commissioner-term", "Board")
    assert changed.returncode == 0, changed.stderr
    shown = run("review", "show", str(review_path)).stdout
    assert "(mid-range)   Questions for the Board" in shown
    assert "Guiding question: What helps a bruise get noticed?" in shown
    assert "Lawful basis: Children Act 2004 s16" in shown
    refused = run("review", "set", str(review_path), "--variant", "x" * 5000)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "variant" in refused.stderr
