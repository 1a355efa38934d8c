"""The vendor directory's table: built from approved invoices only, read by validation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime
from app.models import utcnow


class Vendor(Base):
    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    #: `company_key(name)`: the name without legal form, for matching sellers without IDs.
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    #: Compact form (`DE123456789`); unique, but several vendors may have none.
    vat_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    tax_number: Mapped[str | None] = mapped_column(String(32), index=True)
    #: Every IBAN seen on an approved invoice, compact. Reassign, do not mutate in place.
    ibans: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The expense account a booking proposes for this vendor (set by booking or a person).
    default_account: Mapped[str | None] = mapped_column(String(32))
    invoice_count: Mapped[int] = mapped_column(default=0)
    last_invoice_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
