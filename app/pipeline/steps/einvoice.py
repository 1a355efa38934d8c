"""Step 2, `einvoice`: an XML upload or the XML embedded in a hybrid PDF, read exactly (EN 16931)."""

from __future__ import annotations

from agents.einvoice import read_einvoice
from agents.errors import EInvoiceError
from app.pipeline.state import EInvoiceOutput, PipelineState, StepName, StepOutput
from schemas.finding import Finding, FindingCode


class EInvoiceStep:
    """The XML prevails over the page; a hybrid's page is still extracted, to cross-check it."""

    name = StepName.EINVOICE

    def applies(self, state: PipelineState) -> bool:
        return state.media_type == "application/xml" or state.embedded_xml() is not None

    def run(self, state: PipelineState) -> StepOutput:
        if state.media_type == "application/xml":
            result = read_einvoice(state.content)  # a broken XML upload fails the document with the reason
            attachment = None
        else:
            embedded = state.embedded_xml()
            assert embedded is not None  # applies() said so
            attachment, xml = embedded
            try:
                result = read_einvoice(xml)
            except EInvoiceError as exc:
                # The page can still be read; a broken attachment is a reason to look, not to fail.
                return StepOutput(findings=[_broken_attachment(attachment, exc)])
        output = EInvoiceOutput(
            invoice=result.invoice, syntax=result.syntax, profile=result.profile, attachment=attachment
        )
        return StepOutput(data=output, findings=result.findings)


def _broken_attachment(name: str, exc: EInvoiceError) -> Finding:
    return Finding.of(
        FindingCode.EINVOICE_UNREADABLE,
        "error",
        f"The PDF carries an e-invoice attachment ({name}) that cannot be read: {exc.message}",
    )
