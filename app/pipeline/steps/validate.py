"""Step 5, `validate`: every invoice is checked before anything is booked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from agents.base import Backend
from agents.validation import ValidationAgent
from agents.validation.settings import ValidationSettings
from app.documents.history import DbInvoiceHistory
from app.pipeline.state import PipelineState, StepName, StepOutput, ValidationOutput
from app.vendors.directory import DbVendorDirectory


@dataclass(frozen=True)
class ValidateStep:
    """Check the invoice that counts (`PipelineState.invoice`) and decide whether a person must look.

    Earlier steps' findings count toward the decision.
    """

    name = StepName.VALIDATE

    agent: ValidationAgent

    def applies(self, state: PipelineState) -> bool:
        return state.invoice is not None

    def run(self, state: PipelineState) -> StepOutput:
        invoice = state.invoice
        assert invoice is not None  # applies() said so
        result = self.agent.validate(
            invoice, state.page_text, state.document_id, prior_findings=state.findings
        )
        output = ValidationOutput(
            decision=result.decision,
            document_class=result.document_class,
            classification=result.classification,
        )
        return StepOutput(data=output, findings=result.findings)


def build_validation_agent(
    settings: ValidationSettings, backend: Backend | None, factory: sessionmaker[Session] | None
) -> ValidationAgent:
    """The agent as the pipeline runs it: history and vendors from the database when there is one."""
    if factory is None:
        return ValidationAgent(backend, settings, None, None)
    return ValidationAgent(backend, settings, DbInvoiceHistory(factory), DbVendorDirectory(factory))
