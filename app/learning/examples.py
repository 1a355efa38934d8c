"""Approved invoices as labelled examples: the page as the read step stored it, and the invoice a
person approved as its truth.

Everything comes from the database (the `read` step result, the current invoice after the review,
the audit trail's approvals), in the order of approval, so the installation's training set can always be
built again from the database alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from agents.extraction.memory import vendor_keys
from agents.extraction.places import PLACED_FIELDS
from app.models import AuditEvent, Document, Status
from app.pipeline.stored import current_invoice
from schemas.document import ReadResult
from schemas.invoice import HEADER_FIELDS, Invoice

#: The audit trail's mark of a person's approval (`app.decisions.approve`).
APPROVED_REASON = "approved"


@dataclass(frozen=True)
class Reviewed:
    """One approved invoice: its page and the values a person approved."""

    document_id: int
    read: ReadResult
    truth: Invoice

    @property
    def vendor(self) -> str:
        """One stable key for the seller (the smallest of its keys), "" when it has none."""
        keys = vendor_keys(self.truth)
        return min(keys) if keys else ""


def approval_order(session: Session) -> dict[int, int]:
    """Document id → the audit event that approved it, for the documents a person approved (an invoice
    the pipeline booked alone teaches nothing the model did not already know)."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "status").order_by(AuditEvent.id))
    return {
        e.document_id: e.id
        for e in events
        if e.document_id is not None and (e.after or {}).get("reason") == APPROVED_REASON
    }


def reviewed_documents(session: Session) -> list[Reviewed]:
    """Every approved document that has a read page and an invoice, in the order of approval."""
    order = approval_order(session)
    if not order:
        return []
    documents = session.scalars(
        select(Document)
        .where(Document.status == Status.BOOKED, Document.id.in_(sorted(order)))
        .options(selectinload(Document.results))
    )
    reviewed = [r for d in documents if (r := _reviewed(d)) is not None]
    return sorted(reviewed, key=lambda r: order[r.document_id])


def _reviewed(document: Document) -> Reviewed | None:
    results = {r.step: r.data for r in document.results}
    invoice = current_invoice(results)
    read = results.get("read")
    if invoice is None or not read or read.get("kind") != "pdf":
        return None
    parsed = ReadResult.model_validate(read)
    return Reviewed(document.id, parsed, invoice) if parsed.char_count else None


def split(reviewed: Sequence[Reviewed]) -> tuple[list[Reviewed], list[Reviewed]]:
    """(training, held back): the last approved invoice of every vendor with two or more is held back.

    That is the case the installation cares about, the next invoice of a known vendor; the rest trains.
    An invoice approved since the last training is never one the current version learned from.
    """
    by_vendor: dict[str, list[Reviewed]] = defaultdict(list)
    for item in reviewed:
        if item.vendor:
            by_vendor[item.vendor].append(item)
    held = {items[-1].document_id for items in by_vendor.values() if len(items) >= 2}
    return (
        [r for r in reviewed if r.document_id not in held],
        [r for r in reviewed if r.document_id in held],
    )


def truth_invoice(truth: Mapping[str, Any]) -> Invoice:
    """A corpus truth file (`corpus/*/README.md`) as the invoice a reviewer would approve."""
    names = {*HEADER_FIELDS, *PLACED_FIELDS, "ibans"}
    return Invoice.model_validate({k: v for k, v in truth.items() if k in names and v not in (None, "", [])})


def vendors_of(items: Iterable[Reviewed]) -> set[str]:
    return {item.vendor for item in items if item.vendor}
