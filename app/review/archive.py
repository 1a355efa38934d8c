"""Every document, searchable: status, vendor, number, amount, dates and free text.

Status and received date are filtered in the database; what lives in the step results (vendor, number,
amount, issue date, line texts) is filtered on the rows loaded, newest first, batch by batch until a page
is full, so a search never loads the whole archive at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.models import Document, Status, StepResult
from app.pipeline.stored import INVOICE_STEPS, current_invoice
from schemas.invoice import Invoice

PAGE_SIZE = 100
BATCH = 500


@dataclass(frozen=True)
class Search:
    text: str = ""
    status: Status | None = None
    vendor: str = ""
    number: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    received_from: date | None = None
    received_to: date | None = None

    @property
    def active(self) -> bool:
        return any(value not in (None, "") for value in self.__dict__.values())


@dataclass(frozen=True)
class ArchiveRow:
    document: Document
    invoice: Invoice | None


def search_documents(session: Session, search: Search, *, limit: int = PAGE_SIZE) -> list[ArchiveRow]:
    """Up to `limit` documents matching `search`, newest first."""
    found: list[ArchiveRow] = []
    for batch in _batches(session, _query(search)):
        invoices = _invoices(session, [d.id for d in batch])
        for document in batch:
            row = ArchiveRow(document, invoices.get(document.id))
            if _matches(row, search):
                found.append(row)
                if len(found) >= limit:
                    return found
    return found


def _query(search: Search) -> Select[Document]:
    query = select(Document).order_by(Document.id.desc())
    if search.status is not None:
        query = query.where(Document.status == search.status)
    if search.received_from is not None:
        query = query.where(Document.received_at >= _midnight(search.received_from))
    if search.received_to is not None:
        query = query.where(Document.received_at < _midnight(search.received_to, days=1))
    return query


def _midnight(day: date, *, days: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=days)


def _batches(session: Session, query: Select[Document]) -> Iterator[list[Document]]:
    offset = 0
    while True:
        batch = list(session.scalars(query.offset(offset).limit(BATCH)))
        if not batch:
            return
        yield batch
        offset += BATCH


def _invoices(session: Session, ids: list[int]) -> dict[int, Invoice]:
    results: dict[int, dict[str, dict[str, object]]] = {}
    for document_id, step, data in session.execute(
        select(StepResult.document_id, StepResult.step, StepResult.data)
        .where(StepResult.document_id.in_(ids), StepResult.step.in_(INVOICE_STEPS))
        .order_by(StepResult.id)
    ):
        results.setdefault(document_id, {})[step] = data
    invoices = {document_id: current_invoice(steps) for document_id, steps in results.items()}
    return {document_id: invoice for document_id, invoice in invoices.items() if invoice is not None}


def _matches(row: ArchiveRow, search: Search) -> bool:
    invoice = row.invoice or Invoice()
    gross = invoice.gross_total
    checks = (
        _contains(invoice.seller_name, search.vendor),
        _contains(invoice.invoice_number, search.number),
        search.amount_min is None or (gross is not None and gross >= search.amount_min),
        search.amount_max is None or (gross is not None and gross <= search.amount_max),
        search.issued_from is None
        or (invoice.issue_date is not None and invoice.issue_date >= search.issued_from),
        search.issued_to is None
        or (invoice.issue_date is not None and invoice.issue_date <= search.issued_to),
        _contains(_full_text(row), search.text),
    )
    return all(checks)


def _contains(haystack: str | None, needle: str) -> bool:
    wanted = needle.strip().lower()
    return not wanted or (haystack is not None and wanted in haystack.lower())


def _full_text(row: ArchiveRow) -> str:
    invoice = row.invoice or Invoice()
    parts = [
        row.document.filename,
        row.document.status_reason,
        invoice.invoice_number,
        invoice.seller_name,
        invoice.seller_vat_id,
        invoice.buyer_name,
        invoice.purchase_order,
        invoice.iban,
        *(item.description for item in invoice.line_items),
        *invoice.notes,
    ]
    return " ".join(p for p in parts if p)
