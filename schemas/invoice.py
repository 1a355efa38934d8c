"""The canonical invoice: EN 16931 semantics, field names as in the corpus truth files.

Amounts are `Decimal` in the invoice currency, dates are `datetime.date`, identifiers carry no
spaces. Every header field may carry a `FieldSource` in `Invoice.fields` (confidence and
provenance); line items and tax breakdown rows are scored as a whole. What each field is, and how it
is named, asked for and scored: `schemas.fields`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.fields import FIELDS

SourceKind = Literal["page", "xml", "rule", "human", "model"]


class FieldSource(BaseModel):
    """Where a value came from and how sure we are of it."""

    model_config = ConfigDict(frozen=True)

    confidence: float = Field(ge=0.0, le=1.0)
    kind: SourceKind
    #: Rule name, XML path (e.g. `/rsm:CrossIndustryInvoice/.../ram:GrandTotalAmount`) or label text.
    source: str
    page: int | None = None  # 1-based
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    #: Why a trained scorer chose this value, weightiest first (empty for rules and XML).
    reasons: tuple[str, ...] = ()


class LineItem(BaseModel):
    line_id: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit_code: str | None = None
    unit_price: Decimal | None = None
    price_basis_quantity: Decimal | None = None
    gross_unit_price: Decimal | None = None
    net_amount: Decimal | None = None
    tax_rate: Decimal | None = None
    tax_category: str | None = None
    parent_line_id: str | None = None
    line_status: str | None = None
    #: EXTENDED "information" lines that carry no amount of their own.
    informational: bool = False


class TaxBreakdown(BaseModel):
    rate: Decimal | None = None
    category: str | None = None
    taxable_amount: Decimal | None = None
    tax_amount: Decimal | None = None
    exemption_reason: str | None = None


class AllowanceCharge(BaseModel):
    is_charge: bool
    amount: Decimal
    reason: str | None = None
    tax_rate: Decimal | None = None
    tax_category: str | None = None


#: Header fields that carry a `FieldSource`; the order is the order the review page shows.
HEADER_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS if spec.header)
AMOUNT_FIELDS: frozenset[str] = frozenset(spec.name for spec in FIELDS if spec.kind == "amount")
DATE_FIELDS: frozenset[str] = frozenset(spec.name for spec in FIELDS if spec.kind == "date")


class Invoice(BaseModel):
    """One invoice or credit note in canonical form."""

    invoice_number: str | None = None
    #: UNTDID 1001: 380 invoice, 381 credit note, 384 corrected invoice, 389 self-billed.
    document_type_code: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    delivery_date: date | None = None
    currency: str | None = None
    seller_name: str | None = None
    seller_vat_id: str | None = None
    seller_tax_number: str | None = None
    seller_country: str | None = None
    seller_address: str | None = None
    buyer_name: str | None = None
    buyer_vat_id: str | None = None
    buyer_country: str | None = None
    buyer_address: str | None = None
    line_total: Decimal | None = None
    allowance_total: Decimal | None = None
    charge_total: Decimal | None = None
    net_total: Decimal | None = None
    tax_total: Decimal | None = None
    gross_total: Decimal | None = None
    prepaid_amount: Decimal | None = None
    #: BT-114, added to the amount due to round it (EN 16931 BR-CO-16).
    rounding_amount: Decimal | None = None
    amount_due: Decimal | None = None
    iban: str | None = None
    ibans: list[str] = Field(default_factory=list)
    bic: str | None = None
    payer_iban: str | None = None
    #: BT-81, UNTDID 4461: 30/58 credit transfer, 59 SEPA direct debit, 48 card, 10 cash, ...
    payment_means_code: str | None = None
    payment_terms: str | None = None
    purchase_order: str | None = None
    notes: list[str] = Field(default_factory=list)
    line_items: list[LineItem] = Field(default_factory=list)
    tax_breakdown: list[TaxBreakdown] = Field(default_factory=list)
    allowances_charges: list[AllowanceCharge] = Field(default_factory=list)
    #: Confidence and provenance per header field name (see `HEADER_FIELDS`).
    fields: dict[str, FieldSource] = Field(default_factory=dict)

    def plain(self) -> dict[str, object]:
        """The values alone, JSON-ready (amounts as strings keep their cents exactly)."""
        return self.model_dump(mode="json", exclude={"fields"})
