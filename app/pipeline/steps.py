"""The `Step` protocol and the steps of the pipeline.

A step SHALL be a pure function of the document and the results of the steps before it: it may
run many times for one document (retries, reprocessing), and its output replaces its last one.
A step SHALL NOT write to the database (the orchestrator stores what it returns); it may read
through the ports it was constructed with (vendor directory, invoice history).

Steps that produce an invoice store it as `data["invoice"]` (`Invoice.model_dump(mode="json")`);
`current_invoice()` picks the one that counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, Field

from app.models import Status
from app.pipeline.read import read_pdf
from schemas.finding import Finding
from schemas.invoice import Invoice

#: Whose invoice counts, best first: a person's corrections, the e-invoice XML, the page.
INVOICE_STEPS = ("review", "einvoice", "extract")


@dataclass
class StepContext:
    """What a step sees: the immutable original and what earlier steps made of it."""

    document_id: int
    filename: str
    media_type: str
    content: bytes
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: Work a step may share with later steps of the same run (not stored).
    cache: dict[str, Any] = field(default_factory=dict)


class StepOutput(BaseModel):
    data: dict[str, Any] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    #: Ends the pipeline after this step with this status (e.g. a scan without text → review).
    stop_with: Status | None = None
    stop_reason: str | None = None
    #: Questions put to the model for this output (metrics); None when the step asks none.
    model_questions: int | None = None


class Step(Protocol):
    name: str

    def applies(self, ctx: StepContext) -> bool:
        """Whether this step has anything to do for this document."""
        ...

    def run(self, ctx: StepContext) -> StepOutput:
        """Do the work; raise a `KontorError` with a clear message for a document it cannot handle."""
        ...


class ReadStep:
    """Text and words with boxes per page; a PDF without a text layer goes to a person."""

    name = "read"

    def applies(self, ctx: StepContext) -> bool:
        return ctx.media_type == "application/pdf"

    def run(self, ctx: StepContext) -> StepOutput:
        result = read_pdf(ctx.content)
        if result.char_count == 0:
            missing = Finding(
                code="text.missing",
                severity="error",
                message="The PDF has no text layer (a scan?). It needs OCR or a person to read it.",
            )
            return StepOutput(
                data=result.model_dump(mode="json"),
                findings=[missing],
                stop_with=Status.NEEDS_REVIEW,
                stop_reason="text.missing",
            )
        return StepOutput(data=result.model_dump(mode="json"))


def current_invoice(results: dict[str, dict[str, Any]]) -> Invoice | None:
    """The invoice that counts for this document so far (see `INVOICE_STEPS`)."""
    for step in INVOICE_STEPS:
        invoice = results.get(step, {}).get("invoice")
        if invoice is not None:
            return Invoice.model_validate(invoice)
    return None
