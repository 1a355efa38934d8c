"""The validation step: every invoice is checked before anything is booked."""

from __future__ import annotations

from typing import Any

from agents.base import Backend
from agents.validation import ValidationAgent
from app.config import Settings
from app.db import get_sessionmaker
from app.history import DbInvoiceHistory
from app.pipeline.steps import StepContext, StepOutput, current_invoice
from app.vendors import DbVendorDirectory


class ValidateStep:
    """Check the invoice that counts (see `current_invoice`) and decide whether a person must look.

    Stores `{"decision": {"status", "reasons"}, "document_class", "classification"}`; earlier steps'
    findings count toward the decision.
    """

    name = "validate"

    def __init__(self, agent: ValidationAgent) -> None:
        self.agent = agent

    def applies(self, ctx: StepContext) -> bool:
        return current_invoice(ctx.results) is not None

    def run(self, ctx: StepContext) -> StepOutput:
        invoice = current_invoice(ctx.results)
        assert invoice is not None  # applies() said so
        result = self.agent.validate(
            invoice, page_text(ctx.results.get("read", {})), ctx.document_id, prior_findings=ctx.findings
        )
        return StepOutput(
            data={
                "decision": result.decision.model_dump(mode="json"),
                "document_class": result.document_class,
                "classification": result.classification.model_dump(mode="json"),
            },
            findings=result.findings,
        )


def page_text(read: dict[str, Any]) -> str:
    """The text of every page, as the read step stored it ("" for an XML upload)."""
    return "\n".join(str(page.get("text", "")) for page in read.get("pages", []))


def build_validation_agent(settings: Settings, backend: Backend | None) -> ValidationAgent:
    """The agent as the pipeline runs it: history and vendors from the configured database."""
    factory = get_sessionmaker(settings.resolved_database_url)
    history, vendors = DbInvoiceHistory(factory), DbVendorDirectory(factory)
    return ValidationAgent(backend, settings.validation, history, vendors)
