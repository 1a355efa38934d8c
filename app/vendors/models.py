"""The vendors table: one row per seller, for validation's directory and the seller's creditor account.

A vendor is taught by approved invoices (`invoice_count` of them); one that only has a creditor account so
far (posted automatically, or taken over from the advisor's list) has none, and validation does not treat
it as on file.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime
from app.models import utcnow

if TYPE_CHECKING:
    from app.journal.models import Creditor


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
    #: Approved invoices: 0 for a vendor known only by its creditor account.
    invoice_count: Mapped[int] = mapped_column(default=0)
    last_invoice_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    #: The vendor's DATEV creditor account, once it has one.
    creditor: Mapped[Creditor | None] = relationship(back_populates="vendor")
