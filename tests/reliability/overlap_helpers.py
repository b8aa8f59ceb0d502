"""Two real lt-interview processes over one file: the first held at a named point
(lt_interview/pause_points.py) while the second runs. Fictional data only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from lt_interview.pause_points import ENV_FILE, ENV_POINT

TIMEOUT_S = 60


def cli(*args, env: dict | None = None, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lt_interview", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def run_together(commands: dict[str, list[str]]) -> dict[str, subprocess.CompletedProcess]:
    """Run several lt-interview commands at the same time; their results by name."""
    started = {name: subprocess.Popen([sys.executable, "-m", "lt_interview", *map(str, args)], text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
               for name, args in commands.items()}
    results = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=TIMEOUT_S)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


@dataclass
class Held:
    """A command started and held at `point` until release()."""

    process: subprocess.Popen
    base: Path

    def release(self) -> subprocess.CompletedProcess:
        Path(str(self.base) + ".go").touch()
        out, err = self.process.communicate(timeout=TIMEOUT_S)
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=TIMEOUT_S)


def start_held(point: str, *args, work: Path, env_extra: dict | None = None) -> Held:
    """Start `lt-interview ARGS` and return once it has reached `point` (still running)."""
    base = work / f"pause-{time.monotonic_ns()}"
    env = {**os.environ, ENV_POINT: point, ENV_FILE: str(base), **(env_extra or {})}
    process = subprocess.Popen([sys.executable, "-m", "lt_interview", *map(str, args)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL)
    reached = Path(str(base) + ".reached")
    deadline = time.monotonic() + TIMEOUT_S
    while not reached.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"{args[0]} ended (exit {process.returncode}) before {point!r}: {out}{err}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"{args[0]} never reached {point!r}")
        time.sleep(0.01)
    return Held(process, base)


def build_case(directory: Path, passphrase: str) -> Path:
    """review.ltr with two conversation files carrying notes (c0, c1), a second reviewer's copy
    of c0 with notes of its own (c0b), and a chronology CSV."""
    from lt_interview.demo.data import FRAMEWORK
    from lt_interview.review.conversation_files import pack
    from lt_interview.review.setup import create_review
    from lt_interview.storage.store import REVIEW, Store

    directory.mkdir(parents=True, exist_ok=True)
    review = directory / "review.ltr"
    create_review(review, passphrase, framework=FRAMEWORK, actor="tester").close()
    with Store.open(review, passphrase, expect_kind=REVIEW) as store:
        pack(store, passphrase, "Jo Hartley", directory / "c0.ltc")
        pack(store, passphrase, "Dr Priya Nandi", directory / "c1.ltc")
    shutil.copyfile(directory / "c0.ltc", directory / "c0b.ltc")  # a closed file: a whole copy
    add_notes(directory / "c0.ltc", passphrase, [f"c0 note {i}" for i in range(3)], device="device-a")
    add_notes(directory / "c1.ltc", passphrase, [f"c1 note {i}" for i in range(3)], device="device-a")
    add_notes(directory / "c0b.ltc", passphrase, [f"c0b note {i}" for i in range(2)], device="device-b")
    (directory / "chronology.csv").write_text("date,agency,event\n2025-03-04,GP practice,Appointment\n",
                                              encoding="utf-8")
    return directory


def add_notes(path: Path, passphrase: str, texts: list[str], *, device: str) -> None:
    from lt_interview.domain.models import Note, Reviewer
    from lt_interview.storage.store import CONVERSATION, Store

    with Store.open(path, passphrase, expect_kind=CONVERSATION, device_id=device) as store:
        conversation_id = store.meta("conversation_id")
        author = store.records(Reviewer)[0][0]
        with store.transaction():
            for text in texts:
                store.put(Note(conversation_id=conversation_id, stage_id="overview", author_id=author, text=text))


def note_texts(path: Path, passphrase: str) -> set[str]:
    from lt_interview.domain.models import Note
    from lt_interview.storage.store import Store

    with Store.open(path, passphrase) as store:
        return {note.text for _, note in store.records(Note)}


def sound(path: Path) -> None:
    result = cli("check", path)
    assert result.returncode == 0 and "sound" in result.stdout, result.stdout + result.stderr
