"""Booking: the account proposal for an invoice, the postings of its journal entry, the journal as JSON.

Amounts are `Decimal` in euros (strings in JSON); a posting's amount is always positive and its side says
whether it is a debit or a credit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from schemas.finding import Finding

#: How the VAT of a tax group is booked (see `agents.booking.tax_keys`).
Treatment = Literal["standard", "exempt", "reverse_charge", "intra_eu", "foreign"]
ChoiceSource = Literal["history", "keyword", "model", "default", "reviewer"]
Side = Literal["debit", "credit"]
PostingRole = Literal["expense", "input_vat", "output_vat", "payable", "vat_rounding"]
EntryKind = Literal["invoice", "reversal", "correction"]


class VendorRef(BaseModel):
    """Who sent the invoice, as far as the invoice says."""

    name: str | None = None
    vat_id: str | None = None
    tax_number: str | None = None


class AccountChoice(BaseModel):
    account: str
    name: str
    confidence: float = Field(ge=0.0, le=1.0)
    source: ChoiceSource
    #: For people: "vendor history: 12 of 12", "chart keyword: porto", "model", "default".
    reason: str


class ProposalLine(BaseModel):
    """One invoice line (or document-level charge/allowance) and the account proposed for it."""

    index: int
    description: str
    net_amount: Decimal
    #: Index into `BookingProposal.taxes`.
    tax_group: int
    account: AccountChoice
    #: A service (not goods), by the account's chart category: decides the intra-EU/§ 13b tax key.
    service: bool = False
    #: The account is a DATEV Automatikkonto: its row carries no tax key.
    automatic: bool = False


class TaxGroup(BaseModel):
    """One VAT rate of the invoice and how it is booked."""

    rate: Decimal
    category: str | None = None
    treatment: Treatment
    #: DATEV BU-Schlüssel; None where none applies (exempt, foreign VAT booked as cost).
    tax_key: str | None = None
    taxable_amount: Decimal
    tax_amount: Decimal
    input_vat_account: str | None = None
    #: Reverse charge and intra-EU acquisition: the VAT the buyer owes and deducts itself.
    output_vat_account: str | None = None
    #: Intra-EU (K): a service row is a § 13b (1) case (BU key 46), its VAT goes to the § 13b accounts.
    service_input_vat_account: str | None = None
    service_output_vat_account: str | None = None
    self_assessed_rate: Decimal | None = None


class BookingProposal(BaseModel):
    chart: str
    vendor: VendorRef
    #: The seller's country (ISO 3166-1 alpha-2), for the § 13b and intra-EU tax keys.
    vendor_country: str | None = None
    document_number: str | None = None
    document_date: date | None = None
    #: DATEV Leistungsdatum and Fälligkeit.
    service_date: date | None = None
    due_date: date | None = None
    #: The invoice's currency; every amount of the proposal is in EUR.
    currency: str | None = None
    gross_amount: Decimal | None = None
    #: Another currency: units of it per EUR (imported rates), and the invoice's gross in it.
    exchange_rate: Decimal | None = None
    foreign_gross_amount: Decimal | None = None
    credit_note: bool = False
    payable_account: str
    lines: list[ProposalLine] = Field(default_factory=list)
    taxes: list[TaxGroup] = Field(default_factory=list)
    #: The least confident line's confidence (0 without lines).
    confidence: float = 0.0
    #: Errors block posting; warnings only send the invoice to a person.
    problems: list[Finding] = Field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [p for p in self.problems if p.severity == "error"]


class BookingVerdict(BaseModel):
    """Whether a proposal is posted without a person: `booked`, or `needs_review` and the first reason."""

    status: Literal["booked", "needs_review"]
    reason: str


class Posting(BaseModel):
    """One line of a journal entry before it is stored."""

    account: str
    side: Side
    amount: Decimal = Field(gt=0)
    role: PostingRole
    tax_key: str | None = None
    #: Expense postings: the invoice VAT that belongs to them. DATEV books gross amounts with a tax key and
    #: splits the VAT off itself, so the export needs it per account.
    tax_amount: Decimal = Decimal("0.00")
    text: str = ""


class CreditorRead(BaseModel):
    number: int
    name: str


class JournalLineRead(BaseModel):
    position: int
    account: str
    side: Side
    amount: Decimal
    role: PostingRole
    tax_key: str | None
    tax_amount: Decimal
    text: str


class JournalEntryRead(BaseModel):
    id: int
    document_id: int
    kind: EntryKind
    document_number: str
    document_date: date
    text: str
    #: The invoice's currency; `gross_amount` and every line are in EUR.
    currency: str
    gross_amount: Decimal
    #: Another currency: units of it per EUR, and the gross in it.
    exchange_rate: Decimal | None = None
    foreign_gross_amount: Decimal | None = None
    chart: str
    posted_at: datetime
    posted_by: str
    creditor: CreditorRead
    reverses_id: int | None
    corrects_id: int | None
    reversed_by_id: int | None = None
    lines: list[JournalLineRead]


class JournalPage(BaseModel):
    items: list[JournalEntryRead]


class DatevExportCreate(BaseModel):
    """Export everything due up to `to` (see `app.journal.datev`); `again` repeats [from, to]."""

    model_config = {"populate_by_name": True}

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    again: bool = False


class DatevBatchRead(BaseModel):
    sequence: int
    #: "bookings" (EXTF Buchungsstapel), "creditors" (EXTF Debitoren/Kreditoren), "documents" (ZIP).
    kind: str
    fiscal_year_start: date
    date_from: date
    date_to: date
    rows: int
    entries: int
    gross_amount: Decimal
    filename: str
    sha256: str
    #: Where to download the file.
    url: str


class DatevExportRead(BaseModel):
    id: int
    created_at: datetime
    created_by: str
    period_from: date
    period_to: date
    again: bool
    document_numbers: dict[str, str]
    warnings: list[str]
    batches: list[DatevBatchRead]


class DatevExportPage(BaseModel):
    items: list[DatevExportRead]
