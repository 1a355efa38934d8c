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

from app.config import LimitsSettings, OcrSettings, SandboxSettings
from app.models import Status
from app.pipeline.ocr import OcrConfig
from app.pipeline.read import TextCaps, read_sandboxed
from app.pipeline.sandbox import SandboxLimits
from app.pipeline.visibility import hidden_text_finding
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


def sandbox_limits(settings: SandboxSettings) -> SandboxLimits:
    return SandboxLimits(
        memory_mb=settings.memory_mb,
        timeout_seconds=settings.timeout_seconds,
        max_tasks_per_child=settings.max_tasks_per_child,
    )


def text_caps(limits: LimitsSettings) -> TextCaps:
    return TextCaps(max_words=limits.max_words_per_page, max_chars=limits.max_chars_per_page)


def ocr_config(settings: OcrSettings) -> OcrConfig | None:
    if not settings.enabled:
        return None
    return OcrConfig(
        tessdata=settings.tessdata,
        languages=settings.languages,
        dpi=settings.dpi,
        max_pages=settings.max_pages,
        min_chars=settings.min_chars,
    )


class ReadStep:
    """Text and words with boxes per page, read in the sandbox; a PDF without a text layer goes to a person.

    Over the sandbox's limits it raises `ProcessingTimeoutError` or `ResourceLimitError`; pages cut
    to the text caps give a `text.truncated` warning each.
    """

    name = "read"

    def __init__(
        self,
        sandbox: SandboxLimits | None = None,
        caps: TextCaps | None = None,
        ocr: OcrConfig | None = None,
    ) -> None:
        self.sandbox = sandbox or sandbox_limits(SandboxSettings())
        self.caps = caps or text_caps(LimitsSettings())
        self.ocr = ocr

    def applies(self, ctx: StepContext) -> bool:
        return ctx.media_type == "application/pdf"

    def run(self, ctx: StepContext) -> StepOutput:
        result = read_sandboxed(ctx.content, self.caps, self.sandbox, self.ocr)
        truncated = [_truncated(page.number, self.caps) for page in result.pages if page.truncated]
        if result.char_count == 0:
            missing = Finding(
                code="text.missing",
                severity="error",
                message="The PDF has no text layer (a scan?). It needs OCR or a person to read it."
                + (f" {result.ocr_problem}" if result.ocr_problem else ""),
            )
            return StepOutput(
                data=result.model_dump(mode="json"),
                findings=[missing, *truncated],
                stop_with=Status.NEEDS_REVIEW,
                stop_reason="text.missing",
            )
        hidden = hidden_text_finding(result.pages)
        findings = [*truncated, hidden] if hidden else truncated
        return StepOutput(data=result.model_dump(mode="json"), findings=findings)


def _truncated(page: int, caps: TextCaps) -> Finding:
    return Finding(
        code="text.truncated",
        severity="warning",
        message=(
            f"Page {page} has more text than an invoice page can ({caps.max_words} words, "
            f"{caps.max_chars} characters); only the beginning was read."
        ),
    )


def current_invoice(results: dict[str, dict[str, Any]]) -> Invoice | None:
    """The invoice that counts for this document so far (see `INVOICE_STEPS`)."""
    for step in INVOICE_STEPS:
        invoice = results.get(step, {}).get("invoice")
        if invoice is not None:
            return Invoice.model_validate(invoice)
    return None
