"""The one decision: a stop, the booking verdict, an error, a review warning, else a person approves."""

from __future__ import annotations

from agents.validation import Decision
from agents.validation.classify import Classification
from app.models import Status
from app.pipeline.decide import decide
from app.pipeline.state import (
    BookOutput,
    EInvoiceOutput,
    ExtractOutput,
    PipelineState,
    StepOutput,
    ValidationOutput,
)
from schemas.booking import BookingProposal, BookingVerdict, VendorRef
from schemas.finding import Finding
from tests.agents.validation.crafted import craft

WARNING = Finding(code="vat.rate_unusual", severity="warning", message="an unusual rate")
ERROR = Finding(code="arithmetic.gross_mismatch", severity="error", message="does not add up")


def _state() -> PipelineState:
    return PipelineState(document_id=None, filename="x.xml", media_type="application/xml", content=b"")


def _validated(status: str, reasons: list[str]) -> ValidationOutput:
    classification = Classification(document_class="invoice", basis="type_code", probability=1.0)
    return ValidationOutput(
        decision=Decision.model_validate({"status": status, "reasons": reasons}),
        document_class="invoice",
        classification=classification,
    )


def _booked(status: str, reason: str) -> BookOutput:
    proposal = BookingProposal(chart="skr03", vendor=VendorRef(name="Lieferant GmbH"), payable_account="1600")
    return BookOutput(
        proposal=proposal, decision=BookingVerdict.model_validate({"status": status, "reason": reason})
    )


def test_a_stop_decides_before_anything_else() -> None:
    state = _state()
    state.record(StepOutput(findings=[ERROR], stop_with=Status.NEEDS_REVIEW, stop_reason="text.missing"))
    state.record(StepOutput(data=_booked("booked", "booking.auto")))
    assert decide(state) == (Status.NEEDS_REVIEW, "text.missing")


def test_the_booking_verdict_has_the_last_word() -> None:
    state = _state()
    state.record(StepOutput(data=_validated("ready", [])))
    state.record(StepOutput(data=_booked("booked", "booking.auto")))
    assert decide(state) == (Status.BOOKED, "booking.auto")


def test_without_a_booking_the_first_error_then_the_policy_decides() -> None:
    state = _state()
    state.record(StepOutput(data=_validated("needs_review", ["vat.rate_unusual"]), findings=[WARNING]))
    assert decide(state) == (Status.NEEDS_REVIEW, "vat.rate_unusual")
    state.record(StepOutput(findings=[ERROR]))
    assert decide(state) == (Status.NEEDS_REVIEW, "arithmetic.gross_mismatch")


def test_nothing_books_without_the_booking_step() -> None:
    state = _state()
    state.record(StepOutput(data=_validated("ready", [])))
    assert decide(state) == (Status.NEEDS_REVIEW, "booking.manual")


def test_the_invoice_that_counts_is_the_reviewed_then_the_xml_then_the_page() -> None:
    state = _state()
    page, xml, reviewed = craft(), craft(), craft()
    assert state.invoice is None
    state.record(StepOutput(data=ExtractOutput(invoice=page)))
    assert state.invoice is page
    state.record(StepOutput(data=EInvoiceOutput(invoice=xml, syntax="CII", profile=None, attachment="x.xml")))
    assert state.invoice is xml
    state.reviewed_invoice = reviewed
    assert state.invoice is reviewed
