"""Statutory retention (§ 147 AO) and the purge after it.

Originals (Buchungsbelege) are kept 8 years, books (journal entries) 10, counted from the end of the
calendar year in which the document was received or the entry was made. A document can only be
purged when it and all its journal entries are past their periods. The purge keeps the document row
as a tombstone (its hash, name and dates) and an audit event that says what was removed. The
database itself refuses to delete or blank an original inside its period (migration 0006_ops).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.journal.models import JournalEntry, JournalLine
from app.models import AuditEvent, Document, StepResult, utcnow
from app.ops.errors import RetentionError
from app.ops.models import OpsKind
from app.ops.runs import record_run
from app.ops.triggers import triggers_suspended
from app.scans.models import Rendition

DOCUMENT_YEARS = 8
BOOK_YEARS = 10
ACTOR = "system:retention"


def period_end(year: int, years: int) -> date:
    """The last day of the period: 31 December of the year `years` after `year`."""
    return date(year + years, 12, 31)


def _year(moment: datetime) -> int:
    # The later of the UTC and the local calendar year, so New Year's Eve never shortens a period.
    return max(moment.astimezone(UTC).year, moment.astimezone().year)


def retained_until(document: Document, entries: list[JournalEntry]) -> date:
    ends = [period_end(_year(document.received_at), DOCUMENT_YEARS)]
    for entry in entries:
        ends.append(period_end(max(entry.document_date.year, _year(entry.posted_at)), BOOK_YEARS))
    return max(ends)


@dataclass
class PurgeReport:
    purged: list[dict[str, Any]] = field(default_factory=list)
    kept: int = 0


def purge(settings: Settings, *, document_ids: list[int] | None, today: date | None = None) -> PurgeReport:
    """Purge the named documents (all or nothing), or every expired one when `document_ids` is None.

    Raises `RetentionError` naming each document still inside its period; nothing is removed then.
    """
    today = today or datetime.now(UTC).date()
    started = utcnow()
    report = PurgeReport()
    with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
        for document, until in _candidates(session, document_ids, today):
            if until >= today:
                report.kept += 1
                continue
            report.purged.append(_purge_one(session, document, until))
    summary = {"purged": [p["document_id"] for p in report.purged], "kept": report.kept}
    record_run(settings, OpsKind.PURGE, ok=True, summary=summary, started_at=started)
    return report


def _candidates(session: Session, document_ids: list[int] | None, today: date) -> list[tuple[Document, date]]:
    query = select(Document).where(Document.purged_at.is_(None)).order_by(Document.id)
    if document_ids is not None:
        query = query.where(Document.id.in_(document_ids))
    documents = list(session.scalars(query))
    found = [(doc, retained_until(doc, _entries(session, doc.id))) for doc in documents]
    if document_ids is not None:
        _refuse(document_ids, found, today)
    return found


def _refuse(document_ids: list[int], found: list[tuple[Document, date]], today: date) -> None:
    known = {doc.id for doc, _ in found}
    missing = sorted(set(document_ids) - known)
    if missing:
        raise RetentionError(f"no such document (or already purged): {', '.join(map(str, missing))}")
    inside = [f"{doc.id} (until {until.isoformat()})" for doc, until in found if until >= today]
    if inside:
        raise RetentionError(f"inside the statutory retention period, nothing purged: {', '.join(inside)}")


def _entries(session: Session, document_id: int) -> list[JournalEntry]:
    return list(session.scalars(select(JournalEntry).where(JournalEntry.document_id == document_id)))


def _purge_one(session: Session, document: Document, until: date) -> dict[str, Any]:
    entries = _entries(session, document.id)
    entry_ids = [entry.id for entry in entries]
    record = {
        "document_id": document.id,
        "sha256": document.sha256,
        "filename": document.filename,
        "received_at": document.received_at.isoformat(),
        "journal_entries": entry_ids,
        "retained_until": until.isoformat(),
    }
    if entry_ids:
        connection = session.connection()
        with triggers_suspended(connection, "journal_entries", "journal_lines"):
            connection.execute(delete(JournalLine).where(JournalLine.entry_id.in_(entry_ids)))
            connection.execute(delete(JournalEntry).where(JournalEntry.id.in_(entry_ids)))
    session.execute(delete(StepResult).where(StepResult.document_id == document.id))
    # Copies made from the original (a scan's PDF, the searchable copy) go with it.
    session.execute(delete(Rendition).where(Rendition.document_id == document.id))
    document.content = b""
    document.purged_at = utcnow()
    session.add(AuditEvent(actor=ACTOR, action="retention.purge", document_id=document.id, before=record))
    session.flush()
    return record
