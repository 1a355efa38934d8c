"""The journal for others: JSON entries for any ERP, and the DATEV Buchungsstapel.

DATEV books a supplier invoice as one row per expense account and tax key: the gross amount (net plus its
share of the invoice VAT) between the creditor (`Konto`, credited: "H") and the expense account
(`Gegenkonto`); the tax key makes DATEV split off the input VAT itself, so the journal's VAT lines are not
exported. The rows of one invoice therefore add up to its gross amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking.datev import BatchHeader, Booking, write_batch
from agents.booking.errors import DatevFormatError
from app.config import Settings
from app.journal import JournalEntry, JournalLine, PostingRole, Side
from app.models import utcnow
from schemas.booking import CreditorRead, JournalEntryRead, JournalLineRead

#: Built-in charts name themselves in the DATEV header (field 27).
DATEV_CHARTS = {"skr03": "03", "skr04": "04"}


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
    return JournalLineRead(
        position=line.position,
        account=line.account,
        side=line.side.value,
        amount=line.amount,
        role=line.role.value,
        tax_key=line.tax_key,
        tax_amount=line.tax_amount,
        text=line.text,
    )


def datev_bookings(entries: Sequence[JournalEntry]) -> list[Booking]:
    """One DATEV row per expense line: gross amount, creditor against expense account, tax key."""
    return [
        _booking(entry, line) for entry in entries for line in entry.lines if line.role == PostingRole.EXPENSE
    ]


def _booking(entry: JournalEntry, line: JournalLine) -> Booking:
    # An expense debit is a credit of the creditor: "H" on Konto = creditor.
    return Booking(
        amount=line.amount + line.tax_amount,
        side="H" if line.side == Side.DEBIT else "S",
        account=str(entry.creditor.number),
        contra_account=line.account,
        tax_key=line.tax_key,
        document_date=entry.document_date,
        document_number=entry.document_number,
        text=entry.text,
        currency=entry.currency,
    )


def fiscal_year_start(settings: Settings, on: date) -> date:
    """The first day of the fiscal year that `on` falls in."""
    datev = settings.booking.datev
    start = date(on.year, datev.fiscal_year_start_month, datev.fiscal_year_start_day)
    return start if start <= on else start.replace(year=on.year - 1)


def datev_export(
    session: Session, settings: Settings, date_from: date, date_to: date, *, now: datetime | None = None
) -> bytes:
    """The EXTF Buchungsstapel of every entry dated in [date_from, date_to] (one fiscal year at most)."""
    if date_from > date_to:
        raise DatevFormatError("The export's start date lies after its end date.")
    datev = settings.booking.datev
    header = BatchHeader(
        created_at=now or utcnow(),
        consultant_number=datev.consultant_number,
        client_number=datev.client_number,
        fiscal_year_start=fiscal_year_start(settings, date_from),
        account_length=datev.account_length,
        date_from=date_from,
        date_to=date_to,
        chart="" if settings.booking.chart_csv else DATEV_CHARTS.get(settings.booking.chart, ""),
    )
    return write_batch(header, datev_bookings(entries_between(session, date_from, date_to)))


def datev_filename(date_from: date, date_to: date) -> str:
    return f"EXTF_Buchungsstapel_{date_from:%Y%m%d}_{date_to:%Y%m%d}.csv"
