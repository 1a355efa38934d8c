"""The detail page of one document, rendered with a notice, an edit error or an action error."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from fastapi import Response

from app.documents import decisions
from app.errors import KontorError
from app.pipeline.steps.book import booking_policy
from app.review.deps import DocumentRequest
from app.review.detail import PAGE_FIELDS, document_view
from app.review.lines import TAX_KEY_CHOICES

#: What a redirect after an action tells the reviewer (a fixed set: nothing from the URL is echoed).
NOTICES = {
    "approved": "Approved.",
    "rejected": "Rejected.",
    "reprocessing": "Sent back through the pipeline.",
    "saved": "Saved; the findings have been checked again.",
    "booking": "Booking changed; the findings have been checked again.",
    "empty": "Nothing else is waiting for review.",
    "rotated": "Page turned; the document is being read again.",
}


@dataclass(frozen=True)
class EditError:
    """A value the invoice cannot hold, shown next to its form (`issue_date`, `line-2`)."""

    field: str
    value: str
    message: str
    status_code: ClassVar[int] = 400


def render_document(
    on: DocumentRequest,
    *,
    notice: str | None = None,
    selected: str | None = None,
    error: EditError | KontorError | None = None,
) -> Response:
    """The document's page; after a refused edit or action, with what went wrong, under the error's status."""
    session = on.uow.session
    view = document_view(session, on.document_id, on.settings.validation)
    policy = booking_policy(on.settings)
    if view.open_for_review:  # what approval would post now, as the fields API shows it
        view = replace(view, proposal=decisions.proposal_for(session, view.document, policy))
    return on.page(
        "document.html",
        status_code=error.status_code if error else 200,
        view=view,
        notice=NOTICES.get(notice or ""),
        selected=selected if selected in PAGE_FIELDS else None,
        edit_error=error if isinstance(error, EditError) else None,
        action_error=error.message if isinstance(error, KontorError) else None,
        chart_accounts=policy.chart.bookable,
        tax_keys=TAX_KEY_CHOICES,
    )
