"""The `ocr` step: a document read by OCR says so, and waits for a person until its vendor is proven.

OCR misreads what a person would not: an IBAN digit, a total. Once a vendor's invoices have been
approved here a few times, its VAT ID and bank details are on file and validation compares against
them; before that, an OCR'd invoice goes to a person (`ocr.new_vendor`, a review warning) until the
vendor has `trusted_after` approved invoices.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from app.pipeline.steps import StepContext, StepOutput, current_invoice
from app.vendors import approved_invoice_count
from schemas.finding import Finding
from schemas.invoice import Invoice

NAME = "ocr"


class ApprovedCount(Protocol):
    def __call__(self, invoice: Invoice) -> int:
        """How many invoices of this invoice's seller a person has approved here."""
        ...


class DbApprovedCount:
    """`ApprovedCount` from the vendor directory (`vendors.invoice_count`, approvals only)."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def __call__(self, invoice: Invoice) -> int:
        with self.factory() as session:
            return approved_invoice_count(session, invoice)


def ocr_pages(read: dict[str, Any]) -> list[dict[str, Any]]:
    return [page for page in read.get("pages", []) if page.get("ocr")]


class OcrTrustStep:
    """`ocr.used` (info) for a document with OCR'd pages; `ocr.new_vendor` (warning) while its vendor
    has fewer than `trusted_after` approved invoices. Values from an e-invoice XML need no such care."""

    name = NAME

    def __init__(self, trusted_after: int, approved: ApprovedCount) -> None:
        self.trusted_after = trusted_after
        self.approved = approved

    def applies(self, ctx: StepContext) -> bool:
        return bool(ocr_pages(ctx.results.get("read", {})))

    def run(self, ctx: StepContext) -> StepOutput:
        pages = ocr_pages(ctx.results["read"])
        confidences = [p["ocr"]["confidence"] for p in pages if p["ocr"].get("confidence") is not None]
        mean = sum(confidences) / len(confidences) if confidences else None
        findings = [_used(pages, mean)]
        invoice = current_invoice(ctx.results)
        count = None
        if invoice is not None and "invoice" not in ctx.results.get("einvoice", {}):
            count = self.approved(invoice)
            if count < self.trusted_after:
                findings.append(_new_vendor(invoice, count, self.trusted_after))
        data = {"pages": [p["number"] for p in pages], "mean_confidence": mean, "vendor_approved": count}
        return StepOutput(data=data, findings=findings)


def _used(pages: list[dict[str, Any]], mean: float | None) -> Finding:
    numbers = ", ".join(str(p["number"]) for p in pages)
    label = "Page" if len(pages) == 1 else "Pages"
    quality = f" (mean word confidence {mean:.0f} of 100)" if mean is not None else ""
    return Finding(
        code="ocr.used",
        severity="info",
        message=f"{label} {numbers} had no text layer and were read by OCR{quality}; "
        "values with low confidence are marked.",
    )


def _new_vendor(invoice: Invoice, count: int, trusted_after: int) -> Finding:
    seller = invoice.seller_name or invoice.seller_vat_id or "this seller"
    return Finding(
        code="ocr.new_vendor",
        severity="warning",
        message=f"Read by OCR, and {count} invoice(s) of {seller} have been approved here so far: OCR'd "
        f"invoices of a vendor are checked by a person until {trusted_after} were approved.",
        fields=["seller_name"],
    )
