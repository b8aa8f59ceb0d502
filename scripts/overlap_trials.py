#!/usr/bin/env python3
"""Overlapping commands, kills and a full disk, with real processes (issue #18; RELIABILITY.md D4).

    .venv/bin/python scripts/overlap_trials.py --trials 20

The tests hold one command at a named point to make each overlap certain; here nothing is held:
two commands start at the same moment and race, or a command is SIGKILLed at a random moment,
as happens in use. Each trial holds when every file is sound (`lt-interview check`), every
command that reported success has its data in the file, the other got "already open" (exit 3)
or ran after it, and nothing else was printed.

- races: merge + merge, merge + review set, pack + merge, type-up combining copies + type-up
  combining copies, chronology import + merge;
- kill-merge: a merge checking its inputs in worker processes SIGKILLed at a random moment:
  its workers must be gone within 5 s, the review sound, and the next merge complete;
- kill-export: `export --format all` SIGKILLed at a random moment: the output folder holds the
  whole pack or nothing of it;
- disk-full (Linux, as root, where a small tmpfs can be mounted): a merge onto a nearly full file
  system: exit 2 "the disk is full", nothing left behind and the review byte for byte unchanged,
  or, when it fits, a sound merged review.
Fictional data only (tests/reliability/overlap_helpers.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.overlap_helpers import add_notes, build_case, note_texts  # noqa: E402

PASSPHRASE = "overlap trials (fictional)"
C0 = {f"c0 note {i}" for i in range(3)}
C1 = {f"c1 note {i}" for i in range(3)}
C0B = {f"c0b note {i}" for i in range(2)}


def start(*args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lt_interview", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, err


def run(*args, env=None) -> tuple[int, str, str]:
    result = subprocess.run([sys.executable, "-m", "lt_interview", *map(str, args)], capture_output=True,
                            text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    return result.returncode, result.stdout, result.stderr


def sound(path: Path) -> bool:
    code, out, _ = run("check", path)
    return code == 0 and "sound" in out


def acceptable(code: int, err: str) -> bool:
    """Success, or turned away with exactly the "already open" line."""
    return code == 0 or (code == 3 and "already open" in err and err.count("\n") == 1)


def guiding_question(review: Path) -> str:
    from lt_interview.storage.lookups import review_record
    from lt_interview.storage.store import Store

    with Store.open(review, PASSPHRASE) as store:
        return review_record(store)[1].guiding_question


def race(kind: str, case: Path, trial: int) -> tuple[bool, str]:
    review = case / "review.ltr"
    question = f"What helped in trial {trial}?"
    pairs = {
        "merge+merge": (["merge", review, case / "c0.ltc"], ["merge", review, case / "c1.ltc"]),
        "merge+review set": (["merge", review, case / "c0.ltc"],
                             ["review", "set", review, "--guiding-question", question]),
        "pack+merge": (["pack", review, "--practitioner", "Chris Dunmore", "-o", case / "c2.ltc"],
                       ["merge", review, case / "c0.ltc"]),
        "typeup+typeup": (["typeup", case / "c0.ltc", case / "c0b.ltc", "--no-open"],
                          ["typeup", case / "c0.ltc", case / "c0b.ltc", "--no-open"]),
        "chronology+merge": (["chronology", "import", review, case / "chronology.csv"],
                             ["merge", review, case / "c0.ltc"]),
    }
    first, second = pairs[kind]
    processes = [start(*first), start(*second)]
    (code_a, err_a), (code_b, err_b) = (finish(p) for p in processes)
    if not (acceptable(code_a, err_a) and acceptable(code_b, err_b)) or code_a == code_b == 3:
        return False, f"exits {code_a}/{code_b}: {err_a.strip()} | {err_b.strip()}"
    files = [case / "c0.ltc"] if kind == "typeup+typeup" else [review]
    if (case / "c2.ltc").exists():
        files.append(case / "c2.ltc")
    if not all(sound(path) for path in files):
        return False, "a file is not sound"
    overlap = "one turned away (exit 3)" if 3 in (code_a, code_b) else "ran in turn"
    if kind == "typeup+typeup":
        if not C0 | C0B <= note_texts(case / "c0.ltc", PASSPHRASE):
            return False, "combined notes missing"
        return True, overlap
    texts = note_texts(review, PASSPHRASE)
    merged = {"merge+merge": [(code_a, C0), (code_b, C1)], "merge+review set": [(code_a, C0)],
              "pack+merge": [(code_b, C0)], "chronology+merge": [(code_b, C0)]}[kind]
    for code, notes in merged:
        if code == 0 and not notes <= texts:
            return False, "a merge reported success without its notes"
    if kind == "merge+review set" and code_b == 0 and guiding_question(review) != question:
        return False, "review set reported success without its change"
    return True, overlap


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def kill_merge(case: Path, trial: int, rng: random.Random) -> tuple[bool, str]:
    review = case / "review.ltr"
    env = {**os.environ, "TMPDIR": str(case / "tmp")}
    (case / "tmp").mkdir(exist_ok=True)
    process = start("merge", review, case / "c0.ltc", case / "c1.ltc", env=env)
    workers: set[int] = set()
    started = time.monotonic() + 30
    while not workers and process.poll() is None and time.monotonic() < started:
        workers |= children(process.pid)
        time.sleep(0.005)
    deadline = time.monotonic() + rng.uniform(0, 0.4)  # a random moment while they check
    while time.monotonic() < deadline and process.poll() is None:
        workers |= children(process.pid)
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    gone_by = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < gone_by:
        time.sleep(0.02)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    if left:
        return False, f"{len(left)} workers outlived the merge"
    if not sound(review):
        return False, "review not sound"
    code, _, err = run("merge", review, case / "c0.ltc", case / "c1.ltc")
    if code != 0 or not C0 | C1 <= note_texts(review, PASSPHRASE):
        return False, f"the next merge: {err.strip()}"
    if any(".before-merge." in path.name for path in case.iterdir()):
        return False, "a temporary backup was left"
    return True, f"killed with {len(workers)} workers"


def kill_export(case: Path, trial: int, rng: random.Random) -> tuple[bool, str]:
    out = case / f"out-{trial}"
    process = start("export", case / "review.ltr", "-o", out, "--format", "all")
    time.sleep(rng.uniform(0.3, 4.0))
    process.send_signal(signal.SIGKILL)
    process.wait()
    unfinished = any("lt-export-unfinished" in path.name for path in case.iterdir())
    if not out.exists():
        return True, "nothing" + (" (an unfinished folder beside it)" if unfinished else "")
    suffixes = {path.suffix for path in out.iterdir()}
    if suffixes == {".md", ".html", ".docx", ".csv", ".qdpx"}:
        return True, "whole pack"
    return False, f"partial pack: {sorted(suffixes)}"


def disk_full(base: Path, trial: int, rng: random.Random, template: Path) -> tuple[bool, str]:
    mount = base / f"small-{trial}"
    mount.mkdir()
    used = sum(path.stat().st_size for path in template.iterdir()) // 1024
    size = used + rng.randint(16, 3 * used)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}k", "tmpfs", str(mount)],
                      capture_output=True).returncode:
        raise SystemExit("disk-full trials need root and tmpfs")
    try:
        for path in template.iterdir():
            shutil.copy2(path, mount / path.name)
        review = mount / "review.ltr"
        before = hashlib.sha256(review.read_bytes()).hexdigest()
        names = sorted(path.name for path in mount.iterdir())
        env = {**os.environ, "TMPDIR": str(mount)}
        code, out, err = run("merge", review, mount / "c0.ltc", mount / "c1.ltc", env=env)
        if code == 0:
            return sound(review) and C0 | C1 <= note_texts(review, PASSPHRASE), "fitted"
        if code != 2 or "the disk is full" not in err or err.count("\n") != 1:
            return False, f"exit {code}: {err.strip()}"
        if sorted(path.name for path in mount.iterdir()) != names:
            return False, "files left behind"
        if hashlib.sha256(review.read_bytes()).hexdigest() != before:
            return False, "review changed"
        return True, "refused"
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="trials of each kind")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--only", default="", help="comma-separated kinds (default: all that can run)")
    args = parser.parse_args()
    os.environ["LT_INTERVIEW_PASSPHRASE"] = PASSPHRASE
    rng = random.Random(args.seed)
    base = Path(tempfile.mkdtemp(prefix="lt-overlap-"))
    os.environ["LT_INTERVIEW_HOME"] = str(base / "home")
    template = build_case(base / "template", PASSPHRASE)
    big = build_case(base / "template-big", PASSPHRASE)
    filler = "a long fictional note about nothing in particular " * 16_000
    for name in ("c0.ltc", "c1.ltc"):
        add_notes(big / name, PASSPHRASE, [filler] * 3, device="device-a")
    merged = base / "template-merged"
    shutil.copytree(template, merged)
    run("merge", merged / "review.ltr", merged / "c0.ltc", merged / "c1.ltc")
    kinds = ["merge+merge", "merge+review set", "pack+merge", "typeup+typeup", "chronology+merge",
             "kill-merge", "kill-export"]
    if sys.platform.startswith("linux") and os.geteuid() == 0:
        kinds.append("disk-full")
    if args.only:
        kinds = [kind for kind in kinds if kind in args.only.split(",")]
    print(f"{'trial kind':<18} {'tried':>5} {'held':>5}  notes")
    failed = 0
    for kind in kinds:
        held, notes = 0, {}
        for trial in range(args.trials):
            case = base / f"{kind.replace(' ', '-').replace('+', '-')}-{trial}"
            source = {"kill-merge": big, "kill-export": merged}.get(kind, template)
            if kind == "disk-full":
                ok, note = disk_full(base, trial, rng, big)
            else:
                shutil.copytree(source, case)
                if kind == "kill-merge":
                    ok, note = kill_merge(case, trial, rng)
                elif kind == "kill-export":
                    ok, note = kill_export(case, trial, rng)
                else:
                    ok, note = race(kind, case, trial)
                shutil.rmtree(case, ignore_errors=True)
            held += ok
            key = note if ok else f"NOT HELD: {note}"
            notes[key] = notes.get(key, 0) + 1
        failed += args.trials - held
        summary = "; ".join(f"{count}x {note}" for note, count in sorted(notes.items()) if note)
        print(f"{kind:<18} {args.trials:>5} {held:>5}  {summary}", flush=True)
    shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
