"""The audit trail's hash chain: each row carries the SHA-256 of its content and of the row before it.

A row edited, deleted or inserted directly in the database breaks the chain, and `verify_chain`
finds it. `audit_chain` holds the head (last hash and length), so a truncated tail is found too.
The hash format is part of the stored data: changing `event_hash` invalidates every existing row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, text

GENESIS = "0" * 64
CHAIN_ROW_ID = 1


class ChainedEvent(Protocol):
    at: datetime
    actor: str
    action: str
    document_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_sha256: str | None
    sha256: str | None


def event_hash(
    prev: str,
    *,
    at: datetime,
    actor: str,
    action: str,
    document_id: int | None,
    before: Any,
    after: Any,
) -> str:
    """SHA-256 over the previous hash and the row's content, as canonical JSON."""
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = [prev, stamp, actor, action, document_id, _as_stored(before), _as_stored(after)]
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


#: The columns of an audit row that its hash covers (besides the previous row's hash).
HASHED = ("at", "actor", "action", "document_id", "before", "after")


def row_hash(prev: str, row: Any) -> str:
    """`event_hash` of an audit row (an `AuditEvent`, or a row read back with the same columns)."""
    return event_hash(prev, **{name: getattr(row, name) for name in HASHED})


def _as_stored(value: Any) -> Any:
    # What the JSON column gives back on reading (tuples become lists, keys strings).
    return None if value is None else json.loads(json.dumps(value))


def link(connection: Connection, event: ChainedEvent) -> None:
    """Give a new audit row its place in the chain; called for every insert (a mapper event).

    The first UPDATE locks the head row (PostgreSQL) or takes the write lock (SQLite) before the
    head is read, so two concurrent writers cannot both append to the same head.
    """
    if event.at is None:
        event.at = datetime.now(UTC)
    connection.execute(
        text("UPDATE audit_chain SET length = length + 1 WHERE id = :id"), {"id": CHAIN_ROW_ID}
    )
    prev = connection.execute(
        text("SELECT head_sha256 FROM audit_chain WHERE id = :id"), {"id": CHAIN_ROW_ID}
    ).scalar_one()
    event.prev_sha256 = prev
    event.sha256 = row_hash(prev, event)
    connection.execute(
        text("UPDATE audit_chain SET head_sha256 = :head WHERE id = :id"),
        {"head": event.sha256, "id": CHAIN_ROW_ID},
    )


@dataclass
class ChainReport:
    rows: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(rows: Iterator[Any], *, head: str, length: int, max_problems: int = 50) -> ChainReport:
    """Walk the rows in id order; every hash must match its content and its predecessor."""
    report = ChainReport()
    for row in rows:
        report.rows += 1
        expected = row_hash(report.head, row)
        if row.prev_sha256 != report.head:
            _note(report, f"audit row {row.id}: does not follow the row before it", max_problems)
        elif row.sha256 != expected:
            _note(report, f"audit row {row.id}: content does not match its hash", max_problems)
        report.head = row.sha256 or expected
    if (report.head, report.rows) != (head, length):
        _note(
            report,
            f"audit trail: {report.rows} rows end at {report.head[:12]}, the head says "
            f"{length} rows ending at {head[:12]} (rows removed or added outside Kontor)",
            max_problems,
        )
    return report


def _note(report: ChainReport, problem: str, limit: int) -> None:
    if len(report.problems) < limit:
        report.problems.append(problem)
