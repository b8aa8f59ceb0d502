"""Append-only, hash-chained audit trail: who, when, what, which record; never content.

Each file keeps its own chain (chain_id = the file's id). Merged rows keep their source
chain, so every chain can still be verified after a merge (RELIABILITY.md §9).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from lt_interview.domain.ids import iso, new_id, short_id, system_clock
from lt_interview.errors import CorruptFile

GENESIS = "0" * 64


def audit_hash(row: dict) -> str:
    fields = {key: row[key] for key in ("audit_id", "chain_id", "seq", "at", "actor",
                                        "device_id", "action", "record_id", "detail", "prev_hash")}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class AuditTrail:
    conn: Any  # a sqlcipher3 connection (the library is untyped)
    chain_id: str
    actor: str
    device_id: str
    clock: Callable[[], datetime] = system_clock

    def append(self, action: str, record_id: str = "", detail: dict | None = None) -> None:
        """Append one entry. `detail` must hold counts and ids only, never user text."""
        last = self.conn.execute(
            "SELECT seq, hash FROM audit WHERE chain_id = ? ORDER BY seq DESC LIMIT 1",
            (self.chain_id,),
        ).fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        row = {
            "audit_id": new_id(), "chain_id": self.chain_id, "seq": seq, "at": iso(self.clock()),
            "actor": self.actor, "device_id": self.device_id, "action": action,
            "record_id": record_id,
            "detail": json.dumps(detail or {}, sort_keys=True, separators=(",", ":")),
            "prev_hash": prev,
        }
        row["hash"] = audit_hash(row)
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO audit ({columns}) VALUES ({marks})", tuple(row.values()))


def verify_chains(conn, *, source: str) -> int:
    """Check every chain in the file; raise CorruptFile naming the first broken entry."""
    cursor = conn.execute(
        "SELECT audit_id, chain_id, seq, at, actor, device_id, action, record_id, detail, "
        "prev_hash, hash FROM audit ORDER BY chain_id, seq"
    )
    names = [column[0] for column in cursor.description]
    chain, expected_prev, expected_seq, count = None, GENESIS, 1, 0
    for values in cursor:
        row = dict(zip(names, values))
        if row["chain_id"] != chain:
            chain, expected_prev, expected_seq = row["chain_id"], GENESIS, 1
        if row["seq"] != expected_seq or row["prev_hash"] != expected_prev or audit_hash(row) != row["hash"]:
            raise CorruptFile(
                f"{source}: the audit trail has been altered (chain {short_id(str(chain))}, entry {row['seq']})"
            )
        expected_prev, expected_seq = row["hash"], expected_seq + 1
        count += 1
    return count
