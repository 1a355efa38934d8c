"""Findings: what a step noticed about a document, for the decision and the reviewer."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "info"]


class FindingCode(enum.StrEnum):
    """Every fixed finding code, by family (the part before the dot). The codes are stored and matched
    by the settings' review patterns (`amount.*`), so a code is never renamed. Codes that carry a rule
    id (`einvoice.BR-CO-15`, `statutory.seller_address_missing`) are made by `coded()`."""

    # read: what the page gives
    TEXT_MISSING = "text.missing"
    TEXT_TRUNCATED = "text.truncated"
    TEXT_HIDDEN = "text.hidden"
    # OCR: pages read from their image
    OCR_USED = "ocr.used"
    OCR_NEW_VENDOR = "ocr.new_vendor"
    # e-invoice XML and its cross-check with the page
    EINVOICE_UNREADABLE = "einvoice.unreadable"
    EINVOICE_XSD = "einvoice.xsd"
    EINVOICE_MANDATORY_MISSING = "einvoice.mandatory_missing"
    EINVOICE_BAD_VALUE = "einvoice.bad_value"
    EINVOICE_PAGE_MISMATCH = "einvoice.page_mismatch"
    # extraction: what the page lacks
    EXTRACTION_MISSING_FIELD = "extraction.missing_field"
    DATES_DUE_BEFORE_ISSUE = "dates.due_before_issue"
    # validation
    DOCUMENT_NOT_INVOICE = "document.not_invoice"
    ARITHMETIC_LINES_MISMATCH = "arithmetic.lines_mismatch"
    ARITHMETIC_NET_MISMATCH = "arithmetic.net_mismatch"
    ARITHMETIC_GROSS_MISMATCH = "arithmetic.gross_mismatch"
    ARITHMETIC_RATE_TAX_MISMATCH = "arithmetic.rate_tax_mismatch"
    ARITHMETIC_DUE_MISMATCH = "arithmetic.due_mismatch"
    AMOUNT_NOT_POSITIVE = "amount.not_positive"
    CURRENCY_FOREIGN = "currency.foreign"
    DATE_ISSUE_IN_FUTURE = "date.issue_in_future"
    DATE_ISSUE_TOO_OLD = "date.issue_too_old"
    DATE_DUE_BEFORE_ISSUE = "date.due_before_issue"
    VAT_RATE_INVALID = "vat.rate_invalid"
    VAT_RATE_UNKNOWN = "vat.rate_unknown"
    VAT_REVERSE_CHARGE_TAX = "vat.reverse_charge_tax"
    VAT_REVERSE_CHARGE_NOTE_MISSING = "vat.reverse_charge_note_missing"
    VAT_INTRA_EU_VAT_ID_MISSING = "vat.intra_eu_vat_id_missing"
    IDENTIFIERS_VAT_ID_INVALID = "identifiers.vat_id_invalid"
    IDENTIFIERS_TAX_NUMBER_INVALID = "identifiers.tax_number_invalid"
    IDENTIFIERS_IBAN_INVALID = "identifiers.iban_invalid"
    IDENTIFIERS_BIC_INVALID = "identifiers.bic_invalid"
    BUYER_VAT_ID_MISMATCH = "buyer.vat_id_mismatch"
    BUYER_NAME_MISMATCH = "buyer.name_mismatch"
    DUPLICATE_SAME_NUMBER = "duplicate.same_number"
    DUPLICATE_NEAR = "duplicate.near"
    VENDOR_NEW = "vendor.new"
    VENDOR_VAT_ID_CHANGED = "vendor.vat_id_changed"
    BANK_CHANGED = "bank.changed"
    BANK_UNVERIFIED = "bank.unverified"
    BANK_MULTIPLE_IBANS = "bank.multiple_ibans"
    BANK_CHANGE_NOTICE = "bank.change_notice"
    BANK_IBAN_IN_BUYER_BLOCK = "bank.iban_in_buyer_block"
    BANK_IBAN_AFTER_TOTALS = "bank.iban_after_totals"
    CONFIDENCE_LOW = "confidence.low"
    # booking: what stands in the way of posting
    BOOKING_TAX_INCOMPLETE = "booking.tax_incomplete"
    BOOKING_AMOUNTS_MISSING = "booking.amounts_missing"
    BOOKING_TAX_RATE_UNKNOWN = "booking.tax_rate_unknown"
    BOOKING_FOREIGN_VAT = "booking.foreign_vat"
    BOOKING_NO_TAX_ACCOUNT = "booking.no_tax_account"
    BOOKING_CURRENCY = "booking.currency"
    BOOKING_VENDOR_MISSING = "booking.vendor_missing"
    BOOKING_DOCUMENT_NUMBER_MISSING = "booking.document_number_missing"
    BOOKING_DOCUMENT_DATE_MISSING = "booking.document_date_missing"
    BOOKING_GROSS_MISSING = "booking.gross_missing"
    BOOKING_GROSS_MISMATCH = "booking.gross_mismatch"
    BOOKING_ZERO_AMOUNT = "booking.zero_amount"
    BOOKING_MODEL_UNAVAILABLE = "booking.model_unavailable"
    BOOKING_RATE_MISSING = "booking.rate_missing"
    BOOKING_LINE_TAX_UNKNOWN = "booking.line_tax_unknown"
    BOOKING_LOW_CONFIDENCE = "booking.low_confidence"
    BOOKING_FIXED_ASSET = "booking.fixed_asset"

    @property
    def family(self) -> str:
        return self.value.split(".", 1)[0]


#: Families whose codes carry a rule id or a field name after the dot (see `coded()`).
CodedFamily = Literal["einvoice", "statutory", "arithmetic"]


def coded(family: CodedFamily, rule: str) -> str:
    """A code that names its rule: `einvoice.BR-CO-15`, `statutory.seller_address_missing`."""
    return f"{family}.{rule}"


class Finding(BaseModel):
    #: Stable dotted code: a `FindingCode`, or a rule's code made by `coded()` (`einvoice.BR-CO-15`).
    code: str
    severity: Severity
    #: A sentence a bookkeeper understands.
    message: str
    fields: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, code: FindingCode | str, severity: Severity, message: str, *fields: str) -> Finding:
        """The one constructor the families' helpers use (`text_finding`, `arithmetic_error`, ...)."""
        return cls(code=str(code), severity=severity, message=message, fields=list(fields))
