"""Speed and footprint budgets (issue 7), each figure beside a baseline measured in the same run.

    .venv/bin/python scripts/bench.py --quick            # under 2 minutes
    .venv/bin/python scripts/bench.py                    # the full run, under 15 minutes
    .venv/bin/python scripts/bench.py --cache DIR --json OUT.json --only merge,analysis

Prints one table (figure, ours, baseline, ratio, budget, pass/miss) and writes every number,
with the samples behind it, as JSON (default: bench-results.json in the work folder, a new
temporary folder unless --work is given; never inside the repository).

Every measurement runs in a child process of its own, so each side starts cold, a peak RSS can
be read per process (os.wait4), and nothing one figure loads slows another:

- Start-up: `lt-interview converse FILE` on a two-hour conversation file (its first section
  holds a 20,000-word note), as a reviewer meets it: on a pty, the passphrase typed TYPING_S
  after its prompt appears (run_typed_child); the time waited (spawn to the prompt, plus Enter to
  the first frame of the interactive conversation screen) against a bare Textual app showing one
  Label (spawn to its first frame), through the same harness (scripts/bench_tui.py). The same
  start-up with the passphrase from the environment is shown beside it, with the Argon2 key
  derivation and the whole store opening reported separately.
- Keystroke to screen: a few hundred keys typed at the end of the 20,000-word note, from a
  second thread at an uneven typist's pace, against a bare TextArea holding the same text;
  latency = key handed to the driver -> first frame showing it (bench_tui.py explains).
- Autosave: Store.save_draft of the 20,000-word note (median, p99) against a raw upsert of the
  same row on the same connection; and typing with the autosave timer running against typing
  with it switched off, checking that every key reached the editor and the draft in the file.
- Merge: 10, 100 and 1,000 synthetic conversations of 500 records (scripts/synthetic.py) into
  a review, against a raw SQLite ATTACH + INSERT ... SELECT of the same rows
  (scripts/bench_merge.py); both start from the same review with the key already derived.
- Analysis: open_workspace_model and export_pack in every format on the merged
  100-conversation review, against a raw read (and a raw JSON dump) of every current record.
- Memory: peak RSS of the TUI child typing in the two-hour conversation (against the bare
  TextArea child) and of the largest merge child (against the raw copy child).

Synthetic sets are cached in --cache (default: a folder in the system temp directory), keyed by
size, seed and a digest of the generator, so reruns skip the generation.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
SEED = 1
NOTE_WORDS = 20_000
NOTES_PER_CONVERSATION = 500
FIXTURE_VERSION = "2"  # bump when the fixtures below change shape (2: UUIDv7 ids, domain/ids.py)
SECTIONS = ("startup", "keys", "autosave", "merge", "analysis", "limits")

# Run sizes: quick mode stays under two minutes, the full run under fifteen.
QUICK = {"startup_runs": 5, "keys": 150, "saves": 100, "merge_sizes": (10, 100), "merge_repeats": 1,
         "analysis_runs": 1, "limit_runs": 1}
FULL = {"startup_runs": 10, "keys": 400, "saves": 300, "merge_sizes": (10, 100, 1000), "merge_repeats": 2,
        "analysis_runs": 3, "limit_runs": 3}


# --- small statistics -------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); p99 of 200 samples is the second largest."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "median": statistics.median(values) if values else math.nan,
            "p99": percentile(values, 99), "max": max(values) if values else math.nan,
            "min": min(values) if values else math.nan}


# --- child processes --------------------------------------------------------------------------

class ChildFailed(RuntimeError):
    pass


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _process_tree(pid: int) -> list[int]:
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as children:
                waiting.extend(int(child) for child in children.read().split())
        except OSError:
            pass
    return found


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a child and its own children (the merge's worker processes)
    every 20 ms: wait4 reports the largest single process, not what they hold together. A sum of
    RSS counts pages the workers share with their parent twice, so it errs high."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.stopped = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.02):
            self.peak_mb = max(self.peak_mb, sum(_rss_mb(pid) for pid in _process_tree(self.pid)))


def run_child(args: list[str], env: dict, log: Path, timeout: float = 900, expect: int = 0) -> dict:
    """Run `python ARGS`; return {"wall_s", "maxrss_mb", "tree_peak_mb", "code"}: this child's own
    peak RSS, and the sampled peak of it and its children together. Any exit code but `expect`
    fails the run."""
    env = dict(env, BENCH_T0=repr(time.time()))
    started = time.perf_counter()
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(args)}\n".encode())
        out.flush()
        proc = subprocess.Popen([PYTHON, *args], env=env, stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                cwd=ROOT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        tree = TreeMemory(proc.pid)
        tree.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            tree.stopped.set()
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != expect:
        raise ChildFailed(f"child {' '.join(args[:3])} exited {proc.returncode}; see {log}")
    return {"wall_s": wall, "maxrss_mb": usage.ru_maxrss / 1024,
            "tree_peak_mb": max(tree.peak_mb, usage.ru_maxrss / 1024), "code": proc.returncode}


TYPING_S = 1.0  # how long the passphrase takes to type (a person: longer; a password manager's paste: less)
PROMPT = b"passphrase: "


def run_typed_child(args: list[str], env: dict, log: Path, passphrase: str,
                    timeout: float = 120) -> tuple[float, float]:
    """Run `python ARGS` on a terminal of its own (a pty) without the passphrase in its
    environment, wait for its passphrase prompt, type the passphrase TYPING_S later and press
    Enter. Returns when the prompt was seen and when Enter was pressed, in seconds after the
    child's BENCH_T0."""
    import pty
    import select

    t0 = time.time()
    env = {key: value for key, value in env.items() if key != "LT_INTERVIEW_PASSPHRASE"}
    env["BENCH_T0"] = repr(t0)
    pid, terminal = pty.fork()
    if pid == 0:  # the child: its own session, the pty its controlling terminal (getpass opens /dev/tty)
        try:
            os.chdir(ROOT)
            os.execve(PYTHON, [PYTHON, *args], env)
        finally:
            os._exit(127)
    seen, prompt_s, enter_s, deadline = b"", None, None, time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if enter_s is None and PROMPT in seen:
                prompt_s = time.time() - t0
                time.sleep(TYPING_S)
                enter_s = time.time() - t0
                os.write(terminal, passphrase.encode() + b"\n")
            ready, _, _ = select.select([terminal], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(terminal, 65536)
                except OSError:  # the child has closed the terminal: it is exiting
                    break
                if not chunk:
                    break
                seen += chunk
        else:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(terminal)
        with open(log, "ab") as out:
            out.write(f"\n$ (on a pty) {' '.join(args)}\n".encode() + seen)
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or enter_s is None:
        raise ChildFailed(f"child {' '.join(args[:3])} exited {code}"
                          f"{'' if enter_s is not None else ' without asking for the passphrase'}; see {log}")
    return prompt_s, enter_s


def child_json(args: list[str], out: Path, env: dict, log: Path, timeout: float = 900) -> dict:
    out.unlink(missing_ok=True)
    meta = run_child(args, env, log, timeout)
    data = json.loads(out.read_text())
    data["_child"] = meta
    return data


# --- fixtures (cached) ------------------------------------------------------------------------

def _generator_digest() -> str:
    digest = hashlib.sha256(FIXTURE_VERSION.encode())
    for name in ("synthetic.py",):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:10]


def cached(cache: Path, name: str, build) -> Path:
    """`cache/name`, built by `build(folder)` once; a half-built folder is never reused."""
    folder = cache / name
    if (folder / "complete").exists():
        return folder
    partial = cache / f"{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    partial.mkdir(parents=True, mode=0o700)
    started = time.perf_counter()
    build(partial)
    (partial / "complete").write_text(json.dumps({"built_s": time.perf_counter() - started}))
    partial.rename(folder)
    return folder


def synthetic_set(bench: "Bench", conversations: int, notes: int, seed: int = SEED) -> Path:
    """A review and `conversations` conversation files of about `notes` records (synthetic.py)."""
    return cached(bench.cache, f"synthetic-{conversations}x{notes}-seed{seed}-{_generator_digest()}",
                  lambda folder: bench.child(["child", "build-synthetic", str(folder), str(conversations),
                                              str(notes), str(seed)]))


def two_hour_conversation(bench: "Bench", seed: int = SEED) -> Path:
    """See child_build_two_hour."""
    return cached(bench.cache, f"two-hour-seed{seed}-{_generator_digest()}",
                  lambda folder: bench.child(["child", "build-two-hour", str(folder), str(seed)]))


def _synthetic_passphrase() -> str:
    """synthetic.PASSPHRASE, read without importing synthetic (and so lt_interview) here."""
    import ast

    for node in ast.parse((HERE / "synthetic.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "PASSPHRASE":
            return ast.literal_eval(node.value)
    raise RuntimeError("scripts/synthetic.py defines no PASSPHRASE")


def copy_store(bench: "Bench", source: Path, target: Path) -> Path:
    """A fresh copy through the backup API (never a file copy: RELIABILITY.md §1.3)."""
    bench.child(["child", "copy", str(source), str(target)])
    return target


# --- the figures ------------------------------------------------------------------------------

class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.sizes = QUICK if args.quick else FULL
        self.work: Path = args.work
        self.cache: Path = args.cache
        self.log = self.work / "children.log"
        self.env = dict(os.environ)
        home = self.work / "home"
        home.mkdir(mode=0o700, exist_ok=True)
        self.env.update(LT_INTERVIEW_HOME=str(home), LT_INTERVIEW_PASSPHRASE=_synthetic_passphrase(),
                        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        # Children run with cached bytecode, as the installed app does (`pip install .` compiles
        # it): a PYTHONDONTWRITEBYTECODE inherited from the shell would make every start-up
        # compile lt_interview from source. The cache lives in the work folder, so that neither
        # the checkout nor site-packages is written to; each side's warm-up run fills it.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(self.work / "pycache")
        self.results: dict = {}
        self.rows: list[dict] = []

    def child(self, args: list[str], timeout: float = 1800) -> dict:
        """Run `bench.py ARGS` in a child (the parent never imports lt_interview, so that each
        child's ru_maxrss is its own: Linux carries the parent's peak across fork and exec)."""
        return run_child([str(HERE / "bench.py"), *args], self.env, self.log, timeout)

    def say(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    def row(self, figure: str, ours: float | None, baseline: float | None, unit: str, budget: str,
            ok: bool | None, ratio: float | None = None, note: str = "") -> None:
        if ratio is None and ours is not None and baseline:
            ratio = ours / baseline
        self.rows.append({"figure": figure, "ours": ours, "baseline": baseline, "unit": unit, "ratio": ratio,
                          "budget": budget, "ok": ok, "note": note})

    # --- start-up ---------------------------------------------------------------------------

    def startup(self) -> None:
        folder = two_hour_conversation(self)
        conversation = copy_store(self, folder / "two-hour.ltc", self.work / "startup.ltc")
        runs = self.sizes["startup_runs"]
        sides = ("bare", "floor", "ours", "ours-typed")
        targets = {"bare": "-", "floor": str(folder / "note.txt"), "ours": str(conversation),
                   "ours-typed": str(conversation)}
        samples: dict[str, list[dict]] = {side: [] for side in sides}
        self.say(f"start-up: {runs} runs each, taking turns, after one warm-up each")
        for index in range(runs + 1):
            for side in sides:
                out = self.work / f"startup-{side}.json"
                args = [str(HERE / "bench_tui.py"), "startup", side, targets[side], str(out)]
                if side == "ours-typed":
                    out.unlink(missing_ok=True)
                    prompt_s, enter_s = run_typed_child(args, self.env, self.log,
                                                        self.env["LT_INTERVIEW_PASSPHRASE"])
                    data = json.loads(out.read_text())
                    data.update(prompt_s=prompt_s, enter_s=enter_s, enter_to_screen_s=data["screen_s"] - enter_s,
                                waiting_s=prompt_s + data["screen_s"] - enter_s)
                else:
                    data = child_json(args, out, self.env, self.log, timeout=120)
                if index:  # the first run of each side warms the disk cache and bytecode
                    samples[side].append(data)
        screen = {side: [s["screen_s"] for s in samples[side]] for side in sides}
        ours, bare, floor = screen["ours"], screen["bare"], screen["floor"]
        argon = [s["argon2_s"] for s in samples["ours"]]
        opening = [s["store_open_s"] for s in samples["ours"]]
        before_open = [s["open_start_s"] for s in samples["ours"]]
        after_open = [s["screen_s"] - s["app_run_s"] for s in samples["ours"]]
        bare_after_run = [s["screen_s"] - s["app_run_s"] for s in samples["bare"]]
        self.results["startup"] = {
            "screen_s": {side: summary(screen[side]) for side in sides},
            "argon2_s": summary(argon), "store_open_s": summary(opening),
            "start_to_open_s": summary(before_open),
            "app_run_to_screen_s": {"ours": summary(after_open), "bare": summary(bare_after_run)},
            "samples": samples,
        }
        typed = samples["ours-typed"]
        for figure in ("prompt_s", "enter_to_screen_s", "waiting_s"):
            self.results["startup"][f"typed_{figure}"] = summary([s[figure] for s in typed])
        self.results["startup"]["typed_imports_after_prompt_s"] = summary(
            [s["preload_done_s"] - s["prompt_s"] for s in typed])
        waiting = statistics.median(s["waiting_s"] for s in typed)
        ratio = waiting / statistics.median(bare)
        self.row("start-up to conversation screen, time waited (median)", waiting, statistics.median(bare),
                 "s", "<= 1.5x", ratio <= 1.5,
                 note=f"as a reviewer meets it: `lt-interview converse FILE` on a terminal (a pty), the passphrase "
                      f"typed {TYPING_S:.0f} s after its prompt appeared; spawn to the prompt plus Enter to the first "
                      "frame of the ready screen. The screen's modules are imported while the passphrase is typed "
                      f"(done {statistics.median(s['preload_done_s'] - s['prompt_s'] for s in typed) * 1000:.0f} ms "
                      "after the prompt appeared). Bare = a Textual app showing one Label, spawn to its first frame")
        self.row("  of which spawn to the passphrase prompt", statistics.median(s["prompt_s"] for s in typed),
                 None, "s", "", None)
        self.row("  of which Enter to the ready screen", statistics.median(s["enter_to_screen_s"] for s in typed),
                 None, "s", "", None,
                 note=f"Argon2id {statistics.median(s['argon2_s'] for s in typed) * 1000:.0f} ms of it (on every core), "
                      f"App.run to first frame {statistics.median(s['screen_s'] - s['app_run_s'] for s in typed) * 1000:.0f} ms")
        self.row("start-up, passphrase from the environment (median)", statistics.median(ours),
                 statistics.median(bare), "s", "", None,
                 note="spawn to the first frame of the ready screen with LT_INTERVIEW_PASSPHRASE set (scripts and "
                      "tests): no typing to import behind, so the imports come before the first frame")
        self.row("  floor: pydantic + the same note in a TextArea", statistics.median(floor),
                 statistics.median(bare), "s", "", None,
                 note="a bare Textual app that imports pydantic, builds and uses one small model, and shows "
                      "the same 20,000-word note in a soft-wrapped TextArea: the fixed stack's cost of this "
                      "screen's one unavoidable piece, before any of lt-interview's own work")
        self.row("  ours against the floor", statistics.median(ours), statistics.median(floor), "s", "", None)
        self.row("  of which interpreter, imports, arguments", statistics.median(before_open),
                 statistics.median(s["app_run_s"] for s in samples["bare"]), "s", "", None,
                 note="ours includes the screen's modules, imported while the Argon2id key derives in a "
                      "background thread (started by converse once it has the passphrase and the salt)")
        self.row("  of which opening the file", statistics.median(opening), None, "s", "", None,
                 note=f"waiting for the Argon2id key {statistics.median(argon) * 1000:.0f} ms of it (the rest of the "
                      "derivation overlaps the imports); the rest is quick_check, schema and audit-chain checks")
        self.row("  of which screen imports and set-up", statistics.median(
            s["app_run_s"] - s["open_start_s"] - s["store_open_s"] for s in samples["ours"]), None, "s", "", None)
        self.row("  of which App.run to first frame", statistics.median(after_open),
                 statistics.median(bare_after_run), "s", "", None,
                 note="ours mounts the whole conversation screen and wraps the 20,000-word note")

    # --- keystrokes, autosave -----------------------------------------------------------------

    def keys(self) -> None:
        """Rounds of 100 keys, the three sides taking turns, so a change in the machine's load
        falls on all of them alike."""
        folder = two_hour_conversation(self)
        rounds = max(1, self.sizes["keys"] // 100)
        per_round = self.sizes["keys"] // rounds
        sides = ("bare", "ours", "ours-noautosave")
        found: dict[str, dict] = {side: {"rounds": []} for side in sides}
        for number in range(rounds):
            self.say(f"keystrokes: round {number + 1} of {rounds}, {per_round} keys each for {', '.join(sides)}")
            for side in sides:
                if side == "bare":
                    target = str(folder / "note.txt")
                else:
                    target = str(copy_store(self, folder / "two-hour.ltc", self.work / f"keys-{side}.ltc"))
                out = self.work / f"keys-{side}.json"
                found[side]["rounds"].append(child_json(
                    [str(HERE / "bench_tui.py"), "keys", side, target, str(out), "--keys", str(per_round),
                     "--seed", str(7 + number)], out, self.env, self.log, timeout=300))
        for data in found.values():
            rounds_ = data["rounds"]
            data["latencies_ms"] = [value for r in rounds_ for value in r["latencies_ms"]]
            data["summary_ms"] = summary(data["latencies_ms"])
            data["maxrss_mb"] = max(r["_child"]["maxrss_mb"] for r in rounds_)
            data["vmhwm_mb"] = max(r.get("vmhwm_mb") or 0 for r in rounds_)
            data["every_key_in_editor"] = all(r["editor_has_every_key"] and r["shown"] == r["keys"] for r in rounds_)
            data["gc_pauses_ms"] = {g: [v for r in rounds_ for v in r["gc_pauses_ms"][g]] for g in ("0", "1", "2")}
            data["slow_keys"] = sum(r["slow_keys"] for r in rounds_)
            for key in ("saves", "keys_during_save", "delayed_during_save"):
                if key in rounds_[0]:
                    data[key] = sum(r[key] for r in rounds_)
            if "save_ms" in rounds_[0]:
                data["save_ms"] = summary([v for r in rounds_ for v in r["save_ms"]])
                data["keys_during_save_ms"] = [v for r in rounds_ for v in r["keys_during_save_ms"]]
                data["keys_during_save_overlap_ms"] = [v for r in rounds_ for v in r["keys_during_save_overlap_ms"]]
            if "commit_ms" in rounds_[0]:
                data["commit_ms"] = summary([v for r in rounds_ for v in r["commit_ms"]])
                data["keys_during_commit_ms"] = [v for r in rounds_ for v in r["keys_during_commit_ms"]]
                data["keys_during_commit_overlap_ms"] = [
                    v for r in rounds_ for v in r["keys_during_commit_overlap_ms"]]
            if "draft_has_every_key" in rounds_[0]:
                data["draft_has_every_key"] = all(r["draft_has_every_key"] for r in rounds_)
        self.results["keys"] = found
        ours, bare, quiet = (found[s]["summary_ms"] for s in ("ours", "bare", "ours-noautosave"))
        self.row("keystroke to screen, median (20,000 words)", ours["median"], bare["median"], "ms", "", None)
        ratio = ours["p99"] / bare["p99"]
        self.row("keystroke to screen, p99 (20,000 words)", ours["p99"], bare["p99"], "ms",
                 "<= 1.2x and < 16 ms", ratio <= 1.2 and ours["p99"] < 16,
                 note=f"over 16 ms: {found['ours']['slow_keys']} of {len(found['ours']['latencies_ms'])} keys "
                      f"(bare TextArea: {found['bare']['slow_keys']}); full garbage collections while typing: "
                      f"{len(found['ours']['gc_pauses_ms']['2'])}, longest "
                      f"{max(found['ours']['gc_pauses_ms']['2'] or [0]):.0f} ms (bare: "
                      f"{len(found['bare']['gc_pauses_ms']['2'])}, "
                      f"{max(found['bare']['gc_pauses_ms']['2'] or [0]):.0f} ms)")
        data = found["ours"]
        # A key is delayed by autosave when a save ran while it waited (its part on the UI thread,
        # or its commit on the writer thread), it took longer than the slowest 1% of keys typed
        # with autosave switched off, and it would not have without the time it shared with the
        # save (its latency less that overlap is within the line). A key over the line by more
        # than a save could have held it was slow for another reason: the machine's noise, which
        # the autosave-off side meets as well. Keys over the line either way are in the note.
        line = quiet["p99"]

        def held(latencies, overlaps):
            return sum(1 for value, shared in zip(latencies, overlaps) if value > line >= value - shared)

        during = data["keys_during_save_ms"] + data["keys_during_commit_ms"]
        over_line = sum(1 for value in during if value > line)
        delayed = held(data["keys_during_save_ms"], data["keys_during_save_overlap_ms"])
        delayed_commit = held(data["keys_during_commit_ms"], data["keys_during_commit_overlap_ms"])
        data["delayed_by_autosave"] = delayed
        data["delayed_during_commit"] = delayed_commit
        every = data["every_key_in_editor"] and data["draft_has_every_key"]
        self.row("typing while autosave runs, p99 (vs autosave off)", ours["p99"], quiet["p99"], "ms",
                 "no dropped or delayed key", every and delayed == 0 and delayed_commit == 0,
                 note=f"{data['saves']} saves: on the UI thread median {data['save_ms']['median']:.1f} ms, p99 "
                      f"{data['save_ms']['p99']:.1f} ms, {data['keys_during_save']} keys arrived during that part, "
                      f"{delayed} of them held past the autosave-off p99 by it; the commit on the writer thread "
                      f"median {data['commit_ms']['median']:.1f} ms, p99 {data['commit_ms']['p99']:.1f} ms, "
                      f"{len(data['keys_during_commit_ms'])} keys arrived during one, {delayed_commit} of them "
                      f"held past it; {over_line} keys during a save were over the p99 at all (slowest "
                      f"{max(during, default=0):.2f} ms against autosave off's p99 {quiet['p99']:.2f} and "
                      f"maximum {quiet['max']:.2f} ms); "
                      f"{'every key reached the editor and the draft in the file' if every else 'KEYS MISSING'}")
        self.row("memory: two-hour conversation open (peak RSS)", data["maxrss_mb"], found["bare"]["maxrss_mb"],
                 "MB", "< 200 MB", data["maxrss_mb"] < 200,
                 note="includes Argon2id's 64 MiB working memory while the file opens")

    def autosave(self) -> None:
        folder = two_hour_conversation(self)
        target = copy_store(self, folder / "two-hour.ltc", self.work / "autosave.ltc")
        out = self.work / "autosave.json"
        self.say(f"autosave: {self.sizes['saves']} commits of the 20,000-word note")
        data = child_json([str(HERE / "bench.py"), "child", "autosave", str(target), str(out),
                           str(self.sizes["saves"])], out, self.env, self.log)
        ours, raw, call = summary(data["store_ms"]), summary(data["raw_ms"]), summary(data["session_ms"])
        self.results["autosave"] = {"store_save_draft_ms": ours, "raw_upsert_ms": raw, "session_save_draft_ms": call,
                                    "note_bytes": data["note_bytes"], "samples": data}
        self.row("autosave commit (Store.save_draft), median", ours["median"], raw["median"], "ms", "", None)
        self.row("autosave commit (Store.save_draft), p99", ours["p99"], raw["p99"], "ms", "< 10 ms",
                 ours["p99"] < 10)
        self.row("  whole autosave call (clean, validate, commit), p99", call["p99"], raw["p99"], "ms", "", None)

    # --- merge --------------------------------------------------------------------------------

    def merge(self) -> None:
        found = []
        for size in self.sizes["merge_sizes"]:
            self.say(f"merge: {size} conversations x {NOTES_PER_CONVERSATION} (building the set if not cached)")
            data_folder = synthetic_set(self, size, NOTES_PER_CONVERSATION)
            work = self.work / f"merge-{size}"
            work.mkdir(exist_ok=True)
            # Each side's quickest of the repeats (taking turns), as timeit does: on a shared machine
            # a slower run measures the neighbours; every run's time is kept in the JSON.
            runs: dict[str, list[dict]] = {"raw": [], "ours": []}
            for _ in range(self.sizes["merge_repeats"]):
                for side in ("raw", "ours"):
                    out = work / f"{side}.json"
                    runs[side].append(child_json([str(HERE / "bench.py"), "child", "merge", side,
                                                  str(data_folder), str(work), str(out)], out, self.env, self.log))
            sides = {side: dict(min(done, key=lambda run: run["seconds"]),
                                all_seconds=[run["seconds"] for run in done],
                                tree_peak_mb=max(run["_child"]["tree_peak_mb"] for run in done),
                                maxrss_mb=max(run["_child"]["maxrss_mb"] for run in done))
                     for side, done in runs.items()}
            if sides["ours"]["revisions"] != sides["raw"]["revisions"]:
                raise ChildFailed(f"merge of {size}: our merge and the raw copy disagree on the revisions")
            found.append({"conversations": size, "ours": sides["ours"], "raw": sides["raw"],
                          "ratio": sides["ours"]["seconds"] / sides["raw"]["seconds"],
                          "ours_ms_per_conversation": sides["ours"]["seconds"] / size * 1000,
                          "raw_ms_per_conversation": sides["raw"]["seconds"] / size * 1000})
        self.results["merge"] = found
        for item in found:
            self.row(f"merge {item['conversations']:,} conversations x {NOTES_PER_CONVERSATION}",
                     item["ours"]["seconds"], item["raw"]["seconds"], "s", "<= 3x", item["ratio"] <= 3,
                     note=f"{item['ours_ms_per_conversation']:.0f} vs {item['raw_ms_per_conversation']:.0f} "
                          "ms per conversation")
        if len(found) >= 2:
            small, large = found[-2], found[-1]
            scale = math.log(large["conversations"] / small["conversations"])
            ours_exp = math.log(large["ours"]["seconds"] / small["ours"]["seconds"]) / scale
            raw_exp = math.log(large["raw"]["seconds"] / small["raw"]["seconds"]) / scale
            self.results["merge_growth"] = {"from": small["conversations"], "to": large["conversations"],
                                            "ours_exponent": ours_exp, "raw_exponent": raw_exp}
            # Linear: k at most 1.1 (time-ordered ids keep the indexes' inserts at their ends, so
            # neither side slows as the review grows; the raw copy's k is shown beside ours).
            self.row(f"merge growth {small['conversations']:,} -> {large['conversations']:,} (time ~ n^k, k)",
                     ours_exp, raw_exp, "", "k <= 1.1", ours_exp <= 1.1, ratio=math.nan,
                     note=f"ratio {small['ratio']:.2f}x at {small['conversations']:,}, "
                          f"{large['ratio']:.2f}x at {large['conversations']:,}")
        largest = found[-1]
        self.row(f"memory: merge of {largest['conversations']:,} files (peak RSS, workers included)",
                 largest["ours"]["tree_peak_mb"], largest["raw"]["tree_peak_mb"], "MB",
                 "< 500 MB", largest["ours"]["tree_peak_mb"] < 500,
                 note=f"the highest of the runs; the merging process alone {largest['ours']['maxrss_mb']:.0f} MB; its checking "
                      "workers' RSS added on top (pages shared with it counted twice)")

    # --- analysis -----------------------------------------------------------------------------

    def analysis(self) -> None:
        review = self.work / "merge-100" / "ours.ltr"
        if not review.exists():  # --only analysis: merge the 100-conversation set first
            data_folder = synthetic_set(self, 100, NOTES_PER_CONVERSATION)
            (self.work / "merge-100").mkdir(exist_ok=True)
            out = self.work / "merge-100" / "ours.json"
            child_json([str(HERE / "bench.py"), "child", "merge", "ours", str(data_folder),
                        str(self.work / "merge-100"), str(out)], out, self.env, self.log)
        out = self.work / "analysis.json"
        self.say("analysis: open the workspace and export every format, 100 conversations")
        data = child_json([str(HERE / "bench.py"), "child", "analysis", str(review), str(self.work), str(out),
                           str(self.sizes["analysis_runs"])], out, self.env, self.log)
        self.results["analysis"] = data
        opened, raw = statistics.median(data["open_s"]), statistics.median(data["raw_read_s"])
        self.row("analysis workspace open, 100 conversations", opened, raw, "s", "< 1 s", opened < 1,
                 note=f"{data['records']:,} current records; baseline: read and json-parse every current record")
        self.row("  opening the review file first (Argon2id, checks)", statistics.median(data["store_open_s"]),
                 None, "s", "", None)
        dump = statistics.median(data["raw_dump_s"])
        for fmt, seconds in data["export_s"].items():
            value = statistics.median(seconds)
            self.row(f"export {fmt}, 100 conversations", value, dump, "s", "< 2 s", value < 2)

    # --- limits (RELIABILITY.md I2) -------------------------------------------------------------

    def limits(self) -> None:
        """`lt-interview merge` refusing an oversized input: a 10 GB sparse file, and a conversation
        file holding a text field over 1 MB. Budget: under 2 s and under 500 MB, the interpreter's
        start-up included (the tests check the refusal and the memory, never the time)."""
        data_folder = synthetic_set(self, 10, NOTES_PER_CONVERSATION)
        review = copy_store(self, data_folder / "review.ltr", self.work / "limits.ltr")
        sparse = self.work / "sparse.ltc"
        with open(sparse, "wb") as handle:
            handle.truncate(10 * 1024**3)
        oversized = copy_store(self, data_folder / "conversation-0000.ltc", self.work / "oversized.ltc")
        self.child(["child", "oversize", str(oversized)])
        self.say("limits: merge refusing a 10 GB sparse file and a text field over 1 MB")
        found: dict[str, list[dict]] = {"sparse": [], "oversized": []}
        for _ in range(self.sizes["limit_runs"]):
            for name, path in (("sparse", sparse), ("oversized", oversized)):
                found[name].append(run_child(["-m", "lt_interview", "merge", str(review), str(path)],
                                             self.env, self.log, timeout=120, expect=2))
        sparse.unlink()
        self.results["limits"] = found
        for name, label in (("sparse", "refusing a 10 GB sparse input (merge)"),
                            ("oversized", "refusing a text field over 1 MB (merge)")):
            wall = statistics.median(run["wall_s"] for run in found[name])
            peak = max(run["tree_peak_mb"] for run in found[name])
            self.row(label, wall, None, "s", "< 2 s, < 500 MB", wall < 2 and peak < 500,
                     note=f"exit 2 with one line; peak {peak:.0f} MB; the whole command, interpreter included")

    # --- output -------------------------------------------------------------------------------

    def table(self) -> str:
        def number(value: float | None, unit: str) -> str:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return "-"
            if unit == "s":
                return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
            if unit == "ms":
                return f"{value:.2f} ms"
            if unit == "MB":
                return f"{value:.0f} MB"
            return f"{value:.2f}"

        header = ("figure", "ours", "baseline", "ratio", "budget", "result")
        lines = [header]
        for row in self.rows:
            ratio = row["ratio"]
            lines.append((row["figure"], number(row["ours"], row["unit"]), number(row["baseline"], row["unit"]),
                          "-" if ratio is None or math.isnan(ratio) else f"{ratio:.2f}x", row["budget"] or "",
                          {True: "pass", False: "MISS", None: ""}[row["ok"]]))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        out = []
        for number_, line in enumerate(lines):
            out.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) + " |")
            if number_ == 0:
                out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        notes = [f"- {row['figure'].strip()}: {row['note']}" for row in self.rows if row["note"]]
        return "\n".join(out + ([""] + notes if notes else []))

    def run(self) -> int:
        started = time.perf_counter()
        wanted = [s for s in SECTIONS if s in self.args.only]
        failures = []
        load: dict[str, tuple] = {}
        for section in wanted:
            before = _loadavg()
            try:
                getattr(self, section)()
            except ChildFailed as exc:
                failures.append(f"{section}: {exc}")
                self.say(f"{section} failed: {exc}")
            load[section] = (before, _loadavg())
        elapsed = time.perf_counter() - started
        table = self.table()
        print(table)
        mode = "quick" if self.args.quick else "full"
        busiest = max((value for pair in load.values() for value in pair if value is not None), default=None)
        if busiest is not None and busiest > (os.cpu_count() or 1) / 2:
            print(f"\nnote: the machine was busy (1-minute load average up to {busiest:.1f} on {os.cpu_count()} "
                  "CPUs); latencies are noisier than on an idle machine")
        print(f"\n{mode} run in {elapsed:.0f} s; {sum(r['ok'] is False for r in self.rows)} budget(s) missed; "
              f"JSON: {self.args.json}")
        document = {
            "mode": mode, "elapsed_s": elapsed, "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count(), "processor": platform.processor()},
            "versions": _versions(), "load_average": load, "rows": self.rows, "table": table, "results": self.results,
            "failures": failures,
        }
        self.args.json.write_text(json.dumps(document, indent=1, default=str))
        for failure in failures:
            print(f"FAILED {failure}", file=sys.stderr)
        return 1 if failures else 0


def _loadavg() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("lt-interview", "textual", "rich", "sqlcipher3", "sqlite-utils", "argon2-cffi", "pydantic"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


# --- children (run as `bench.py child ...`) ---------------------------------------------------

def child_build_synthetic(folder: str, conversations: str, notes: str, seed: str) -> None:
    import synthetic

    synthetic.build(Path(folder), int(conversations), int(notes), seed=int(seed))


def child_build_two_hour(folder: str, seed: str) -> None:
    """A conversation file as it stands after two hours: notes in every section, the first
    (where the screen opens) holding a 20,000-word note; episodes, factors and captures from the
    synthetic generator; the notetaker chosen and the conversation in progress. Also note.txt,
    the same 20,000 words for the bare TextArea."""
    import random

    import synthetic
    from lt_interview.storage.lookups import structure_of
    from lt_interview.storage.store import CONVERSATION, Store
    from lt_interview.conversation.session import ConversationSession

    out = Path(folder)
    rng = random.Random(int(seed))
    _, paths = synthetic.build(out / "review", 1, 120, seed=int(seed))
    target = out / "two-hour.ltc"
    paths[0].rename(target)
    long_text = synthetic.note_text(rng, NOTE_WORDS)
    with Store.open(target, synthetic.PASSPHRASE, expect_kind=CONVERSATION) as store:
        session = ConversationSession(store, structure_of(store))
        session.set_author(session.reviewers()[1][0])  # Reviewer Two takes notes
        session.start()
        for index, section in enumerate(session.sections()):
            session.save_draft(section.key, long_text if index == 0 else synthetic.note_text(rng, 400))
        session.seal()
        opened = session.note_text(session.sections()[0].key)
    if opened != long_text:
        raise AssertionError("the two-hour conversation does not open on its long note")
    (out / "note.txt").write_text(long_text, encoding="utf-8")


def child_copy(source: str, target: str) -> None:
    import synthetic
    from lt_interview.storage.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with Store.open(Path(source), synthetic.PASSPHRASE) as store:
        store.backup_to(Path(target), synthetic.PASSPHRASE)


def child_autosave(path: str, out: str, count: str) -> None:
    """Store.save_draft of the 20,000-word note, a character longer each time (as typing makes
    it), alternating with a raw upsert of the same row on the same connection."""
    import synthetic
    from lt_interview.domain.models import Note
    from lt_interview.storage.lookups import structure_of
    from lt_interview.storage.revisions import body_of
    from lt_interview.storage.store import CONVERSATION, Store
    from lt_interview.conversation.session import ConversationSession

    store = Store.open(Path(path), synthetic.PASSPHRASE, expect_kind=CONVERSATION)
    session = ConversationSession(store, structure_of(store))
    key = session.sections()[0].key
    record_id, text = session._notes[key]
    store_ms, raw_ms, session_ms = [], [], []
    sql = ("INSERT INTO draft (record_id, kind, conversation_id, base_revision_id, body, saved_at) "
           "VALUES (?, 'note', ?, '', ?, ?) ON CONFLICT(record_id) DO UPDATE SET body = excluded.body, "
           "saved_at = excluded.saved_at")
    for index in range(int(count)):
        text += "x" if index % 5 else " "
        note = Note(conversation_id=session.conversation_id, stage_id=key[0], episode_id=key[1],
                    author_id=session.author_id, text=text)
        started = time.perf_counter()
        store.save_draft(record_id, note)
        store_ms.append((time.perf_counter() - started) * 1000)
        body = body_of(note)
        started = time.perf_counter()
        with store.conn:
            store.conn.execute(sql, ("raw-baseline", session.conversation_id, body, "2026-01-01T00:00:00Z"))
        raw_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        session.save_draft(key, text + "y")
        session_ms.append((time.perf_counter() - started) * 1000)
    mode = (store.conn.execute("PRAGMA synchronous").fetchone()[0],
            store.conn.execute("PRAGMA journal_mode").fetchone()[0])
    store.close()
    Path(out).write_text(json.dumps({"store_ms": store_ms, "raw_ms": raw_ms, "session_ms": session_ms,
                                     "note_bytes": len(text.encode()), "synchronous_journal": mode}))


def child_merge(side: str, data_folder: str, work: str, out: str) -> None:
    import bench_merge
    import synthetic
    from lt_interview.storage.connection import read_salt
    from lt_interview.storage.keys import derive_key
    from lt_interview.storage.store import Store

    folder, work_dir = Path(data_folder), Path(work)
    review = folder / "review.ltr"
    inputs = sorted(folder.glob("conversation-*.ltc"))
    target = work_dir / f"{side}.ltr"
    for leftover in work_dir.glob(f"{side}.ltr*"):
        leftover.unlink()
    bench_merge._copy(review, target, synthetic.PASSPHRASE)
    derive_key(synthetic.PASSPHRASE, read_salt(review))  # both sides start with the key derived
    started = time.perf_counter()
    if side == "ours":
        from lt_interview.merge.importer import merge_files

        report = merge_files(target, inputs, synthetic.PASSPHRASE)
        added = report.added
    else:
        bench_merge.raw_attach_copy(target, inputs, synthetic.PASSPHRASE)
        added = None
    seconds = time.perf_counter() - started
    with Store.open(target, synthetic.PASSPHRASE) as store:
        revisions = store.count_revisions()
    from bench_tui import peak_rss_mb  # a cross-check on the parent's wait4 figure

    Path(out).write_text(json.dumps({"side": side, "inputs": len(inputs), "seconds": seconds,
                                     "added": added, "revisions": revisions, "vmhwm_mb": peak_rss_mb()}))


def child_oversize(path: str) -> None:
    """Add one revision whose note holds 1.2 million characters (over the 1,000,000 limit), as
    another program could: written with SQL, past the store's own checks."""
    import synthetic
    from lt_interview.storage.connection import connect
    from lt_interview.storage.revisions import Revision
    from lt_interview.storage.store import Store

    with Store.open(Path(path), synthetic.PASSPHRASE) as store:
        conversation_id = store.meta("conversation_id")
    body = json.dumps({"conversation_id": conversation_id, "stage_id": "overview", "author_id": "x",
                       "episode_id": None, "text": "y" * 1_200_000}, sort_keys=True, separators=(",", ":"))
    row = Revision.build(revision_id="rev-oversized", record_id="rec-oversized", kind="note",
                         conversation_id=conversation_id, parents=[], reviewer_id="", device_id="bench",
                         created_at="2026-01-01T00:00:00.000000Z", deleted=0, schema_version=1, body=body).to_row()
    conn = connect(Path(path), synthetic.PASSPHRASE)
    conn.execute(f"INSERT INTO revision ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", tuple(row.values()))
    conn.commit()
    conn.close()


def child_analysis(review: str, work: str, out: str, runs: str) -> None:
    import synthetic
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.export import FORMATS, export_pack
    from lt_interview.storage.store import REVIEW, Store

    result: dict = {"open_s": [], "raw_read_s": [], "raw_dump_s": [], "store_open_s": [],
                    "export_s": {fmt: [] for fmt in FORMATS}, "export_files": {}}
    exports = Path(work) / "exports"
    shutil.rmtree(exports, ignore_errors=True)
    exports.mkdir(mode=0o700)
    for run in range(int(runs)):
        started = time.perf_counter()
        store = Store.open(Path(review), synthetic.PASSPHRASE, expect_kind=REVIEW)
        result["store_open_s"].append(time.perf_counter() - started)
        try:
            if run == 0:  # warm the disk cache for both sides alike (the first read of a file is slower)
                store.conn.execute("SELECT sum(length(body)) FROM revision").fetchone()
            started = time.perf_counter()
            rows = store.conn.execute(
                "SELECT r.kind, r.body FROM head h JOIN revision r ON r.revision_id = h.revision_id "
                "WHERE h.deleted = 0").fetchall()
            records = [(kind, json.loads(body)) for kind, body in rows]
            result["raw_read_s"].append(time.perf_counter() - started)
            result["records"] = len(records)
            started = time.perf_counter()
            model = open_workspace_model(store)
            result["open_s"].append(time.perf_counter() - started)
            del model
            for fmt in FORMATS:
                folder = exports / f"{run}-{fmt}"
                started = time.perf_counter()
                written = export_pack(store, folder, fmt)
                result["export_s"][fmt].append(time.perf_counter() - started)
                result["export_files"][fmt] = sum(path.stat().st_size for path in written)
            started = time.perf_counter()
            dump = exports / f"{run}-raw.json"
            dump.write_text(json.dumps(records))
            result["raw_dump_s"].append(time.perf_counter() - started)
        finally:
            store.close()
    Path(out).write_text(json.dumps(result))


CHILDREN = {"build-synthetic": child_build_synthetic, "build-two-hour": child_build_two_hour,
            "copy": child_copy, "autosave": child_autosave, "merge": child_merge, "analysis": child_analysis,
            "oversize": child_oversize}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    if argv[:1] == ["child"]:
        CHILDREN[argv[1]](*argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller runs (merge 10 and 100), under two minutes")
    parser.add_argument("--work", type=Path, help="folder for this run's files (default: a new temporary folder)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lt-interview-bench-cache",
                        help="folder caching the synthetic sets between runs (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="where to write the results (default: WORK/bench-results.json)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {','.join(SECTIONS)} (default: all)")
    args = parser.parse_args(argv)
    os.umask(0o077)
    args.only = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    args.work = (args.work or Path(tempfile.mkdtemp(prefix="lt-bench-"))).resolve()
    args.work.mkdir(parents=True, exist_ok=True, mode=0o700)
    args.cache = args.cache.resolve()
    args.cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    args.json = (args.json or args.work / "bench-results.json").resolve()
    print(f"work folder {args.work}; cache {args.cache}", file=sys.stderr)
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
