"""The export ledger (ORM): every DATEV export Kontor made, its batch files and the entries in each.

An entry counts as exported once it is in any batch; a later export of the same period leaves it out
unless asked to repeat (`again`). The files are kept as written, with their SHA-256, so a past export can
be downloaded again byte for byte.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime
from app.models import utcnow


class DatevExport(Base):
    __tablename__ = "datev_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(128))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    #: True when entries exported before were exported once more (`--again`).
    again: Mapped[bool] = mapped_column(default=False)
    #: Invoice number → Belegfeld 1, for every number that had to change.
    document_numbers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)

    batches: Mapped[list[DatevBatch]] = relationship(
        back_populates="export", order_by="DatevBatch.sequence", lazy="selectin"
    )


class DatevBatch(Base):
    """One file of an export: a Buchungsstapel (one fiscal year, at most 99,999 rows), creditor master
    data, or the document bundle."""

    __tablename__ = "datev_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("datev_exports.id"), index=True)
    sequence: Mapped[int]
    #: "bookings" (category 21), "creditors" (category 16) or "documents" (ZIP); the last two: no entries.
    kind: Mapped[str] = mapped_column(String(16), default="bookings")
    fiscal_year_start: Mapped[date] = mapped_column(Date)
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    rows: Mapped[int]
    entries: Mapped[int]
    #: Σ of the rows with the creditor's credits positive: the invoices' gross amounts.
    gross_cents: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    export: Mapped[DatevExport] = relationship(back_populates="batches")

    __table_args__ = (UniqueConstraint("export_id", "sequence"),)

    @property
    def gross_amount(self) -> Decimal:
        return Decimal(self.gross_cents).scaleb(-2)


class DatevBatchEntry(Base):
    """Journal entry `entry_id` went out in batch `batch_id`."""

    __tablename__ = "datev_batch_entries"

    batch_id: Mapped[int] = mapped_column(ForeignKey("datev_batches.id"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), primary_key=True, index=True)


def export_summary(export: DatevExport) -> dict[str, Any]:
    """What the audit trail keeps of an export."""
    return {
        "export_id": export.id,
        "period": [export.period_from.isoformat(), export.period_to.isoformat()],
        "again": export.again,
        "batches": [
            {"file": b.filename, "kind": b.kind, "sha256": b.sha256, "rows": b.rows} for b in export.batches
        ],
    }
