"""What the creditors' DATEV master data says about each creditor: the journal's name and IDs, and the
address and bank account of the creditor's latest posted invoice."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking.datev_creditors import CreditorRecord
from app.journal.models import Creditor, JournalEntry
from app.models import StepResult
from app.pipeline.stored import current_invoice
from schemas.invoice import Invoice


def creditor_records(session: Session, entries: Sequence[JournalEntry]) -> list[CreditorRecord]:
    """One record per creditor of `entries`, by account number."""
    latest: dict[int, JournalEntry] = {}
    for entry in entries:
        if entry.creditor_id not in latest or entry.id > latest[entry.creditor_id].id:
            latest[entry.creditor_id] = entry
    records = [_record(e.creditor, _invoice(session, e.document_id)) for e in latest.values()]
    return sorted(records, key=lambda r: r.number)


def _invoice(session: Session, document_id: int) -> Invoice | None:
    rows = session.execute(
        select(StepResult.step, StepResult.data).where(StepResult.document_id == document_id)
    ).all()
    return current_invoice(dict(rows))


def _record(creditor: Creditor, invoice: Invoice | None) -> CreditorRecord:
    seller = invoice or Invoice()
    return CreditorRecord(
        number=creditor.number,
        name=creditor.name,
        vat_id=creditor.vat_id or "",
        tax_number=creditor.tax_number or "",
        address=seller.seller_address or "",
        country=seller.seller_country or "",
        iban=seller.iban or (seller.ibans[0] if seller.ibans else ""),
        bic=seller.bic or "",
    )
