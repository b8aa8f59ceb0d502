#!/usr/bin/env python3
"""I3: fuzz the merge importer for a fixed time; only typed one-line errors, no case over 2 s,
and the review file unchanged whenever an input is refused.

    .venv/bin/python scripts/fuzz_importer.py --minutes 10
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PASSPHRASE = "importer fuzzing passphrase"


def build(folder: Path) -> tuple[Path, Path]:
    from lt_interview.demo.data import FRAMEWORK
    from lt_interview.domain.models import Episode, FactorTag, Note, Reviewer
    from lt_interview.review.conversation_files import pack
    from lt_interview.review.setup import create_review
    from lt_interview.storage.store import Store

    review = folder / "review.ltr"
    with create_review(review, PASSPHRASE, framework=FRAMEWORK) as store:
        conversation = pack(store, PASSPHRASE, "Morgan Lyle", folder / "nursery.ltc")
    with Store.open(conversation, PASSPHRASE) as store:
        cid, author = store.meta("conversation_id"), store.records(Reviewer)[0][0]
        episode = store.put(Episode(conversation_id=cid, title="Pick-up time change", when="autumn"))
        store.put(FactorTag(conversation_id=cid, heading_id="family", text="t", episode_id=episode.record_id))
        for i in range(40):
            store.put(Note(conversation_id=cid, stage_id="overview", author_id=author, text=f"note {i} " * 20))
    return review, conversation


def mutate(rng: random.Random, data: bytes) -> bytes:
    buffer = bytearray(data)
    choice = rng.random()
    if choice < 0.5:  # a few bytes anywhere
        for _ in range(rng.randint(1, 16)):
            buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    elif choice < 0.7:  # a whole page zeroed or shuffled
        page = rng.randrange(len(buffer) // 4096) * 4096
        buffer[page:page + 4096] = bytes(4096) if rng.random() < 0.5 else os.urandom(4096)
    elif choice < 0.85:  # truncated
        del buffer[rng.randrange(len(buffer)):]
    else:  # pages swapped
        a, b = (rng.randrange(len(buffer) // 4096) * 4096 for _ in range(2))
        buffer[a:a + 4096], buffer[b:b + 4096] = buffer[b:b + 4096], buffer[a:a + 4096]
    return bytes(buffer)


CELL_VALUES = [None, "", 0, -1, 2**62, 1.5, "x" * 5000, "[]", "{}", '["a"]', "not json", "\x00\x1b[2J",
               '{"text": 1}', "2026-13-45T99:99:99.000000Z", b"\x00\xff"]


def mutate_rows(rng: random.Random, path: Path) -> None:
    """Change cells of the encrypted file's rows, keeping the encryption valid: the contents are
    hostile, not the pages."""
    from lt_interview.storage.connection import connect

    conn = connect(path, PASSPHRASE)
    try:
        for _ in range(rng.randint(1, 4)):
            table = rng.choice(["revision", "revision", "audit", "meta", "head", "draft", "name_guard"])
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            rowids = [row[0] for row in conn.execute(f"SELECT rowid FROM {table}")]
            if not rowids:
                continue
            column = rng.choice(columns)
            value = rng.choice(CELL_VALUES)
            if column == "body" and rng.random() < 0.5:
                body = conn.execute(f"SELECT body FROM {table} WHERE rowid = ?", (rowids[0],)).fetchone()[0]
                position = rng.randrange(max(1, len(body)))
                value = body[:position] + rng.choice(['"', "}", "\\u0000", "9" * 30, "null", ""]) + body[position + 1:]
            try:
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rng.choice(rowids)))
            except Exception:  # noqa: BLE001 - a constraint refused this mutation; try another
                continue
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    from lt_interview.errors import LtError
    from lt_interview.merge.importer import merge_files

    work = Path(tempfile.mkdtemp(prefix="lt-fuzz-"))
    os.environ.setdefault("LT_INTERVIEW_HOME", str(work / "home"))
    review, conversation = build(work)
    original = conversation.read_bytes()
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    slowest, problems = 0.0, []
    deadline = time.monotonic() + args.minutes * 60
    case = 0
    while time.monotonic() < deadline:
        case += 1
        target = work / "target.ltr"
        shutil.copyfile(review, target)
        before = hashlib.sha256(target.read_bytes()).hexdigest()
        mutated = work / "mutated.ltc"
        if rng.random() < 0.6:
            mutated.write_bytes(original)
            mutate_rows(rng, mutated)
        else:
            mutated.write_bytes(mutate(rng, original))
        started = time.monotonic()
        try:
            merge_files(target, [mutated], PASSPHRASE)
            outcomes["merged (mutation hit unused bytes)"] += 1
        except LtError as exc:
            reason = str(exc).split(": ", 1)[-1]
            outcomes[reason.split(" (")[0][:60]] += 1
            if "\n" in str(exc) or hashlib.sha256(target.read_bytes()).hexdigest() != before:
                problems.append(f"case {case}: refusal changed the review or spanned lines")
        except Exception:  # noqa: BLE001 - exactly what the fuzzer looks for
            problems.append(f"case {case}: untyped error\n{traceback.format_exc(limit=3)}")
        elapsed = time.monotonic() - started
        slowest = max(slowest, elapsed)
        if elapsed > 2.0:
            problems.append(f"case {case}: took {elapsed:.1f} s")
        for leftover in (target, Path(str(target) + "-wal"), Path(str(target) + ".before-merge"), mutated):
            leftover.unlink(missing_ok=True)
    print(f"I3: {case} mutated files in {args.minutes:g} minutes; slowest {slowest:.2f} s; "
          f"problems {len(problems)}")
    for reason, count in outcomes.most_common(12):
        print(f"  {count:6d}  {reason}")
    for problem in problems[:20]:
        print(problem)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
