"""What keeps a wrong invoice from slipping through: fresh findings after a correction, approval over open
errors only with a reason, the four-eyes rule across page and API key, plain messages for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import AuditEvent, Document, Role, Status, StepResult
from app.review.models import User, UserRole
from schemas.finding import Finding
from schemas.invoice import FieldSource
from tests.app.review.conftest import log_in
from tests.app.review.factories import (
    RIGHT_GROSS,
    create_flagged_invoice,
    create_user,
    page_amount,
    stored_extraction_findings,
)
from tests.booking_factories import create_invoice_document, make_invoice
from tests.factories import create_api_key

OPEN_ERROR = Finding(code="duplicate.same_number", severity="error", message="Seen before.", fields=[])


@pytest.fixture
def csrf(client: TestClient, reviewer_user: User) -> str:
    return log_in(client, "rita")


@pytest.fixture
def four_eyes(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings.review, "four_eyes", True)


def _with_extraction_findings(session: Session, document: Document) -> Document:
    stored_extraction_findings(document)
    session.flush()
    return document


def _codes(body: dict[str, Any]) -> set[str]:
    return {f["code"] for f in body["findings"]}


def _status(session: Session, document: Document) -> Status:
    session.refresh(document)
    return document.status


def _events(session: Session, document: Document, action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.document_id == document.id, AuditEvent.action == action)
    return list(session.scalars(query))


def test_fixing_the_totals_clears_the_extractions_stale_warning_on_page_and_api(
    client: TestClient, session: Session, csrf: str, reviewer: dict[str, str]
) -> None:
    document = _with_extraction_findings(session, create_flagged_invoice(session))
    before = client.get(f"/v1/documents/{document.id}/fields", headers=reviewer).json()
    # The warning an earlier extraction stored still shows beside validation's error.
    gross = [f for f in before["findings"] if f["code"] == "arithmetic.gross_mismatch"]
    assert sorted(f["severity"] for f in gross) == ["error", "warning"]
    stale = next(f for f in gross if f["severity"] == "warning")
    form = {"csrf_token": csrf, "field": "gross_total", "value": page_amount(RIGHT_GROSS)}
    saved = client.post(f"/review/documents/{document.id}/fields", data=form)
    assert saved.status_code == 200
    assert stale["message"] not in saved.text
    after = client.get(f"/v1/documents/{document.id}/fields", headers=reviewer).json()
    assert "arithmetic.gross_mismatch" not in _codes(after)


def test_a_correction_that_is_still_wrong_keeps_the_warning_with_the_new_values(
    client: TestClient, session: Session, reviewer: dict[str, str]
) -> None:
    document = _with_extraction_findings(session, create_flagged_invoice(session))
    wrong = str(RIGHT_GROSS + 5)
    body = {"fields": {"gross_total": wrong}}
    after = client.patch(f"/v1/documents/{document.id}/fields", json=body, headers=reviewer).json()
    messages = [f["message"] for f in after["findings"] if f["code"] == "arithmetic.gross_mismatch"]
    assert messages, after["findings"]
    assert all(wrong in m for m in messages)


def test_a_page_reading_finding_goes_once_the_person_has_set_that_field(
    client: TestClient, session: Session, reviewer: dict[str, str]
) -> None:
    document = in_review(session)
    mismatch = Finding(
        code="einvoice.page_mismatch", severity="warning", message="Page and XML differ.", fields=["iban"]
    )
    _add_findings(session, document, "cross_check", [mismatch])
    assert "einvoice.page_mismatch" in _codes(
        client.get(f"/v1/documents/{document.id}/fields", headers=reviewer).json()
    )
    body = {"fields": {"payment_terms": "30 days"}}
    untouched = client.patch(f"/v1/documents/{document.id}/fields", json=body, headers=reviewer).json()
    assert "einvoice.page_mismatch" in _codes(untouched)
    body = {"fields": {"iban": "DE89370400440532013000"}}
    set_by_person = client.patch(f"/v1/documents/{document.id}/fields", json=body, headers=reviewer).json()
    assert "einvoice.page_mismatch" not in _codes(set_by_person)


def in_review(session: Session, *, errors: list[Finding] | None = None) -> Document:
    invoice = make_invoice(lines=(("Kopierpapier A4", "100.00", "19", "S"),))
    invoice.fields["invoice_number"] = FieldSource(confidence=0.97, kind="xml", source="/rsm:ID")
    document = create_invoice_document(session, invoice=invoice)
    if errors:
        _add_findings(session, document, "validate", errors)
    return document


def _add_findings(session: Session, document: Document, step: str, findings: list[Finding]) -> None:
    dumped = [f.model_dump(mode="json") for f in findings]
    session.add(StepResult(document_id=document.id, step=step, data={}, findings=dumped))
    session.flush()
    session.expire(document, ["results"])


def test_approving_over_an_open_error_needs_confirmation_and_a_reason_via_api(
    client: TestClient, session: Session, reviewer: dict[str, str]
) -> None:
    document = in_review(session, errors=[OPEN_ERROR])
    url = f"/v1/documents/{document.id}/approve"
    plain = client.post(url, headers=reviewer)
    assert plain.status_code == 409
    assert plain.json()["error"] == "confirmation_required"
    assert "duplicate.same_number" in plain.json()["detail"]
    unexplained = client.post(url, json={"force": True, "reason": "  "}, headers=reviewer)
    assert unexplained.status_code == 409
    accepted = client.post(url, json={"force": True, "reason": "Credit note of the first"}, headers=reviewer)
    assert accepted.status_code == 200, accepted.text
    (override,) = _events(session, document, "approve.override")
    assert override.after is not None
    assert override.after["reason"] == "Credit note of the first"
    assert override.after["errors"] == ["duplicate.same_number"]


def test_approving_over_an_open_error_on_the_page_asks_and_records_the_reason(
    client: TestClient, session: Session, csrf: str
) -> None:
    document = in_review(session, errors=[OPEN_ERROR])
    page = client.get(f"/review/documents/{document.id}")
    assert 'id="approve-force"' in page.text
    url = f"/review/documents/{document.id}/approve"
    refused = client.post(url, data={"csrf_token": csrf, "force": "true"})
    assert refused.status_code == 409
    assert "explicit confirmation and a reason" in refused.text
    assert _status(session, document) == Status.NEEDS_REVIEW
    form = {"csrf_token": csrf, "force": "true", "reason": "Checked by phone"}
    assert client.post(url, data=form, follow_redirects=False).status_code == 303
    assert _status(session, document) == Status.BOOKED
    (override,) = _events(session, document, "approve.override")
    assert (override.actor, override.after and override.after["reason"]) == ("user:rita", "Checked by phone")
    assert "Checked by phone" in client.get(f"/review/documents/{document.id}").text


def test_four_eyes_a_person_who_changed_the_iban_by_key_cannot_approve_on_the_page(
    client: TestClient, session: Session, csrf: str, reviewer_user: User, four_eyes: None
) -> None:
    ritas_key = {
        "Authorization": f"Bearer {create_api_key(session, role=Role.REVIEWER, user_id=reviewer_user.id)}"
    }
    document = in_review(session)
    body = {"fields": {"iban": "DE89370400440532013000"}}
    assert (
        client.patch(f"/v1/documents/{document.id}/fields", json=body, headers=ritas_key).status_code == 200
    )
    refused = client.post(f"/review/documents/{document.id}/approve", data={"csrf_token": csrf})
    assert refused.status_code == 403
    assert "Four-eyes rule" in refused.text
    session.refresh(document)
    assert document.status == Status.NEEDS_REVIEW


def test_four_eyes_a_person_who_changed_an_amount_on_the_page_cannot_approve_with_their_key(
    client: TestClient, session: Session, csrf: str, reviewer_user: User, four_eyes: None
) -> None:
    ritas_key = {
        "Authorization": f"Bearer {create_api_key(session, role=Role.REVIEWER, user_id=reviewer_user.id)}"
    }
    other = create_user(session, username="otto", role=UserRole.REVIEWER)
    ottos_key = {"Authorization": f"Bearer {create_api_key(session, role=Role.REVIEWER, user_id=other.id)}"}
    document = in_review(session)
    form = {"csrf_token": csrf, "field": "amount_due", "value": "118,00"}
    assert client.post(f"/review/documents/{document.id}/fields", data=form).status_code == 200
    refused = client.post(f"/v1/documents/{document.id}/approve", headers=ritas_key)
    assert refused.status_code == 403
    assert refused.json()["error"] == "four_eyes"
    reason = {"force": True, "reason": "Skonto agreed"}  # the new amount due no longer matches the gross
    accepted = client.post(f"/v1/documents/{document.id}/approve", json=reason, headers=ottos_key)
    assert accepted.status_code == 200, accepted.text


def test_without_the_four_eyes_rule_the_editor_may_approve(
    client: TestClient, session: Session, reviewer: dict[str, str]
) -> None:
    document = in_review(session)
    body = {"fields": {"iban": "DE89370400440532013000"}}
    assert client.patch(f"/v1/documents/{document.id}/fields", json=body, headers=reviewer).status_code == 200
    assert client.post(f"/v1/documents/{document.id}/approve", headers=reviewer).status_code == 200


def test_a_bad_date_gets_a_plain_message_next_to_the_field(
    client: TestClient, session: Session, csrf: str, reviewer: dict[str, str]
) -> None:
    document = in_review(session)
    form = {"csrf_token": csrf, "field": "issue_date", "value": "31.02.2025"}
    page = client.post(f"/review/documents/{document.id}/fields", data=form)
    assert page.status_code == 400
    assert "31.02.2025 is not a date" in page.text
    assert "Input should be" not in page.text
    body = {"fields": {"issue_date": "2025-02-31"}}
    api = client.patch(f"/v1/documents/{document.id}/fields", json=body, headers=reviewer)
    assert api.status_code == 422
    assert "2025-02-31 is not a date" in api.json()["detail"]


def test_a_bad_amount_gets_a_plain_message(client: TestClient, session: Session, csrf: str) -> None:
    document = in_review(session)
    form = {"csrf_token": csrf, "field": "gross_total", "value": "zwölf"}
    page = client.post(f"/review/documents/{document.id}/fields", data=form)
    assert page.status_code == 400
    assert "zwölf is not an amount" in page.text
