"""What validation reads from the outside world: earlier invoices and the vendor directory.

Both are small protocols so the agent can be tested without a database (`agents.validation.memory`)
and run against one in the app (`app.documents.history`, `app.vendors.directory`).
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field

from schemas.invoice import Invoice


class PriorInvoice(BaseModel):
    """An earlier document's invoice, as the pipeline or a reviewer left it."""

    document_id: int
    invoice: Invoice
    status: str | None = None


class KnownVendor(BaseModel):
    """A vendor on file, built from approved invoices only."""

    id: int | None = None
    name: str
    vat_id: str | None = None
    tax_number: str | None = None
    ibans: list[str] = Field(default_factory=list)


class InvoiceHistory(Protocol):
    def same_seller(self, invoice: Invoice, *, exclude_document_id: int | None) -> list[PriorInvoice]:
        """Earlier, not rejected documents that may come from `invoice`'s seller.

        A superset is fine: the duplicate check narrows it down with `same_seller()`.
        """
        ...


class VendorDirectory(Protocol):
    def find(self, invoice: Invoice) -> KnownVendor | None:
        """The vendor on file for `invoice`'s seller, if any."""
        ...
