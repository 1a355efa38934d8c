"""Step 5, `ocr`: a document read by OCR says so, and waits for a person until its vendor is proven.

OCR misreads what a person would not: an IBAN digit, a total. Once a vendor's invoices have been
approved here a few times, its VAT ID and bank details are on file and validation compares against
them; before that, an OCR'd invoice goes to a person (`ocr.new_vendor`, a review warning) until the
vendor has `trusted_after` approved invoices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.pipeline.state import OcrOutput, PipelineState, StepName, StepOutput
from schemas.document import Page
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice


class ApprovedCount(Protocol):
    def __call__(self, invoice: Invoice, /) -> int:
        """How many invoices of this invoice's seller a person has approved here."""
        ...


@dataclass(frozen=True)
class OcrTrustStep:
    """`ocr.used` (info) for a document with OCR'd pages; `ocr.new_vendor` (warning) while its vendor
    has fewer than `trusted_after` approved invoices. Values from an e-invoice XML need no such care.
    Without a vendor directory (the command line) only `ocr.used` is said."""

    name = StepName.OCR

    trusted_after: int
    approved: ApprovedCount | None

    def applies(self, state: PipelineState) -> bool:
        return bool(ocr_pages(state))

    def run(self, state: PipelineState) -> StepOutput:
        pages = ocr_pages(state)
        confidences = [p.ocr.confidence for p in pages if p.ocr is not None and p.ocr.confidence is not None]
        mean = sum(confidences) / len(confidences) if confidences else None
        findings = [_used(pages, mean)]
        invoice = state.invoice
        count = None
        if invoice is not None and state.einvoice is None and self.approved is not None:
            count = self.approved(invoice)
            if count < self.trusted_after:
                findings.append(_new_vendor(invoice, count, self.trusted_after))
        output = OcrOutput(pages=[p.number for p in pages], mean_confidence=mean, vendor_approved=count)
        return StepOutput(data=output, findings=findings)


def ocr_pages(state: PipelineState) -> list[Page]:
    return [page for page in state.read.pages if page.ocr is not None] if state.read is not None else []


def _used(pages: list[Page], mean: float | None) -> Finding:
    numbers = ", ".join(str(p.number) for p in pages)
    label = "Page" if len(pages) == 1 else "Pages"
    quality = f" (mean word confidence {mean:.0f} of 100)" if mean is not None else ""
    return Finding.of(
        FindingCode.OCR_USED,
        "info",
        f"{label} {numbers} had no text layer and were read by OCR{quality}; "
        "values with low confidence are marked.",
    )


def _new_vendor(invoice: Invoice, count: int, trusted_after: int) -> Finding:
    seller = invoice.seller_name or invoice.seller_vat_id or "this seller"
    return Finding.of(
        FindingCode.OCR_NEW_VENDOR,
        "warning",
        f"Read by OCR, and {count} invoice(s) of {seller} have been approved here so far: OCR'd "
        f"invoices of a vendor are checked by a person until {trusted_after} were approved.",
        "seller_name",
    )
