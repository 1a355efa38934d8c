"""The review queue: documents waiting for a person, oldest first, with what a reviewer scans for."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.documents.reasons import top_reasons
from app.models import Document, Status, StepResult
from app.pipeline.stored import INVOICE_STEPS, current_invoice

#: More rows than anyone works through in a sitting; filters narrow it down.
MAX_ROWS = 500


@dataclass(frozen=True)
class QueueRow:
    id: int
    filename: str
    received_at: datetime
    vendor: str | None
    amount: Decimal | None
    currency: str | None
    issue_date: date | None
    reason: str | None
    #: The reason in words: the message of the finding with that code, when there is one.
    reason_text: str | None


@dataclass(frozen=True)
class ReviewQueue:
    rows: list[QueueRow]
    #: Every top reason in the whole queue and how many documents have it (for the filter).
    reasons: list[tuple[str, int]]
    vendors: list[str]
    total: int


def queue_count(session: Session) -> int:
    count = session.scalar(select(func.count(Document.id)).where(Document.status == Status.NEEDS_REVIEW))
    return int(count or 0)


def next_in_queue(session: Session, current: Document) -> int | None:
    """The document after `current` in queue order, wrapping round; None when nothing else waits.

    `current` need not be in the queue any more (it was just approved): its place is still known.
    """
    waiting = session.execute(
        select(Document.id, Document.received_at)
        .where(Document.status == Status.NEEDS_REVIEW, Document.id != current.id)
        .order_by(Document.received_at, Document.id)
    ).all()
    pivot = (current.received_at, current.id)
    later = [document_id for document_id, received in waiting if (received, document_id) > pivot]
    return later[0] if later else (waiting[0][0] if waiting else None)


def review_queue(session: Session, *, reason: str | None = None, vendor: str | None = None) -> ReviewQueue:
    """The queue, filtered by top reason (exact) and vendor (any part of the name, any case)."""
    documents = list(
        session.scalars(
            select(Document)
            .where(Document.status == Status.NEEDS_REVIEW)
            .order_by(Document.received_at, Document.id)
        )
    )
    rows = _rows(session, documents)
    reasons = Counter(r.reason for r in rows if r.reason)
    vendors = sorted({r.vendor for r in rows if r.vendor}, key=str.lower)
    if reason:
        rows = [r for r in rows if r.reason == reason]
    if vendor:
        needle = vendor.strip().lower()
        rows = [r for r in rows if r.vendor and needle in r.vendor.lower()]
    return ReviewQueue(
        rows=rows[:MAX_ROWS], reasons=sorted(reasons.items()), vendors=vendors, total=len(rows)
    )


def _rows(session: Session, documents: Sequence[Document]) -> list[QueueRow]:
    ids = [d.id for d in documents]
    results: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    messages: dict[int, dict[str, str]] = defaultdict(dict)
    # Only the small results: the `read` step's words would make the queue slow for nothing.
    for document_id, step, data, findings in session.execute(
        select(StepResult.document_id, StepResult.step, StepResult.data, StepResult.findings)
        .where(StepResult.document_id.in_(ids), StepResult.step.in_((*INVOICE_STEPS, "validate")))
        .order_by(StepResult.id)
    ):
        results[document_id][step] = data
        for finding in findings or []:
            messages[document_id].setdefault(str(finding.get("code")), str(finding.get("message")))
    reasons = top_reasons(session, documents)
    return [_row(d, results[d.id], reasons[d.id], messages[d.id]) for d in documents]


def _row(
    document: Document, results: dict[str, dict[str, Any]], reason: str | None, messages: dict[str, str]
) -> QueueRow:
    invoice = current_invoice(results)
    return QueueRow(
        id=document.id,
        filename=document.filename,
        received_at=document.received_at,
        vendor=invoice.seller_name if invoice else None,
        amount=invoice.gross_total if invoice else None,
        currency=invoice.currency if invoice else None,
        issue_date=invoice.issue_date if invoice else None,
        reason=reason,
        reason_text=messages.get(reason) if reason else None,
    )
