"""Validation: arithmetic, VAT, statutory content, identifiers, duplicates, vendors, dates, confidence.

    ValidationAgent(backend, settings, history, vendors).validate(invoice, text, document_id)
        -> ValidationResult(findings, decision{status, reasons}, classification)

One module per check family; `ports` holds the two protocols the agent reads through.
"""

from agents.validation.agent import ValidationAgent, ValidationResult
from agents.validation.classify import Classification, DocumentClass
from agents.validation.policy import Decision
from agents.validation.ports import InvoiceHistory, KnownVendor, PriorInvoice, VendorDirectory

__all__ = [
    "Classification",
    "Decision",
    "DocumentClass",
    "InvoiceHistory",
    "KnownVendor",
    "PriorInvoice",
    "ValidationAgent",
    "ValidationResult",
    "VendorDirectory",
]
