"""The journal (ORM): creditor accounts, journal entries and their lines.

Posted entries are immutable (GoBD): the database refuses UPDATE and DELETE on `journal_entries` and
`journal_lines` (triggers in migration 0004). A correction is a reversal entry (`reverses_id`) plus a new
entry (`corrects_id`), both pointing at the original, which itself is never touched. Amounts are stored as
integer cents: exact on every database.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, string_enum
from app.models import utcnow
from app.vendors.models import Vendor


class EntryKind(enum.StrEnum):
    INVOICE = "invoice"
    REVERSAL = "reversal"
    CORRECTION = "correction"


class Side(enum.StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


class PostingRole(enum.StrEnum):
    EXPENSE = "expense"
    INPUT_VAT = "input_vat"
    OUTPUT_VAT = "output_vat"
    PAYABLE = "payable"
    #: Invoice VAT that DATEV cannot derive from the gross rows: exported without a tax key.
    VAT_ROUNDING = "vat_rounding"


class Creditor(Base):
    """A vendor's DATEV creditor account (70000 upwards with 4-digit accounts), assigned on first posting.

    Who the creditor is lives on its vendor (`app.vendors.models.Vendor`: name, VAT ID, tax number), the
    one record of a seller; the account only adds its number. A number stays with its entries: journal
    entries point at the account, never at the vendor, so a renamed vendor does not touch a posted row.
    """

    __tablename__ = "creditors"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    #: One account per vendor.
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vendor: Mapped[Vendor] = relationship(back_populates="creditor", lazy="joined")

    @property
    def name(self) -> str:
        return self.vendor.name

    @property
    def vat_id(self) -> str | None:
        return self.vendor.vat_id

    @property
    def tax_number(self) -> str | None:
        return self.vendor.tax_number


class JournalEntry(Base):
    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditors.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(string_enum(EntryKind, "journal_entry_kind", length=16))
    #: DATEV Belegfeld 1: the invoice number.
    document_number: Mapped[str] = mapped_column(String(36))
    #: DATEV Belegdatum: the invoice date (a reversal: the day it was made).
    document_date: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(60))
    currency: Mapped[str] = mapped_column(String(3))
    gross_cents: Mapped[int] = mapped_column(BigInteger)
    chart: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_by: Mapped[str] = mapped_column(String(128))
    #: DATEV Leistungsdatum and Fälligkeit, as the invoice states them.
    service_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    #: A foreign-currency invoice: units of `currency` per EUR, and its gross in that currency (cents).
    #: Every amount of the entry and its lines is in EUR.
    exchange_rate: Mapped[str | None] = mapped_column(String(24))
    foreign_gross_cents: Mapped[int | None] = mapped_column(BigInteger)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"), unique=True)

    creditor: Mapped[Creditor] = relationship(lazy="joined")
    lines: Mapped[list[JournalLine]] = relationship(
        back_populates="entry", order_by="JournalLine.position", lazy="selectin"
    )

    __table_args__ = (Index("ix_journal_entries_document_date_id", "document_date", "id"),)

    @property
    def gross_amount(self) -> Decimal:
        return Decimal(self.gross_cents).scaleb(-2)


class JournalLine(Base):
    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"))
    position: Mapped[int]
    account: Mapped[str] = mapped_column(String(16))
    side: Mapped[Side] = mapped_column(string_enum(Side, "journal_side", length=16))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[PostingRole] = mapped_column(string_enum(PostingRole, "journal_role", length=16))
    #: DATEV BU-Schlüssel.
    tax_key: Mapped[str | None] = mapped_column(String(4))
    #: Expense lines: the invoice VAT that belongs to this line (DATEV exports gross per tax key).
    tax_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    text: Mapped[str] = mapped_column(String(60))
    #: DATEV Buchungs-GUID, fixed at posting; lines posted before it existed derive theirs from the id.
    guid: Mapped[str | None] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))

    entry: Mapped[JournalEntry] = relationship(back_populates="lines")

    __table_args__ = (
        UniqueConstraint("entry_id", "position"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("tax_cents >= 0", name="tax_not_negative"),
    )

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_cents).scaleb(-2)

    @property
    def tax_amount(self) -> Decimal:
        return Decimal(self.tax_cents).scaleb(-2)

    @property
    def booking_guid(self) -> str:
        return self.guid or str(uuid.uuid5(uuid.NAMESPACE_URL, f"kontor:journal-line:{self.id}"))
