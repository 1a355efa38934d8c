"""`kontor check-integrity`: originals against their hashes, the audit chain, and orphaned rows.

A failed original or a broken chain fails the check (and `/readyz` says so until a check passes);
orphans are reported as warnings, since some can come from history (a document booked before the
journal existed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.journal.models import JournalEntry, JournalLine
from app.models import AuditEvent, Document, Status, StepResult, utcnow
from app.ops.audit_chain import verify_chain
from app.ops.models import AuditChain, OpsKind
from app.ops.runs import record_run

MAX_LISTED = 50
_BATCH = 50


@dataclass
class IntegrityReport:
    documents: int = 0
    audit_rows: int = 0
    problems: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "audit_rows": self.audit_rows,
            "problems": self.problems[:MAX_LISTED],
            "orphans": self.orphans[:MAX_LISTED],
        }


def check_integrity(settings: Settings) -> IntegrityReport:
    """Run every check read-only, then record the result as an `ops_runs` row."""
    started = utcnow()
    report = IntegrityReport()
    with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
        _check_originals(session, report)
        _check_audit_chain(session, report)
        report.orphans.extend(find_orphans(session))
    record_run(settings, OpsKind.INTEGRITY, ok=report.ok, summary=report.summary(), started_at=started)
    return report


def _check_originals(session: Session, report: IntegrityReport) -> None:
    query = (
        select(Document.id, Document.sha256, Document.content)
        .where(Document.purged_at.is_(None))
        .order_by(Document.id)
        .execution_options(yield_per=_BATCH)
    )
    for document_id, expected, content in session.execute(query):
        report.documents += 1
        if hashlib.sha256(content).hexdigest() != expected:
            report.problems.append(f"document {document_id}: the original does not match its SHA-256")


def _check_audit_chain(session: Session, report: IntegrityReport) -> None:
    chain = session.get(AuditChain, 1)
    if chain is None:
        report.problems.append("audit trail: the chain's head row is missing")
        return
    columns = (
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.actor,
        AuditEvent.action,
        AuditEvent.document_id,
        AuditEvent.before,
        AuditEvent.after,
        AuditEvent.prev_sha256,
        AuditEvent.sha256,
    )
    rows = session.execute(select(*columns).order_by(AuditEvent.id).execution_options(yield_per=500))
    result = verify_chain(iter(rows), head=chain.head_sha256, length=chain.length, max_problems=MAX_LISTED)
    report.audit_rows = result.rows
    report.problems.extend(result.problems)


def find_orphans(session: Session) -> list[str]:
    """Rows whose counterpart is missing; none of these should exist."""
    found: list[str] = []
    no_document = ~exists().where(Document.id == StepResult.document_id)
    for (step_id,) in session.execute(select(StepResult.id).where(no_document).limit(MAX_LISTED)):
        found.append(f"step result {step_id}: its document is missing")
    missing = ~exists().where(Document.id == AuditEvent.document_id)
    gone = select(AuditEvent.id).where(AuditEvent.document_id.is_not(None), missing).limit(MAX_LISTED)
    found.extend(f"audit row {row_id}: its document is missing" for row_id in session.scalars(gone))
    no_lines = ~exists().where(JournalLine.entry_id == JournalEntry.id)
    for entry_id in session.scalars(select(JournalEntry.id).where(no_lines).limit(MAX_LISTED)):
        found.append(f"journal entry {entry_id}: has no lines")
    unposted = select(Document.id).where(
        Document.status == Status.BOOKED, ~exists().where(JournalEntry.document_id == Document.id)
    )
    found.extend(
        f"document {doc_id}: booked without a journal entry"
        for doc_id in session.scalars(unposted.limit(MAX_LISTED))
    )
    return found
