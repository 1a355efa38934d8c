"""The review API: a document's fields as a reviewer sees them, the corrections, the decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas.api import DocumentRead
from schemas.booking import BookingProposal, JournalEntryRead, Posting
from schemas.finding import Finding
from schemas.invoice import HEADER_FIELDS, LineItem, SourceKind, TaxBreakdown

#: What a reviewer may set besides the header fields.
EDITABLE: frozenset[str] = frozenset(
    {
        *HEADER_FIELDS,
        "seller_address",
        "buyer_address",
        "rounding_amount",
        "line_items",
        "tax_breakdown",
        "allowances_charges",
        "ibans",
        "notes",
    }
)


class FieldValue(BaseModel):
    name: str
    value: Any = None
    confidence: float | None = None
    kind: SourceKind | None = None
    source: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


class FieldsRead(BaseModel):
    document_id: int
    status: str
    #: The step whose invoice counts: review, einvoice or extract (None: nothing read yet).
    invoice_from: str | None
    fields: list[FieldValue]
    line_items: list[LineItem] = Field(default_factory=list)
    tax_breakdown: list[TaxBreakdown] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    booking: BookingProposal | None = None
    #: The journal entry the proposal would post (empty while it cannot be posted).
    postings: list[Posting] = Field(default_factory=list)


class FieldsUpdate(BaseModel):
    """Corrections: field values (JSON as in the invoice), and expense accounts by proposal line."""

    model_config = ConfigDict(extra="forbid")

    fields: dict[str, Any] = Field(default_factory=dict)
    accounts: dict[int, str] = Field(default_factory=dict)
    #: One account for every line (lines in `accounts` keep theirs).
    account: str | None = None

    @field_validator("fields")
    @classmethod
    def _editable(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {', '.join(unknown)}")
        return value


class Rejection(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class ApprovalRequest(BaseModel):
    """Approving a document with open errors needs `force` and a `reason` (both audited)."""

    model_config = ConfigDict(extra="forbid")

    force: bool = False
    reason: str = Field(default="", max_length=2000)


class Approval(BaseModel):
    document: DocumentRead
    entry: JournalEntryRead


class AuditEntry(BaseModel):
    """One event of a document's audit trail, with a line a person reads."""

    id: int
    at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    summary: str


class CorrectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)
    accounts: dict[int, str] = Field(default_factory=dict)
    account: str | None = None


class Correction(BaseModel):
    reversal: JournalEntryRead
    correction: JournalEntryRead
