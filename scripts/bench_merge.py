"""Merge benchmark: our checked, staged, all-or-nothing merge against a raw SQLite
ATTACH + INSERT ... SELECT copy of the same rows, both on SQLCipher, in the same run.

    python scripts/bench_merge.py --conversations 100 --notes 500

`bench_merge(n_conversations, notes_per_conversation)` is importable (scripts/bench.py uses it).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lt_interview.merge.importer import merge_files  # noqa: E402
from lt_interview.storage.connection import connect, read_salt  # noqa: E402
from lt_interview.storage.keys import derive_key  # noqa: E402
from lt_interview.storage.schema import AUDIT_COLUMNS, REVISION_COLUMNS  # noqa: E402
from lt_interview.storage.store import Store  # noqa: E402

import synthetic  # noqa: E402


def _copy(review: Path, target: Path, passphrase: str) -> Path:
    with Store.open(review, passphrase) as store:
        store.backup_to(target, passphrase)
    return target


def raw_attach_copy(review: Path, inputs: list[Path], passphrase: str) -> None:
    """The baseline: ATTACH each encrypted file and INSERT ... SELECT its revision and audit rows
    (no staging, no checks, no validation, no heads, no ledger, no backup)."""
    conn = connect(review, passphrase)
    try:
        revision_columns = ", ".join(REVISION_COLUMNS)
        audit_columns = ", ".join(AUDIT_COLUMNS)
        for path in inputs:
            salt = read_salt(path)
            key = derive_key(passphrase, salt)
            conn.execute(f"ATTACH DATABASE ? AS src KEY \"x'{key.hex()}{salt.hex()}'\"", (str(path),))
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT OR IGNORE INTO main.revision ({revision_columns}) "
                         f"SELECT {revision_columns} FROM src.revision")
            conn.execute(f"INSERT OR IGNORE INTO main.audit ({audit_columns}) SELECT {audit_columns} FROM src.audit")
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE src")
    finally:
        conn.close()


def bench_merge(n_conversations: int, notes_per_conversation: int, *, workdir: Path | None = None,
                keep: bool = False) -> dict:
    """Build a synthetic review; time our merge and the raw baseline on identical copies.

    Returns {"conversations", "notes", "rows", "merge_s", "raw_s", "ratio"}."""
    base = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="lt-bench-merge-"))
    try:
        review, inputs = synthetic.build(base / "data", n_conversations, notes_per_conversation)
        passphrase = synthetic.PASSPHRASE
        ours = _copy(review, base / "ours.ltr", passphrase)
        raw = _copy(review, base / "raw.ltr", passphrase)
        derive_key(passphrase, read_salt(review))  # both sides start with the key derived

        started = time.perf_counter()
        raw_attach_copy(raw, inputs, passphrase)
        raw_s = time.perf_counter() - started

        started = time.perf_counter()
        report = merge_files(ours, inputs, passphrase)
        merge_s = time.perf_counter() - started

        with Store.open(ours, passphrase) as a, Store.open(raw, passphrase) as b:
            ours_rows = a.count_revisions()
            if ours_rows != b.count_revisions():
                raise AssertionError("the merge and the raw copy disagree on the number of revisions")
        return {"conversations": n_conversations, "notes": notes_per_conversation,
                "rows": report.added, "merge_s": merge_s, "raw_s": raw_s, "ratio": merge_s / raw_s}
    finally:
        if not keep and workdir is None:
            shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--notes", type=int, default=500)
    args = parser.parse_args()
    for count in args.conversations:
        result = bench_merge(count, args.notes)
        print(f"{result['conversations']:>5} conversations x {result['notes']} notes: {result['rows']:>7} rows; "
              f"merge {result['merge_s']:.2f} s, raw ATTACH copy {result['raw_s']:.2f} s, "
              f"ratio {result['ratio']:.2f}")


if __name__ == "__main__":
    main()
