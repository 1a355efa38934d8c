"""In-memory history and vendor directory: for unit tests and for `kontor check` without a database."""

from __future__ import annotations

from agents.validation.ports import KnownVendor, PriorInvoice
from agents.validation.vendors import match_vendor
from schemas.invoice import Invoice


class MemoryHistory:
    def __init__(self, priors: list[PriorInvoice] | None = None) -> None:
        self.priors = list(priors or [])

    def add(self, document_id: int, invoice: Invoice) -> None:
        self.priors.append(PriorInvoice(document_id=document_id, invoice=invoice))

    def same_seller(self, invoice: Invoice, *, exclude_document_id: int | None) -> list[PriorInvoice]:
        return [p for p in self.priors if p.document_id != exclude_document_id]


class MemoryVendors:
    def __init__(self, vendors: list[KnownVendor] | None = None) -> None:
        self.vendors = list(vendors or [])

    def find(self, invoice: Invoice) -> KnownVendor | None:
        return match_vendor(invoice, self.vendors)
