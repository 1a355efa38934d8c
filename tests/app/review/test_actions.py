"""Corrections and decisions from the review page: the review API's services, audited, findings refreshed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Document, Status, StepResult
from app.review.forms import field_input
from app.review.models import User
from app.worker import Queue
from tests.app.review.conftest import log_in
from tests.app.review.factories import create_flagged_invoice

OTHER_PDF = "FX1.0.7__Facture_F20220025-LE_FOURNISSEUR-POUR-LE_CLIENT_BASIC.pdf"


@pytest.fixture
def csrf(client: TestClient, reviewer_user: User) -> str:
    return log_in(client, "rita")


def _events(session: Session, document: Document) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.document_id == document.id).order_by(AuditEvent.id)
    return list(session.scalars(query))


def test_a_correction_is_audited_and_the_findings_are_checked_again(
    client: TestClient, session: Session, csrf: str
) -> None:
    document = create_flagged_invoice(session)
    response = client.post(
        f"/review/documents/{document.id}/fields",
        data={"csrf_token": csrf, "field": "gross_total", "value": "104,90"},
        follow_redirects=False,
    )
    assert response.headers["location"] == f"/review/documents/{document.id}?notice=saved&field=gross_total"
    edit = _events(session, document)[-1]
    assert (edit.actor, edit.action) == ("user:rita", "field.edit")
    assert (edit.before, edit.after) == (
        {"field": "gross_total", "value": "104.00"},
        {"field": "gross_total", "value": "104.90"},
    )
    validate = session.scalar(
        select(StepResult).where(StepResult.document_id == document.id, StepResult.step == "validate")
    )
    assert validate is not None
    assert "arithmetic.gross_mismatch" not in [f["code"] for f in validate.findings]
    page = client.get(response.headers["location"]).text
    assert "is not the gross amount" not in page
    assert 'data-field="gross_total" x=' in page  # the box stays where the value was read
    assert "Booking proposal" in page
    assert 'data-selected="gross_total"' in page


def test_a_value_the_invoice_cannot_hold_is_refused_at_the_field(
    client: TestClient, session: Session, csrf: str
) -> None:
    document = create_flagged_invoice(session)
    response = client.post(
        f"/review/documents/{document.id}/fields",
        data={"csrf_token": csrf, "field": "issue_date", "value": "31.02.2022"},
    )
    assert response.status_code == 400
    assert 'data-editing="issue_date"' in response.text
    assert "Issue date:" in response.text
    assert 'value="31.02.2022"' in response.text
    assert [e.action for e in _events(session, document)] == ["upload"]


def test_approving_books_the_invoice_and_moves_on(client: TestClient, session: Session, csrf: str) -> None:
    flagged = create_flagged_invoice(session)
    document = create_flagged_invoice(session, name=OTHER_PDF, gross_off_by=None)
    response = client.post(
        f"/review/documents/{document.id}/approve", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.headers["location"] == f"/review/documents/{flagged.id}?notice=approved"
    session.refresh(document)
    assert document.status == Status.BOOKED
    status = _events(session, document)[-1]
    assert (status.actor, status.after and status.after["status"]) == ("user:rita", "booked")
    again = client.post(f"/review/documents/{document.id}/approve", data={"csrf_token": csrf})
    assert again.status_code == 409
    assert "only documents in review can be changed" in again.text


def test_an_invoice_that_cannot_be_posted_says_what_to_fix(
    client: TestClient, session: Session, csrf: str
) -> None:
    document = create_flagged_invoice(session)
    response = client.post(f"/review/documents/{document.id}/approve", data={"csrf_token": csrf})
    assert response.status_code == 409
    assert "the gross total is 104.00" in response.text
    assert 'id="action-error"' in response.text
    session.refresh(document)
    assert document.status == Status.NEEDS_REVIEW


def test_rejecting_needs_a_reason(client: TestClient, session: Session, csrf: str) -> None:
    document = create_flagged_invoice(session)
    refused = client.post(f"/review/documents/{document.id}/reject", data={"csrf_token": csrf, "reason": " "})
    assert refused.status_code == 400
    assert "Say why" in refused.text
    response = client.post(
        f"/review/documents/{document.id}/reject",
        data={"csrf_token": csrf, "reason": "Not our invoice"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/review?notice=rejected"
    session.refresh(document)
    assert (document.status, document.status_reason) == (Status.REJECTED, "Not our invoice")
    assert _events(session, document)[-1].actor == "user:rita"


def test_reprocessing_queues_the_document_again(
    client: TestClient, session: Session, csrf: str, memory_queue: Queue
) -> None:
    document = create_flagged_invoice(session)
    response = client.post(
        f"/review/documents/{document.id}/reprocess", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.headers["location"] == "/review?notice=reprocessing"
    session.refresh(document)
    assert document.status == Status.PROCESSING
    assert memory_queue.huey.pending_count() == 1
    assert (
        client.post(f"/review/documents/{document.id}/reprocess", data={"csrf_token": csrf}).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("gross_total", "104,90", "104.90"),
        ("gross_total", "1.234,50 €", "1234.50"),
        ("gross_total", "1,234.50", "1234.50"),
        ("gross_total", "1.234.567", "1234567"),
        ("issue_date", "31.01.2022", "2022-01-31"),
        ("issue_date", "2022-01-31", "2022-01-31"),
        ("invoice_number", "  F-1 ", "F-1"),
        ("iban", "", None),
    ],
)
def test_what_a_reviewer_types_is_read_as_they_mean_it(field: str, typed: str, stored: str | None) -> None:
    assert field_input(field, typed) == stored
