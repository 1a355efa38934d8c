"""A value the trained scorer chose shows its reasons in the field detail of the review page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.review.models import User
from schemas.invoice import FieldSource
from tests.app.review.conftest import log_in
from tests.booking_factories import create_invoice_document, make_invoice


def test_the_scorers_reasons_are_shown_beside_the_value(
    client: TestClient, session: Session, reviewer_user: User
) -> None:
    invoice = make_invoice(number="RS-4")
    reasons = ("label 'Invoice No' left of value (+1.20)", "printed 2 time(s) (+0.40)")
    invoice.fields["invoice_number"] = FieldSource(
        confidence=0.93, kind="page", source="scorer (label:Invoice No)", page=1, reasons=reasons
    )
    invoice.fields["issue_date"] = FieldSource(confidence=0.9, kind="page", source="label:Date", page=1)
    document = create_invoice_document(session, invoice=invoice)
    log_in(client, "rita")
    html = client.get(f"/review/documents/{document.id}").text
    assert html.count("Why this value") == 1
    assert "label &#39;Invoice No&#39; left of value (+1.20)" in html
    assert "printed 2 time(s) (+0.40)" in html
