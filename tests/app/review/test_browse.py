"""All documents: search and filters over every document; each document's audit trail, page and API."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Document, Status
from app.review.models import User
from tests.app.review.conftest import log_in
from tests.booking_factories import create_invoice_document, make_invoice


@pytest.fixture
def csrf(client: TestClient, reviewer_user: User) -> str:
    return log_in(client, "rita")


@pytest.fixture
def archive(session: Session) -> dict[str, Document]:
    paper = make_invoice(number="PA-17", seller="Papierhaus Nord GmbH", issued=date(2026, 3, 15))
    books = make_invoice(
        number="BU-9",
        seller="Buchladen Süd KG",
        issued=date(2026, 5, 2),
        lines=(("Fachbuch Steuern", "50.00", "7", "S"),),
    )
    return {
        "paper": create_invoice_document(session, invoice=paper, status=Status.BOOKED),
        "books": create_invoice_document(session, invoice=books),
    }


def _listed(client: TestClient, **query: str) -> set[int]:
    response = client.get("/review/documents", params=query)
    assert response.status_code == 200, response.text
    return {int(part.split('"')[0]) for part in response.text.split('data-document="')[1:]}


def test_every_document_is_listed_and_filtered(
    client: TestClient, csrf: str, archive: dict[str, Document]
) -> None:
    paper, books = archive["paper"].id, archive["books"].id
    assert {paper, books} <= _listed(client)
    assert _listed(client, status="booked") >= {paper}
    assert books not in _listed(client, status="booked")
    assert _listed(client, vendor="buchladen") == {books}
    assert _listed(client, number="PA-17") == {paper}
    assert _listed(client, text="steuern") == {books}
    assert _listed(client, issued_from="01.05.2026") >= {books}
    assert paper not in _listed(client, issued_from="01.05.2026")
    assert paper not in _listed(client, amount_min="100,00", text="Fachbuch")


def test_a_bad_filter_value_is_said_plainly(client: TestClient, csrf: str) -> None:
    response = client.get("/review/documents", params={"issued_from": "31.02.2026", "amount_min": "viel"})
    assert response.status_code == 200
    assert "31.02.2026 is not a date" in response.text
    assert "viel is not an amount" in response.text


def test_the_audit_trail_is_served_by_the_api_and_shown_on_the_page(
    client: TestClient, session: Session, csrf: str, reviewer: dict[str, str], archive: dict[str, Document]
) -> None:
    document = archive["books"]
    body = {"fields": {"invoice_number": "BU-10"}}
    assert client.patch(f"/v1/documents/{document.id}/fields", json=body, headers=reviewer).status_code == 200
    trail = client.get(f"/v1/documents/{document.id}/audit", headers=reviewer)
    assert trail.status_code == 200, trail.text
    edit = next(e for e in trail.json() if e["action"] == "field.edit")
    assert edit["summary"] == "Invoice number: BU-9 → BU-10"
    assert edit["actor"].startswith("key:")
    assert "Invoice number: BU-9 → BU-10" in client.get(f"/review/documents/{document.id}").text
    assert client.get("/v1/documents/999999/audit", headers=reviewer).status_code == 404


def test_the_audit_trail_needs_a_reviewer(
    client: TestClient, uploader: dict[str, str], archive: dict[str, Document]
) -> None:
    assert client.get(f"/v1/documents/{archive['books'].id}/audit", headers=uploader).status_code == 403
