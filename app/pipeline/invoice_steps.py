"""The steps that make an invoice: the e-invoice XML reader, the visual extraction, their cross-check."""

from __future__ import annotations

from agents.base import Backend
from agents.einvoice import compare_with_page, find_xml_in_pdf, read_einvoice
from app.errors import EInvoiceError
from app.pipeline.steps import StepContext, StepOutput
from app.scans.confidence import with_ocr_confidence
from schemas.document import ReadResult
from schemas.finding import Finding
from schemas.invoice import Invoice


class EInvoiceStep:
    """An XML upload or the XML embedded in a hybrid PDF, read exactly; the XML prevails (EN 16931)."""

    name = "einvoice"

    def applies(self, ctx: StepContext) -> bool:
        return ctx.media_type == "application/xml" or _embedded(ctx) is not None

    def run(self, ctx: StepContext) -> StepOutput:
        if ctx.media_type == "application/xml":
            result = read_einvoice(ctx.content)  # a broken XML upload fails the document with the reason
            attachment = None
        else:
            embedded = _embedded(ctx)
            assert embedded is not None
            attachment, xml = embedded
            try:
                result = read_einvoice(xml)
            except EInvoiceError as exc:
                # The page can still be read; a broken attachment is a reason to look, not to fail.
                return StepOutput(findings=[_broken_attachment(attachment, exc)])
        return StepOutput(
            data={
                "invoice": result.invoice.model_dump(mode="json"),
                "syntax": result.syntax,
                "profile": result.profile,
                "attachment": attachment,
            },
            findings=result.findings,
        )


def _embedded(ctx: StepContext) -> tuple[str, bytes] | None:
    if ctx.media_type != "application/pdf":
        return None
    if "_embedded" not in ctx.cache:
        ctx.cache["_embedded"] = find_xml_in_pdf(ctx.content)
    found: tuple[str, bytes] | None = ctx.cache["_embedded"]
    return found


def _broken_attachment(name: str, exc: EInvoiceError) -> Finding:
    return Finding(
        code="einvoice.unreadable",
        severity="error",
        message=f"The PDF carries an e-invoice attachment ({name}) that cannot be read: {exc.message}",
    )


class ExtractStep:
    """The invoice as the page shows it, by the extraction agent (also for hybrids, to cross-check)."""

    name = "extract"

    def __init__(self, backend: Backend, *, company: tuple[str | None, str | None] = (None, None)) -> None:
        self.backend = backend
        #: (name, VAT ID) of our company: the party that matches it is the buyer.
        self.company = company

    def applies(self, ctx: StepContext) -> bool:
        return "read" in ctx.results

    def run(self, ctx: StepContext) -> StepOutput:
        from agents.extraction.agent import ExtractionAgent, Us

        read = ReadResult.model_validate(ctx.results["read"])
        result = ExtractionAgent(self.backend, us=Us(*self.company)).extract(read)
        # A value read by OCR is no surer than its weakest word (`app.scans.confidence`).
        invoice = with_ocr_confidence(result.invoice, ctx.results["read"])
        return StepOutput(
            data={"invoice": invoice.model_dump(mode="json")},
            findings=result.findings,
            model_questions=result.questions,
        )


class CrossCheckStep:
    """A hybrid whose page disagrees with its XML is a classic sign of tampering: flag it."""

    name = "crosscheck"

    def applies(self, ctx: StepContext) -> bool:
        return "invoice" in ctx.results.get("einvoice", {}) and "invoice" in ctx.results.get("extract", {})

    def run(self, ctx: StepContext) -> StepOutput:
        xml = Invoice.model_validate(ctx.results["einvoice"]["invoice"])
        page = Invoice.model_validate(ctx.results["extract"]["invoice"])
        findings = compare_with_page(xml, page)
        return StepOutput(data={"mismatches": len(findings)}, findings=findings)
