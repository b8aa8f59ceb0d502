#!/usr/bin/env python3
"""End-to-end: drive the real `lt-interview converse` in tmux, kill it mid-typing, reopen.

1. Types notes one key at a time, sends SIGKILL mid-typing, and checks that at most the last
   300 ms of typing is missing from the file (autosave budget, RELIABILITY.md §4).
2. Reopens (answers the "recovered unsaved text" prompt with Keep), types more, sends SIGHUP
   and checks that nothing is missing.
3. Reopens, marks a line as from the reviewers (Shift+F9), notes a divergence with F10 by
   keyboard, quits with Ctrl+Q and finds both in the file.
4. Opens it as a reviewer does, typing the passphrase at the prompt (the screen's modules are
   imported meanwhile), and finds the notes on screen; a wrong passphrase is refused first.

Usage: scripts/e2e_tmux.py [--keep]   (exit 0 on success; needs tmux)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGET_S = 0.300
KEY_GAP_S = 0.02
STAMP = re.compile(r"^\d\d:\d\d ")


SOCKET = f"lt-e2e-{os.getpid()}"  # our own tmux server: never touches anyone else's sessions


def tmux(*args: str, check: bool = True) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=check, capture_output=True, text=True).stdout


# The conversation screen is ready: its top bar names the stage (shown once any question on
# opening is answered). Not "Elapsed": the demo's GP conversation is typed up, and a file opened
# again after its conversation shows its clock paused.
READY = "Introduction and ground rules"


def wait_for(session: str, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in tmux("capture-pane", "-p", "-t", session):
            return
        time.sleep(0.05)
    raise SystemExit(f"FAIL: '{text}' never appeared:\n{tmux('capture-pane', '-p', '-t', session)}")


def start(session: str, env: dict[str, str], path: Path) -> int:
    exe = Path(sys.executable).with_name("lt-interview")
    command = " ".join([
        "exec env", *(f"{k}='{v}'" for k, v in env.items()),
        str(exe), "converse", str(path), "--reviewer", "'Robin Ashdown'",
    ])
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    return int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())


def wait_gone(session: str, pid: int, timeout: float = 5.0) -> None:
    """Wait (up to `timeout`) for the app to exit, then close its tmux session."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            time.sleep(0.05)
        except ProcessLookupError:
            break
    tmux("kill-session", "-t", session, check=False)


def saved_text(path: Path, secret: str) -> tuple[str, int]:
    """The introduction note as the file holds it: the draft if one is pending, else the head."""
    from lt_interview.domain.models import Note
    from lt_interview.storage.store import CONVERSATION, Store

    with Store.open(path, secret, expect_kind=CONVERSATION) as store:
        drafts = [(rid, rec) for rid, rec, _ in store.pending_drafts() if isinstance(rec, Note)]
        notes = drafts or store.records(Note)
        texts = [rec.text for _, rec in notes if rec.stage_id == "introduction"]
        return (texts[0] if texts else ""), len(drafts)


def noted_divergences(path: Path, secret: str) -> list[tuple[str, str]]:
    from lt_interview.domain.models import NotedDivergence
    from lt_interview.storage.store import Store

    with Store.open(path, secret) as store:
        return [(d.differs_from, d.text) for _, d in store.records(NotedDivergence)]


def type_keys(session: str, text: str, stop_after: int | None = None) -> list[float]:
    sent = []
    for index, char in enumerate(text):
        if stop_after is not None and index >= stop_after:
            break
        tmux("send-keys", "-t", session, "-l", char)
        sent.append(time.monotonic())
        time.sleep(KEY_GAP_S)
    return sent


def main() -> int:
    if shutil.which("tmux") is None:
        print("SKIP: tmux is not installed")
        return 0
    from lt_interview.demo import data as demo_data

    work = Path(tempfile.mkdtemp(prefix="lt-e2e-"))
    secret = demo_data.DEMO_PASSPHRASE
    env = {"LT_INTERVIEW_HOME": str(work / "home"), "LT_INTERVIEW_PASSPHRASE": secret, "TERM": "xterm-256color"}
    subprocess.run([str(Path(sys.executable).with_name("lt-interview")), "demo", "--no-open", "--dir",
                    str(work / "demo")], check=True, capture_output=True, env={**os.environ, **env})
    path = work / "demo" / "gp.ltc"
    session = f"lte2e{os.getpid()}"
    text = ("The family moved house twice that spring and the records did not follow them "
            "quickly. She said it felt like chasing a moving target every week. ")
    try:
        # --- 1: SIGKILL mid-typing ----------------------------------------------------------
        base, _ = saved_text(path, secret)  # the demo may already hold notes for this stage
        pid = start(session, env, path)
        wait_for(session, "Introduction and ground rules")
        wait_for(session, "Saved")
        sent = type_keys(session, text, stop_after=120)
        time.sleep(KEY_GAP_S)  # the kill lands between two keystrokes, as if mid-word
        killed_at = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
        tmux("kill-session", "-t", session, check=False)
        note, drafts = saved_text(path, secret)
        if not note.startswith(base):
            print("FAIL: the notes already in the file changed")
            return 1
        body = note[len(base):] if base else STAMP.sub("", note, count=1)
        typed = text[:len(sent)]
        if not typed.startswith(body):
            print(f"FAIL: saved text is not what was typed: {body!r}")
            return 1
        missing = len(typed) - len(body)
        oldest_missing = sent[len(body)] if missing else killed_at
        lag = killed_at - oldest_missing
        print(f"SIGKILL: {len(body)}/{len(typed)} characters saved; missing {missing} "
              f"(typed in the last {lag * 1000:.0f} ms before the kill); drafts pending {drafts}")
        if missing and lag > BUDGET_S:
            print(f"FAIL: lost more than the last {BUDGET_S * 1000:.0f} ms of typing")
            return 1
        if not base and not STAMP.match(note):
            print("FAIL: the note has no time stamp")
            return 1

        # --- 2: reopen, recover, type, SIGHUP ----------------------------------------------
        pid = start(session, env, path)
        if drafts:
            wait_for(session, "Recovered unsaved text")
            tmux("send-keys", "-t", session, "k")
        wait_for(session, READY)
        time.sleep(0.3)
        more = " Second part after reopening, then the terminal closes."
        type_keys(session, more)
        time.sleep(0.1)  # the last key reaches the app; SIGHUP must then lose nothing
        os.kill(pid, signal.SIGHUP)
        wait_gone(session, pid)
        note, drafts = saved_text(path, secret)
        expected = body + more
        got = note[len(base):] if base else STAMP.sub("", note, count=1)
        print(f"SIGHUP: {len(got)}/{len(expected)} characters saved; drafts pending {drafts}")
        if got != expected:
            print(f"FAIL: after SIGHUP the note is {got!r}, expected {expected!r}")
            return 1

        # --- 3: a divergence by keyboard (F10), then Ctrl+Q --------------------------------
        pid = start(session, env, path)
        wait_for(session, READY)
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "Enter")
        type_keys(session, "We mentioned the call-out in May")
        time.sleep(0.2)
        tmux("send-keys", "-t", session, "S-F9")
        wait_for(session, "Marked as from the reviewers")
        tmux("send-keys", "-t", session, "Enter")
        type_keys(session, "Understood the HV had rung the surgery")
        time.sleep(0.2)
        tmux("send-keys", "-t", session, "F10")
        wait_for(session, "Differs from")
        type_keys(session, "the health visitor")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Divergence kept")
        tmux("send-keys", "-t", session, "C-q")
        wait_gone(session, pid)
        noted = noted_divergences(path, secret)
        print(f"Divergence: {noted}")
        if ("the health visitor", "Understood the HV had rung the surgery") not in noted:
            print("FAIL: the divergence typed with F10 is not in the file")
            return 1
        note, _ = saved_text(path, secret)
        marked = [line for line in note.splitlines() if "(from the reviewers) We mentioned the call-out" in line]
        print(f"Marked with Shift+F9: {marked}")
        if not marked:
            print("FAIL: the line marked with Shift+F9 is not marked in the file")
            return 1
        # --- 4: the passphrase typed at the prompt ------------------------------------------
        typed_env = {k: v for k, v in env.items() if k != "LT_INTERVIEW_PASSPHRASE"}
        for attempt, expect in (("not the passphrase", "wrong passphrase, or not an lt-interview file"),
                                (secret, READY)):
            tmux("kill-session", "-t", session, check=False)
            # -u: the tmux server keeps the environment it started in, which may hold a passphrase.
            shell = " ".join(["env -u LT_INTERVIEW_PASSPHRASE", *(f"{k}='{v}'" for k, v in typed_env.items()),
                              str(Path(sys.executable).with_name("lt-interview")), "converse", str(path),
                              "--reviewer", "'Robin Ashdown'", "; echo EXIT=$?; sleep 5"])
            tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "sh", "-c", shell)
            wait_for(session, "Review passphrase:")
            time.sleep(0.5)  # a person takes seconds; the imports need about a quarter of one
            tmux("send-keys", "-t", session, "-l", attempt)
            tmux("send-keys", "-t", session, "Enter")
            wait_for(session, expect)
        screen = tmux("capture-pane", "-p", "-t", session)
        if "Second part after reopening" not in screen and "Understood the HV" not in screen:
            print("FAIL: after typing the passphrase the notes are not on screen")
            return 1
        tmux("send-keys", "-t", session, "C-q")
        wait_for(session, "EXIT=0")
        print("Passphrase typed at the prompt: a wrong one refused, the right one opened the notes")

        print("PASS")
        return 0
    finally:
        tmux("kill-server", check=False)
        if "--keep" not in sys.argv:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
