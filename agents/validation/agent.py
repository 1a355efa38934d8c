"""The validation agent: every check over one invoice, and the decision whether a person must look.

Checks are plain functions per family; this module only wires them. Earlier steps' findings (the
e-invoice rules, the page cross-check) count toward the decision as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pydantic import BaseModel, Field

from agents.base import Backend
from agents.validation.arithmetic import check_arithmetic
from agents.validation.bank import check_bank
from agents.validation.classify import BOOKABLE, Classification, DocumentClass, classify
from agents.validation.confidence import check_confidence
from agents.validation.dates import check_amounts, check_dates
from agents.validation.duplicates import check_duplicates
from agents.validation.identifiers import check_buyer, check_identifiers
from agents.validation.policy import Decision, decide
from agents.validation.ports import InvoiceHistory, VendorDirectory
from agents.validation.settings import ValidationSettings
from agents.validation.statutory import check_statutory
from agents.validation.vat import check_vat
from agents.validation.vendors import check_vendor
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice

CLASS_NAMES: dict[DocumentClass, str] = {
    "invoice": "an invoice",
    "credit_note": "a credit note",
    "payment_reminder": "a payment reminder",
    "receipt": "a receipt",
    "order_confirmation": "an order confirmation",
    "delivery_note": "a delivery note",
    "quote": "a quote",
    "account_statement": "an account statement",
    "not_invoice": "a letter or notice",
}
#: Why the class was chosen, completing "This looks like X, ...".
BASIS_REASONS: dict[str, str] = {
    "title": "its title says so ({words})",
    "mention": "it names itself so ({words}) and no invoice word is on the page",
    "no_invoice_word": "no word on the page calls it an invoice or credit note",
}
NOT_INVOICE = FindingCode.DOCUMENT_NOT_INVOICE


class ValidationResult(BaseModel):
    #: This agent's findings (earlier steps' findings are not repeated here).
    findings: list[Finding] = Field(default_factory=list)
    decision: Decision
    classification: Classification

    @property
    def document_class(self) -> DocumentClass:
        return self.classification.document_class


class ValidationAgent:
    """Checks an invoice; `history` and `vendors` may be None where no database is at hand."""

    def __init__(
        self,
        backend: Backend | None,
        settings: ValidationSettings,
        history: InvoiceHistory | None,
        vendors: VendorDirectory | None,
        *,
        clock: Callable[[], date] = date.today,
    ) -> None:
        self.backend = backend
        self.settings = settings
        self.history = history
        self.vendors = vendors
        self.clock = clock

    def validate(
        self, invoice: Invoice, text: str, document_id: int | None, *, prior_findings: Sequence[Finding] = ()
    ) -> ValidationResult:
        classification = classify(invoice, text, self.backend)
        # Checks of an invoice's content say nothing useful about a letter or a reminder.
        bookable = classification.document_class in BOOKABLE
        findings = self._checks(invoice, classification, document_id, text) if bookable else []
        findings = [*_class_findings(classification), *findings]
        decision = decide([*prior_findings, *findings], self.settings.review_warnings)
        return ValidationResult(findings=findings, decision=decision, classification=classification)

    def _checks(
        self, invoice: Invoice, classification: Classification, document_id: int | None, text: str
    ) -> list[Finding]:
        settings = self.settings
        # A corrected invoice (384) may reduce the amount like a credit note does.
        credit_note = classification.document_class == "credit_note" or invoice.document_type_code == "384"
        findings = [
            *check_arithmetic(invoice, settings),
            *check_vat(invoice),
            *check_statutory(invoice, settings),
            *check_identifiers(invoice),
            *check_buyer(invoice, settings),
            *check_dates(invoice, settings, self.clock()),
            *check_amounts(invoice, settings, credit_note=credit_note),
            *check_confidence(invoice, settings),
        ]
        if self.history is not None:
            priors = self.history.same_seller(invoice, exclude_document_id=document_id)
            findings += check_duplicates(invoice, priors, settings, credit_note=credit_note)
        vendor = self.vendors.find(invoice) if self.vendors is not None else None
        if self.vendors is not None:
            findings += check_vendor(invoice, vendor)
        findings += check_bank(invoice, text, vendor.ibans if vendor else [])
        return findings


def _class_findings(classification: Classification) -> list[Finding]:
    document_class = classification.document_class
    if document_class in BOOKABLE:
        return []
    words = ", ".join(f"“{word}”" for word in classification.keywords) or "none"
    reason = BASIS_REASONS.get(classification.basis, "{words}").format(words=words)
    return [
        Finding.of(
            NOT_INVOICE,
            "error",
            f"Not an invoice: this looks like {CLASS_NAMES[document_class]}, as {reason}. It is not booked.",
            "document_type_code",
        )
    ]
