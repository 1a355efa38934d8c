"""Creating DATEV exports: select what is due, write the batches, record them in the export ledger.

The API (`POST /v1/exports/datev`) and the CLI (`kontor export datev`) both call `create_export`.

Selection is by posting, not only by document date: an export up to day `to` takes every entry dated on or
before `to` that no earlier export carried. So an invoice posted late into a month that was already
exported goes out with the next export, under its own Belegdatum, and nothing is exported twice. With
`again`, every entry dated in [from, to] is exported once more, exported before or not.

Entries are grouped by fiscal year, and each year into batches of at most 99,999 rows (an entry's rows
stay together). Then come the master data (Debitoren/Kreditoren) of its creditors and, with
`document_links`, a ZIP of the originals with DATEV's document.xml that the rows' Beleglinks point to.
Services only flush; the caller's session boundary commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from agents.booking.datev import MAX_ROWS, BatchHeader, Booking, document_fields, signed_amount, write_batch
from agents.booking.datev_creditors import write_creditors
from agents.booking.datev_documents import LinkedDocument, beleglink, write_bundle
from agents.booking.errors import DatevFormatError
from app.config import DatevSettings, Settings
from app.errors import ConflictError, NotFoundError
from app.journal.export_ledger import DatevBatch, DatevBatchEntry, DatevExport, export_summary
from app.journal.exports import datev_bookings, datev_filename, fiscal_year_start, tax_period_date
from app.journal.models import JournalEntry
from app.models import AuditEvent, Document, utcnow
from app.vendors.creditor_data import creditor_records

#: Built-in charts name themselves in the DATEV header (field 27).
DATEV_CHARTS = {"skr03": "03", "skr04": "04"}
#: DATEV's example numbers, which every fresh installation has: an export with them lands nowhere.
DEFAULT_NUMBERS = (1001, 1)
GERMANY = ZoneInfo("Europe/Berlin")
#: Advisory lock key of DATEV exports ("DATEV" in ASCII).
EXPORT_LOCK = int.from_bytes(b"DATEV", "big")


class DatevNotConfiguredError(ConflictError):
    error = "datev_not_configured"


class NothingToExportError(ConflictError):
    error = "nothing_to_export"


@dataclass(frozen=True)
class _Planned:
    """One batch before it is written: its fiscal year, entries and rows."""

    fiscal_year_start: date
    entries: list[JournalEntry]
    rows: list[Booking]


def check_configured(datev: DatevSettings) -> None:
    """Refuse DATEV's example consultant/client numbers: the advisor's import would reject the file."""
    if (datev.consultant_number, datev.client_number) == DEFAULT_NUMBERS:
        raise DatevNotConfiguredError(
            "Set the advisor's consultant and client numbers (KONTOR_BOOKING__DATEV__CONSULTANT_NUMBER, "
            "KONTOR_BOOKING__DATEV__CLIENT_NUMBER) before exporting to DATEV; 1001/1 are DATEV's examples."
        )


def due_entries(session: Session, date_from: date, date_to: date, *, again: bool) -> list[JournalEntry]:
    """What an export of [date_from, date_to] carries (see the module docstring), oldest first."""
    query = select(JournalEntry).where(JournalEntry.document_date <= date_to)
    if again:
        query = query.where(JournalEntry.document_date >= date_from)
    else:
        exported = select(DatevBatchEntry.entry_id)
        query = query.where(JournalEntry.id.not_in(exported))
    return list(session.scalars(query.order_by(JournalEntry.document_date, JournalEntry.id)))


def plan_batches(
    rows_by_entry: Sequence[tuple[JournalEntry, list[Booking]]],
    year_of: dict[int, date],
    max_rows: int = MAX_ROWS,
) -> list[_Planned]:
    """Group entries by fiscal year, then into batches of at most `max_rows` rows."""
    planned: list[_Planned] = []
    for entry, rows in rows_by_entry:
        year = year_of[entry.id]
        last = planned[-1] if planned else None
        if last is None or last.fiscal_year_start != year or len(last.rows) + len(rows) > max_rows:
            last = _Planned(year, [], [])
            planned.append(last)
        last.entries.append(entry)
        last.rows.extend(rows)
    return planned


def create_export(
    session: Session,
    settings: Settings,
    date_from: date,
    date_to: date,
    *,
    actor: str,
    again: bool = False,
    now: datetime | None = None,
) -> DatevExport:
    """Export what is due up to `date_to` (see the module docstring) and record it in the ledger.

    Raises `DatevNotConfiguredError` with the example numbers, `DatevFormatError` for a reversed range,
    and `NothingToExportError` when nothing is due.
    """
    check_configured(settings.booking.datev)
    if date_from > date_to:
        raise DatevFormatError("The export's start date lies after its end date.")
    export = DatevExport(
        created_at=now or utcnow(), created_by=actor, period_from=date_from, period_to=date_to, again=again
    )
    _serialize_exports(session, export)
    entries = due_entries(session, date_from, date_to, again=again)
    if not entries:
        session.delete(export)  # whatever the caller does with the transaction, no empty export stays
        session.flush()
        raise NothingToExportError(f"Nothing new to export up to {date_to}; use again to repeat an export.")
    plans = _plan(session, settings, export, entries)
    for sequence, plan in enumerate(plans, start=1):
        _record_batch(session, settings, export, sequence, plan, (date_from, date_to))
    _record_creditors(session, settings, export, len(plans) + 1, plans[-1], entries)
    if settings.booking.datev.document_links:
        _record_documents(session, export, len(plans) + 2, plans[0].fiscal_year_start, entries)
    session.flush()
    session.expire(export, ["batches"])
    session.add(AuditEvent(actor=actor, action="datev.export", after=export_summary(export)))
    session.flush()
    return export


def _plan(
    session: Session, settings: Settings, export: DatevExport, entries: list[JournalEntry]
) -> list[_Planned]:
    """The rows of `entries` with their Belegfeld 1 mapped (recorded, with a warning each) and Beleglinks,
    planned into batches."""
    mapping = document_fields(e.document_number for e in entries)
    export.document_numbers = mapping
    export.warnings = [
        f"Invoice number {k!r} is exported as Belegfeld 1 {v!r}." for k, v in sorted(mapping.items())
    ]
    links = _document_links(session, entries) if settings.booking.datev.document_links else {}
    received = _received(session, entries) if settings.booking.datev.tax_period_by_receipt else {}
    rows_by_entry = [
        (
            e,
            [
                _mapped(r, mapping, links.get(e.document_id, ""), received.get(e.document_id))
                for r in datev_bookings(e)
            ],
        )
        for e in entries
    ]
    return plan_batches(rows_by_entry, {e.id: fiscal_year_start(settings, e.document_date) for e in entries})


def _serialize_exports(session: Session, export: DatevExport) -> None:
    """One export at a time, so two never both take the same entries: PostgreSQL by an advisory lock held
    to the end of the transaction, SQLite by writing first (its write lock serialises the rest)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EXPORT_LOCK})
    session.add(export)
    session.flush()


def _mapped(row: Booking, mapping: dict[str, str], link: str, received: date | None) -> Booking:
    return replace(
        row,
        document_number=mapping.get(row.document_number, row.document_number),
        document_link=link,
        tax_period_date=tax_period_date(row, received),
    )


def _received(session: Session, entries: list[JournalEntry]) -> dict[int, date]:
    """Document id → the German calendar day it reached Kontor (the VAT periods are German months)."""
    ids = {e.document_id for e in entries}
    rows = session.execute(select(Document.id, Document.received_at).where(Document.id.in_(ids))).all()
    return {document_id: at.astimezone(GERMANY).date() for document_id, at in rows}


def _document_links(session: Session, entries: list[JournalEntry]) -> dict[int, str]:
    """Document id → Beleglink of every document of `entries`."""
    ids = {e.document_id for e in entries}
    rows = session.execute(select(Document.id, Document.sha256).where(Document.id.in_(ids))).all()
    return {document_id: beleglink(sha256) for document_id, sha256 in rows}


def _record_documents(
    session: Session, export: DatevExport, sequence: int, year_start: date, entries: list[JournalEntry]
) -> None:
    """The originals with DATEV's document.xml, so that the Beleglinks of the batches resolve."""
    numbers: dict[int, set[str]] = {}
    for entry in entries:
        numbers.setdefault(entry.document_id, set()).add(
            export.document_numbers.get(entry.document_number, entry.document_number)
        )
    documents = session.scalars(select(Document).where(Document.id.in_(numbers)).order_by(Document.id))
    linked = [
        LinkedDocument(d.sha256, d.media_type, d.content, " ".join(sorted(numbers[d.id]))) for d in documents
    ]
    data = write_bundle(linked, export.created_at)
    span = (year_start, export.period_from, export.period_to)
    filename = f"EXTF_Belege_{export.id}-{sequence}.zip"
    session.add(_stored(export, sequence, "documents", span, len(linked), filename, data))


def _record_batch(
    session: Session,
    settings: Settings,
    export: DatevExport,
    sequence: int,
    plan: _Planned,
    period: tuple[date, date],
) -> None:
    header = _header(settings, export.created_at, plan, period)
    data = write_batch(header, plan.rows)
    gross = sum((signed_amount(r) for r in plan.rows), start=Decimal(0))
    expected = sum((e.gross_amount for e in plan.entries), start=Decimal(0))
    if gross != expected:  # the rows of every entry add up to its gross amount (app.journal.exports)
        raise DatevFormatError(f"The batch sums to {gross}, its entries to {expected}.")
    filename = datev_filename(header.date_from, header.date_to, export.id, sequence)
    batch = _stored(export, sequence, "bookings", _span(header), len(plan.rows), filename, data)
    batch.entries = len(plan.entries)
    batch.gross_cents = int(gross * 100)
    session.add(batch)
    session.flush()
    session.add_all(DatevBatchEntry(batch_id=batch.id, entry_id=e.id) for e in plan.entries)


def _record_creditors(
    session: Session,
    settings: Settings,
    export: DatevExport,
    sequence: int,
    last: _Planned,
    entries: list[JournalEntry],
) -> None:
    """The master data (EXTF category 16) of every creditor in the export, beside the batches."""
    records = creditor_records(session, entries)
    header = _header(settings, export.created_at, last, (export.period_from, export.period_to))
    data = write_creditors(header, records)
    filename = f"EXTF_Kreditoren_{export.id}-{sequence}.csv"
    session.add(_stored(export, sequence, "creditors", _span(header), len(records), filename, data))


def _span(header: BatchHeader) -> tuple[date, date, date]:
    return header.fiscal_year_start, header.date_from, header.date_to


def _stored(
    export: DatevExport,
    sequence: int,
    kind: str,
    span: tuple[date, date, date],
    rows: int,
    filename: str,
    data: bytes,
) -> DatevBatch:
    """One file of an export as the ledger keeps it: its bytes and their SHA-256, what it covers (the
    fiscal year's start, the first and last day); no journal entries or amount unless the caller sets them."""
    fiscal_year_start, date_from, date_to = span
    return DatevBatch(
        export_id=export.id,
        sequence=sequence,
        kind=kind,
        fiscal_year_start=fiscal_year_start,
        date_from=date_from,
        date_to=date_to,
        rows=rows,
        entries=0,
        gross_cents=0,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )


def _header(
    settings: Settings, created_at: datetime, plan: _Planned, period: tuple[date, date]
) -> BatchHeader:
    """The batch's dates: the export period within the fiscal year, widened to late-posted entries."""
    year_start = plan.fiscal_year_start
    year_end = year_start.replace(year=year_start.year + 1).toordinal() - 1
    dates = [r.document_date for r in plan.rows]
    datev = settings.booking.datev
    return BatchHeader(
        created_at=created_at,
        consultant_number=datev.consultant_number,
        client_number=datev.client_number,
        fiscal_year_start=year_start,
        account_length=datev.account_length,
        date_from=max(year_start, min(period[0], *dates)),
        date_to=min(date.fromordinal(year_end), max(period[1], *dates)),
        chart="" if settings.booking.chart_csv else DATEV_CHARTS.get(settings.booking.chart, ""),
        fixed=datev.fixed,
    )


def list_exports(session: Session, *, limit: int = 100) -> list[DatevExport]:
    return list(session.scalars(select(DatevExport).order_by(DatevExport.id.desc()).limit(limit)))


def get_export(session: Session, export_id: int) -> DatevExport:
    export = session.get(DatevExport, export_id)
    if export is None:
        raise NotFoundError(f"There is no DATEV export {export_id}.")
    return export


def get_batch(session: Session, export_id: int, sequence: int) -> DatevBatch:
    batch = session.scalar(
        select(DatevBatch).where(DatevBatch.export_id == export_id, DatevBatch.sequence == sequence)
    )
    if batch is None:
        raise NotFoundError(f"DATEV export {export_id} has no batch {sequence}.")
    return batch
