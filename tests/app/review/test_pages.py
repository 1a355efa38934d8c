"""The queue and the detail page, through the app as a browser calls it."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy.orm import Session

from app.models import Document, Status, utcnow
from app.review.models import User
from tests.app.review.conftest import log_in
from tests.app.review.factories import INVOICE_PDF, create_flagged_invoice
from tests.factories import corpus_pdf, create_document

OTHER_PDF = "FX1.0.7__Facture_F20220025-LE_FOURNISSEUR-POUR-LE_CLIENT_BASIC.pdf"
ROW = re.compile(r'<tr data-href="/review/documents/(\d+)"')


@pytest.fixture
def reviewing(client: TestClient, reviewer_user: User) -> TestClient:
    log_in(client, "rita")
    return client


def _older(document: Document, minutes: int) -> None:
    document.received_at = utcnow() - timedelta(minutes=minutes)


def test_the_queue_lists_waiting_documents_oldest_first(reviewing: TestClient, session: Session) -> None:
    newer = create_flagged_invoice(session, name=OTHER_PDF, gross_off_by=None)
    older = create_flagged_invoice(session)
    _older(older, 10)
    create_document(session, status=Status.BOOKED)
    session.flush()
    page = reviewing.get("/review")
    assert [int(i) for i in ROW.findall(page.text)] == [older.id, newer.id]
    assert '<span class="count" id="queue-count">2</span>' in page.text
    row = page.text[page.text.index(f'data-document="{older.id}"') :]
    row = row[: row.index("</tr>")]
    for shown in (
        "LE FOURNISSEUR",
        "104.00 EUR",
        "2022-01-31",
        "arithmetic.gross_mismatch",
        "is not the gross",
    ):
        assert shown in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"reason": "arithmetic.gross_mismatch"}, ["flagged"]),
        ({"reason": "booking.manual"}, ["plain"]),
        ({"vendor": "fournis"}, ["flagged", "plain"]),
        ({"vendor": "someone else"}, []),
    ],
)
def test_the_queue_filters_by_reason_and_vendor(
    reviewing: TestClient, session: Session, query: dict[str, str], expected: list[str]
) -> None:
    flagged = create_flagged_invoice(session)
    _older(flagged, 10)
    plain = create_flagged_invoice(session, name=OTHER_PDF, gross_off_by=None)
    ids = {"flagged": flagged.id, "plain": plain.id}
    page = reviewing.get("/review", params=query)
    assert [int(i) for i in ROW.findall(page.text)] == [ids[name] for name in expected]


def test_the_detail_page_draws_a_box_over_each_located_field(reviewing: TestClient, session: Session) -> None:
    document = create_flagged_invoice(session)
    page = reviewing.get(f"/review/documents/{document.id}")
    assert page.status_code == 200
    assert f'src="/review/documents/{document.id}/pages/1.png?scale=2"' in page.text
    assert 'viewBox="0 0 595.2 841.8"' in page.text
    boxes = dict(re.findall(r'<rect class="box" data-field="(\w+)" x="([\d.]+)"', page.text))
    assert set(boxes) == {"invoice_number", "issue_date", "seller_name", "gross_total"}
    assert float(boxes["gross_total"]) == pytest.approx(470.78 - 2)  # "104,90" starts at x0 = 470.78


def test_the_detail_page_marks_what_needs_a_look(reviewing: TestClient, session: Session) -> None:
    document = create_flagged_invoice(session)
    page = reviewing.get(f"/review/documents/{document.id}").text
    assert 'data-first-flagged="gross_total"' in page
    assert 'class="field flagged error"' in _field(page, "gross_total")
    assert "is not the gross amount 104.00" in _field(page, "gross_total")
    assert "flagged" not in _field(page, "invoice_number").split(">")[0]
    assert 'class="finding error"' in page
    assert 'id="approve-form"' in page


def _field(page: str, name: str) -> str:
    start = page.rindex("<div", 0, page.index(f'id="field-{name}"'))
    return page[start : page.index("</div>", start)]


def test_a_finished_document_offers_no_decision(reviewing: TestClient, session: Session) -> None:
    document = create_flagged_invoice(session)
    document.status = Status.BOOKED
    session.flush()
    page = reviewing.get(f"/review/documents/{document.id}").text
    assert 'id="approve-form"' not in page
    assert 'form class="edit"' not in page


def test_a_page_image_is_rendered_on_the_server(reviewing: TestClient, session: Session) -> None:
    document = create_flagged_invoice(session)
    response = reviewing.get(f"/review/documents/{document.id}/pages/1.png", params={"scale": 1})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert "immutable" in response.headers["cache-control"]
    width, height = Image.open(io.BytesIO(response.content)).size
    assert width == pytest.approx(595.2, abs=1)
    assert height == pytest.approx(841.8, abs=1)
    assert reviewing.get(f"/review/documents/{document.id}/pages/2.png").status_code == 404
    assert (
        reviewing.get(f"/review/documents/{document.id}/pages/1.png", params={"scale": 9}).status_code == 404
    )


def test_the_original_is_only_ever_a_download(reviewing: TestClient, session: Session) -> None:
    document = create_flagged_invoice(session)
    response = reviewing.get(f"/review/documents/{document.id}/original")
    assert response.content == corpus_pdf(INVOICE_PDF).read_bytes()
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-security-policy"] == "sandbox"


def test_an_unknown_document_gets_a_page_not_json(reviewing: TestClient) -> None:
    response = reviewing.get("/review/documents/999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "No document with id 999999." in response.text


def test_next_goes_to_the_following_document_and_round(reviewing: TestClient, session: Session) -> None:
    first = create_flagged_invoice(session)
    _older(first, 10)
    second = create_flagged_invoice(session, name=OTHER_PDF, gross_off_by=None)
    session.flush()
    step = reviewing.get(f"/review/documents/{first.id}/next", follow_redirects=False)
    assert step.headers["location"] == f"/review/documents/{second.id}"
    back = reviewing.get(f"/review/documents/{second.id}/next", follow_redirects=False)
    assert back.headers["location"] == f"/review/documents/{first.id}"
    second.status = Status.BOOKED
    session.flush()
    done = reviewing.get(f"/review/documents/{first.id}/next", follow_redirects=False)
    assert done.headers["location"] == "/review?notice=empty"
