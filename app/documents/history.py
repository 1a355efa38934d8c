"""Earlier invoices in the database, for the duplicate check.

Read-only queries over step results, each lookup in its own short session: a pipeline step reads
through this port but never writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agents.validation.normalize import compact_id
from agents.validation.ports import PriorInvoice
from app.models import Document, Status, StepResult
from app.pipeline.stored import INVOICE_STEPS, current_invoice
from schemas.invoice import Invoice

#: Documents that do not count as "received before": thrown out, or never read.
NOT_COUNTED = (Status.REJECTED, Status.FAILED)


class DbInvoiceHistory:
    """`InvoiceHistory` over the step results of other documents."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def same_seller(self, invoice: Invoice, *, exclude_document_id: int | None) -> list[PriorInvoice]:
        conditions = _seller_conditions(invoice)
        if not conditions:
            return []
        with self.factory() as session:
            ids = _matching_documents(session, conditions, exclude_document_id)
            return _priors(session, ids)


def _invoice_value(name: str) -> ColumnElement[str]:
    """An invoice field inside the step result's JSON, as text (SQLite and PostgreSQL alike)."""
    value: ColumnElement[str] = StepResult.data[("invoice", name)].as_string()
    return value


def _seller_conditions(invoice: Invoice) -> list[ColumnElement[bool]]:
    # A coarse filter the database can run; `duplicates.same_seller()` then decides exactly.
    value = _invoice_value
    conditions = []
    if invoice.seller_vat_id:
        conditions.append(func.upper(value("seller_vat_id")) == compact_id(invoice.seller_vat_id))
    if invoice.seller_tax_number:
        conditions.append(value("seller_tax_number") == invoice.seller_tax_number)
    if invoice.seller_name:
        conditions.append(func.lower(value("seller_name")) == invoice.seller_name.lower())
    return conditions


def _matching_documents(
    session: Session, conditions: list[ColumnElement[bool]], exclude_document_id: int | None
) -> list[int]:
    query = (
        select(StepResult.document_id)
        .join(Document, Document.id == StepResult.document_id)
        .where(StepResult.step.in_(INVOICE_STEPS), Document.status.not_in(NOT_COUNTED), or_(*conditions))
        .distinct()
    )
    if exclude_document_id is not None:
        query = query.where(StepResult.document_id != exclude_document_id)
    return list(session.scalars(query))


def _priors(session: Session, document_ids: Sequence[int]) -> list[PriorInvoice]:
    if not document_ids:
        return []
    rows = session.execute(
        select(StepResult.document_id, StepResult.step, StepResult.data, Document.status)
        .join(Document, Document.id == StepResult.document_id)
        .where(StepResult.document_id.in_(document_ids), StepResult.step.in_(INVOICE_STEPS))
        .order_by(StepResult.document_id)
    )
    by_document: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    statuses: dict[int, Status] = {}
    for document_id, step, data, status in rows:
        by_document[document_id][step] = data
        statuses[document_id] = status
    priors = []
    for document_id, results in by_document.items():
        invoice = current_invoice(results)
        if invoice is not None:
            status = statuses[document_id]
            priors.append(PriorInvoice(document_id=document_id, invoice=invoice, status=status))
    return priors
