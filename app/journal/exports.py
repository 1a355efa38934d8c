"""The journal for others: JSON entries for any ERP, and the rows of the DATEV Buchungsstapel.

DATEV books a supplier invoice as one row per expense account and tax key: the gross amount (net plus its
share of the invoice VAT) between the creditor (`Konto`, credited: "H") and the expense account
(`Gegenkonto`); the tax key makes DATEV split off the input VAT itself, so the journal's VAT lines are not
exported. VAT the rows cannot carry to the cent is a `vat_rounding` line, exported without tax key. The
rows of one invoice therefore add up to its gross amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking.datev import Booking, signed_amount
from agents.booking.entries import allocate
from agents.booking.tax_keys import EU_TAX_KEYS, STANDARD_KEYS
from app.attributes import from_attributes
from app.config import Settings
from app.journal.models import EntryKind, JournalEntry, JournalLine, PostingRole, Side
from schemas.booking import CreditorRead, JournalEntryRead, JournalLineRead


def entries_between(session: Session, date_from: date, date_to: date) -> list[JournalEntry]:
    """Entries whose document date (Belegdatum) lies in [date_from, date_to], oldest first."""
    query = (
        select(JournalEntry)
        .where(JournalEntry.document_date.between(date_from, date_to))
        .order_by(JournalEntry.document_date, JournalEntry.id)
    )
    return list(session.scalars(query))


def reversals_of(session: Session, entry_ids: Sequence[int]) -> dict[int, int]:
    """Original entry id → id of the entry that reverses it."""
    if not entry_ids:
        return {}
    rows = session.execute(
        select(JournalEntry.reverses_id, JournalEntry.id).where(JournalEntry.reverses_id.in_(entry_ids))
    ).all()
    return {original: reversal for original, reversal in rows if original is not None}


def entry_read(entry: JournalEntry, reversed_by: int | None = None) -> JournalEntryRead:
    return JournalEntryRead(
        id=entry.id,
        document_id=entry.document_id,
        kind=entry.kind.value,
        document_number=entry.document_number,
        document_date=entry.document_date,
        text=entry.text,
        currency=entry.currency,
        gross_amount=entry.gross_amount,
        exchange_rate=Decimal(entry.exchange_rate) if entry.exchange_rate else None,
        foreign_gross_amount=(
            Decimal(entry.foreign_gross_cents).scaleb(-2) if entry.foreign_gross_cents is not None else None
        ),
        chart=entry.chart,
        posted_at=entry.posted_at,
        posted_by=entry.posted_by,
        creditor=CreditorRead(number=entry.creditor.number, name=entry.creditor.name),
        reverses_id=entry.reverses_id,
        corrects_id=entry.corrects_id,
        reversed_by_id=reversed_by,
        lines=[_line_read(line) for line in entry.lines],
    )


def _line_read(line: JournalLine) -> JournalLineRead:
    return from_attributes(JournalLineRead, line, side=line.side.value, role=line.role.value)


#: Journal lines that become DATEV rows: expenses (gross with tax key) and VAT DATEV cannot derive.
EXPORTED_ROLES = frozenset({PostingRole.EXPENSE, PostingRole.VAT_ROUNDING})


def datev_bookings(entry: JournalEntry) -> list[Booking]:
    """The DATEV rows of one entry: creditor against expense account, gross amount, tax key.

    A reversal is written as a Generalumkehr of the original's rows (same sides, column 118 = 1). A
    foreign-currency entry's rows carry the invoice currency, its rate and the EUR amount as Basis-Umsatz;
    the invoice's foreign gross is spread over them in proportion to their EUR amounts.
    """
    rows = [_booking(entry, line) for line in entry.lines if line.role in EXPORTED_ROLES]
    if entry.exchange_rate is None or entry.foreign_gross_cents is None:
        return rows
    weights = [signed_amount(r) for r in rows]  # their sum is the entry's EUR gross, signed like the foreign
    foreign = allocate(Decimal(entry.foreign_gross_cents).scaleb(-2), weights)
    rate = Decimal(entry.exchange_rate)
    return [
        replace(row, amount=abs(part), base_amount=row.amount, rate=rate)
        for row, part in zip(rows, foreign, strict=True)
    ]


def _booking(entry: JournalEntry, line: JournalLine) -> Booking:
    reversal = entry.kind == EntryKind.REVERSAL
    # An expense debit is a credit of the creditor: "H" on Konto = creditor. A reversal's lines are
    # mirrored; with Generalumkehr DATEV wants the original's side and mirrors it itself.
    debit = (line.side == Side.DEBIT) != reversal
    return Booking(
        amount=line.amount + line.tax_amount,
        side="H" if debit else "S",
        account=str(entry.creditor.number),
        contra_account=line.account,
        tax_key=line.tax_key,
        document_date=entry.document_date,
        document_number=entry.document_number,
        text=entry.text,
        currency=entry.currency,
        guid=line.booking_guid,
        service_date=entry.service_date,
        due_date=entry.due_date,
        reversal=reversal,
        origin_vat_id=_origin_vat_id(entry, line),
    )


def _origin_vat_id(entry: JournalEntry, line: JournalLine) -> str:
    """Column 123 names the supplier's VAT ID on intra-EU acquisitions and EU reverse-charge services."""
    vat_id = entry.creditor.vat_id or ""
    if line.tax_key in EU_TAX_KEYS and vat_id[:2].isalpha() and not vat_id.startswith("DE"):
        return vat_id
    return ""


def fiscal_year_start(settings: Settings, on: date) -> date:
    """The first day of the fiscal year that `on` falls in."""
    datev = settings.booking.datev
    start = date(on.year, datev.fiscal_year_start_month, datev.fiscal_year_start_day)
    return start if start <= on else start.replace(year=on.year - 1)


def datev_filename(date_from: date, date_to: date, export_id: int, sequence: int) -> str:
    return f"EXTF_Buchungsstapel_{date_from:%Y%m%d}_{date_to:%Y%m%d}_{export_id}-{sequence}.csv"


def tax_period_date(row: Booking, received: date | None) -> date | None:
    """Column 116 of a row with German input VAT: the day the invoice was received, when that lies in a
    later month than its date (§ 15 (1) Nr. 1 UStG: the input VAT belongs to the period in which the
    invoice is in hand); otherwise empty, and DATEV takes the period from the Belegdatum."""
    if received is None or row.tax_key not in STANDARD_KEYS:
        return None
    later = (received.year, received.month) > (row.document_date.year, row.document_date.month)
    return received if later else None
