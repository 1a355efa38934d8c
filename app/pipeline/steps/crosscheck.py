"""Step 4, `crosscheck`: a hybrid whose page disagrees with its XML is a classic sign of tampering."""

from __future__ import annotations

from agents.einvoice import compare_with_page
from app.pipeline.state import CrossCheckOutput, PipelineState, StepName, StepOutput


class CrossCheckStep:
    name = StepName.CROSSCHECK

    def applies(self, state: PipelineState) -> bool:
        return state.einvoice is not None and state.page_invoice is not None

    def run(self, state: PipelineState) -> StepOutput:
        xml, page = state.einvoice, state.page_invoice
        assert xml is not None  # applies() said so
        assert page is not None
        findings = compare_with_page(xml.invoice, page)
        return StepOutput(data=CrossCheckOutput(mismatches=len(findings)), findings=findings)
