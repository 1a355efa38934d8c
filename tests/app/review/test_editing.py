"""Line items, addresses and booking corrected on the page: audited; the breakdown and findings follow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.decisions import results_of
from app.models import AuditEvent, Document
from app.pipeline.stored import current_invoice
from app.review.models import User
from schemas.invoice import Invoice
from tests.app.review.conftest import log_in
from tests.booking_factories import create_invoice_document, make_invoice

TWO_LINES = (("Kopierpapier A4", "100.00", "19", "S"), ("Fachbuch", "50.00", "7", "S"))


@pytest.fixture
def csrf(client: TestClient, reviewer_user: User) -> str:
    return log_in(client, "rita")


def _invoice(session: Session, document: Document) -> Invoice:
    session.expire(document, ["results"])
    invoice = current_invoice(results_of(document))
    assert invoice is not None
    return invoice


def _line_form(csrf: str, **values: str) -> dict[str, str]:
    base = {
        "description": "",
        "quantity": "",
        "unit_price": "",
        "net_amount": "",
        "tax_rate": "",
        "tax_category": "",
    }
    return {"csrf_token": csrf, **base, **values}


def test_editing_a_line_recomputes_the_breakdown_and_the_totals_findings(
    client: TestClient, session: Session, csrf: str, reviewer: dict[str, str]
) -> None:
    document = create_invoice_document(session, invoice=make_invoice(lines=TWO_LINES))
    before = client.get(f"/v1/documents/{document.id}/fields", headers=reviewer).json()
    assert not [f for f in before["findings"] if f["code"].startswith("arithmetic.")]
    form = _line_form(csrf, description="Fachbuch", net_amount="60,00", tax_rate="7", tax_category="S")
    saved = client.post(f"/review/documents/{document.id}/lines/2", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    invoice = _invoice(session, document)
    assert invoice.line_items[1].net_amount == Decimal("60.00")
    seven = next(row for row in invoice.tax_breakdown if row.rate == Decimal(7))
    assert (seven.taxable_amount, seven.tax_amount) == (Decimal("60.00"), Decimal("4.20"))
    after = client.get(f"/v1/documents/{document.id}/fields", headers=reviewer).json()
    assert [f for f in after["findings"] if f["code"].startswith("arithmetic.")], after["findings"]
    page = client.get(f"/review/documents/{document.id}")
    assert 'id="breakdown"' in page.text
    assert "4.20" in page.text


def test_a_line_is_added_and_removed(client: TestClient, session: Session, csrf: str) -> None:
    document = create_invoice_document(session, invoice=make_invoice(lines=TWO_LINES))
    form = _line_form(csrf, description="Versand", net_amount="5", tax_rate="19", tax_category="S")
    assert (
        client.post(f"/review/documents/{document.id}/lines", data=form, follow_redirects=False).status_code
        == 303
    )
    assert [i.description for i in _invoice(session, document).line_items] == [
        "Kopierpapier A4",
        "Fachbuch",
        "Versand",
    ]
    removed = client.post(
        f"/review/documents/{document.id}/lines/1/remove", data=_line_form(csrf, description="x")
    )
    assert removed.status_code == 200
    invoice = _invoice(session, document)
    assert [i.description for i in invoice.line_items] == ["Fachbuch", "Versand"]
    assert {row.rate for row in invoice.tax_breakdown} == {Decimal(7), Decimal(19)}
    edits = session.scalars(select(AuditEvent).where(AuditEvent.document_id == document.id))
    assert "line_items" in {(e.after or {}).get("field") for e in edits}


def test_a_bad_line_amount_gets_a_plain_message(client: TestClient, session: Session, csrf: str) -> None:
    document = create_invoice_document(session, invoice=make_invoice(lines=TWO_LINES))
    form = _line_form(csrf, description="Fachbuch", net_amount="fünfzig")
    response = client.post(f"/review/documents/{document.id}/lines/2", data=form)
    assert response.status_code == 400
    assert "fünfzig is not an amount" in response.text


def test_an_address_is_shown_and_corrected(client: TestClient, session: Session, csrf: str) -> None:
    document = create_invoice_document(session, invoice=make_invoice())
    assert 'id="field-seller_address"' in client.get(f"/review/documents/{document.id}").text
    form = {"csrf_token": csrf, "field": "seller_address", "value": "Hafenstraße 1, 20457 Hamburg"}
    assert client.post(f"/review/documents/{document.id}/fields", data=form).status_code == 200
    assert _invoice(session, document).seller_address == "Hafenstraße 1, 20457 Hamburg"


def test_the_booking_is_changed_per_line_account_and_tax_key(
    client: TestClient, session: Session, csrf: str, reviewer: dict[str, str]
) -> None:
    document = create_invoice_document(session, invoice=make_invoice(lines=TWO_LINES))
    page = client.get(f"/review/documents/{document.id}")
    assert 'list="chart-accounts"' in page.text
    books = {"csrf_token": csrf, "account": "4940", "tax_key": "8"}
    assert (
        client.post(
            f"/review/documents/{document.id}/booking/1", data=books, follow_redirects=False
        ).status_code
        == 303
    )
    proposal = client.get(f"/v1/documents/{document.id}/fields", headers=reviewer).json()["booking"]
    line = next(p for p in proposal["lines"] if p["index"] == 1)
    assert (line["account"]["account"], line["account"]["source"]) == ("4940", "reviewer")
    reverse = {"csrf_token": csrf, "account": "4940", "tax_key": "94"}
    assert (
        client.post(
            f"/review/documents/{document.id}/booking/1", data=reverse, follow_redirects=False
        ).status_code
        == 303
    )
    proposal = client.get(f"/v1/documents/{document.id}/fields", headers=reviewer).json()["booking"]
    line = next(p for p in proposal["lines"] if p["description"] == "Fachbuch")
    assert proposal["taxes"][line["tax_group"]]["tax_key"] == "94"
    unknown = {"csrf_token": csrf, "account": "99999", "tax_key": "94"}
    refused = client.post(f"/review/documents/{document.id}/booking/1", data=unknown)
    assert refused.status_code == 400
    assert "99999" in refused.text
