"""The steps' results as the database keeps them (`StepResult.data`, one JSON object per step).

The review pages, the history and the exports read these rows long after the run; this module says
which stored invoice counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.pipeline.state import PipelineState, StepName
from schemas.document import ReadResult
from schemas.invoice import Invoice

#: Whose invoice counts, best first: a person's corrections, the e-invoice XML, the page.
INVOICE_STEPS: tuple[str, ...] = (StepName.REVIEW.value, StepName.EINVOICE.value, StepName.EXTRACT.value)


def current_invoice(results: Mapping[str, Mapping[str, Any]]) -> Invoice | None:
    """The invoice that counts for a document, from its stored results (see `INVOICE_STEPS`)."""
    for step in INVOICE_STEPS:
        invoice = results.get(step, {}).get("invoice")
        if invoice is not None:
            return Invoice.model_validate(invoice)
    return None


def stored_state(document_id: int, results: Mapping[str, Mapping[str, Any]]) -> PipelineState:
    """A run state rebuilt from stored results, for the rules that run again after a review edit: the
    stored invoice that counts stands as the reviewed one, the page text as read."""
    read = results.get(StepName.READ)
    return PipelineState(
        document_id=document_id,
        filename="",
        media_type="",
        content=b"",
        read=ReadResult.model_validate(read) if read else None,
        reviewed_invoice=current_invoice(results),
    )
