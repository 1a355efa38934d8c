"""The run state of the pipeline: what each step made of one document, typed.

Every step reads the `PipelineState` and returns a `StepOutput`; `PipelineState.record` files the
output under its step. The output models below are also what the database keeps per step
(`StepResult.data`, their JSON), so their field names are a stored format: add fields with defaults,
never rename one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from agents.einvoice import find_xml_in_pdf
from agents.einvoice.read import Syntax
from agents.validation import Decision
from agents.validation.class_words import DocumentClass
from agents.validation.classify import Classification
from app.models import Status
from schemas.booking import BookingProposal, BookingVerdict
from schemas.document import ReadResult
from schemas.finding import Finding
from schemas.invoice import Invoice


class StepName(enum.StrEnum):
    """The steps, in the order they run (`app.pipeline.steps.build_steps`), and the reviewer's result."""

    READ = "read"
    EINVOICE = "einvoice"
    EXTRACT = "extract"
    CROSSCHECK = "crosscheck"
    OCR = "ocr"
    VALIDATE = "validate"
    BOOK = "book"
    #: Not a step: a person's corrections, stored beside the steps' results.
    REVIEW = "review"


class EInvoiceOutput(BaseModel):
    """The invoice read exactly from e-invoice XML (an upload or a hybrid's attachment)."""

    invoice: Invoice
    syntax: Syntax
    profile: str | None
    #: The attachment's name inside a hybrid PDF; None for an XML upload.
    attachment: str | None


class ExtractOutput(BaseModel):
    """The invoice as the page shows it."""

    invoice: Invoice


class CrossCheckOutput(BaseModel):
    #: Fields where a hybrid's page disagrees with its XML.
    mismatches: int


class OcrOutput(BaseModel):
    """Pages read by OCR, their mean word confidence, and the approvals of the vendor so far."""

    pages: list[int]
    mean_confidence: float | None
    #: Approved invoices of the seller here; None for an e-invoice (its values need no such care).
    vendor_approved: int | None


class ValidationOutput(BaseModel):
    decision: Decision
    document_class: DocumentClass
    classification: Classification


class BookOutput(BaseModel):
    proposal: BookingProposal
    decision: BookingVerdict


@dataclass(frozen=True)
class Stop:
    """Ends the run after the step that returned it, with this status and reason."""

    status: Status
    reason: str | None


@dataclass
class StepOutput:
    #: What the step found (stored as the step's result); None stores `{}`.
    data: BaseModel | None = None
    findings: list[Finding] = field(default_factory=list)
    #: Ends the pipeline after this step with this status (e.g. a scan without text → review).
    stop_with: Status | None = None
    stop_reason: str | None = None
    #: Questions put to the model for this output (metrics); None when the step asks none.
    model_questions: int | None = None

    def stored(self) -> dict[str, Any]:
        """The step's result as the database keeps it."""
        return self.data.model_dump(mode="json") if self.data is not None else {}


_UNSET: Any = object()


@dataclass
class PipelineState:
    """One document and what the steps made of it so far; lives for one run, in memory."""

    document_id: int | None
    filename: str
    media_type: str
    content: bytes
    read: ReadResult | None = None
    einvoice: EInvoiceOutput | None = None
    page_invoice: Invoice | None = None
    #: A person's corrected invoice (only when the rules run again after a review edit).
    reviewed_invoice: Invoice | None = None
    crosscheck: CrossCheckOutput | None = None
    validation: ValidationOutput | None = None
    booking: BookOutput | None = None
    findings: list[Finding] = field(default_factory=list)
    #: Questions the model answered in this run.
    model_questions: int = 0
    stop: Stop | None = None
    _embedded: Any = field(default=_UNSET, init=False, repr=False)

    @property
    def invoice(self) -> Invoice | None:
        """The invoice that counts, best first: a person's corrections, the e-invoice XML, the page."""
        if self.reviewed_invoice is not None:
            return self.reviewed_invoice
        if self.einvoice is not None:
            return self.einvoice.invoice
        return self.page_invoice

    @property
    def page_text(self) -> str:
        """The text of every page ("" for an XML upload)."""
        return page_text(self.read)

    def embedded_xml(self) -> tuple[str, bytes] | None:
        """A PDF's e-invoice attachment (name, XML), looked for once per run."""
        if self.media_type != "application/pdf":
            return None
        if self._embedded is _UNSET:
            self._embedded = find_xml_in_pdf(self.content)
        found: tuple[str, bytes] | None = self._embedded
        return found

    def record(self, output: StepOutput) -> None:
        """File a step's output in the state; its findings count for every later step."""
        data = output.data
        if isinstance(data, ReadResult):
            self.read = data
        elif isinstance(data, EInvoiceOutput):
            self.einvoice = data
        elif isinstance(data, ExtractOutput):
            self.page_invoice = data.invoice
        elif isinstance(data, CrossCheckOutput):
            self.crosscheck = data
        elif isinstance(data, ValidationOutput):
            self.validation = data
        elif isinstance(data, BookOutput):
            self.booking = data
        self.findings.extend(output.findings)
        self.model_questions += output.model_questions or 0
        if output.stop_with is not None:
            self.stop = Stop(output.stop_with, output.stop_reason)


def page_text(read: ReadResult | None) -> str:
    """The text of every page of a read result ("" for none)."""
    return "\n".join(page.text for page in read.pages) if read is not None else ""


class Step(Protocol):
    """One step of the pipeline.

    A step SHALL be a pure function of the document and the results of the steps before it: it may
    run many times for one document (retries, reprocessing), and its output replaces its last one.
    A step SHALL NOT write to the database (the orchestrator stores what it returns); it may read
    through the ports it was constructed with (vendor directory, invoice history).
    """

    @property
    def name(self) -> str:
        """The key of the step's stored result (a `StepName` for the pipeline's own steps)."""
        ...

    def applies(self, state: PipelineState) -> bool:
        """Whether this step has anything to do for this document."""
        ...

    def run(self, state: PipelineState) -> StepOutput:
        """Do the work; raise a `KontorError` with a clear message for a document it cannot handle."""
        ...


#: How a run decides, as a status and the reason a person reads.
Verdict = tuple[Status, str | None]
