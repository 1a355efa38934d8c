"""The one place that sets a run's final status, from the typed verdicts the steps left in the state."""

from __future__ import annotations

from app.models import Status
from app.pipeline.state import PipelineState, Verdict


def decide(state: PipelineState) -> Verdict:
    """Anything flagged, or nothing able to book it, goes to a person.

    In order: a step that stopped the run; the booking step's verdict (it runs only on an invoice the
    validation found ready, so it has the last word); the first error of any step; the first warning
    the validation policy sends to review; else a person approves it (nothing books without the
    booking step).
    """
    if state.stop is not None:
        return state.stop.status, state.stop.reason
    if state.booking is not None:
        verdict = state.booking.decision
        return Status(verdict.status), verdict.reason
    errors = [f for f in state.findings if f.severity == "error"]
    if errors:
        return Status.NEEDS_REVIEW, errors[0].code
    reasons = state.validation.decision.reasons if state.validation is not None else []
    if reasons:
        return Status.NEEDS_REVIEW, reasons[0]
    return Status.NEEDS_REVIEW, "booking.manual"
