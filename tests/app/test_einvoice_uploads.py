"""E-invoices through the API and the pipeline: XML uploads and hybrid PDFs, the XML prevailing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.models import Status
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps.einvoice import EInvoiceStep
from app.pipeline.steps.read import ReadStep
from app.pipeline.stored import current_invoice
from tests.corpus import corpus_dir, truth
from tests.factories import create_document


def corpus_xml() -> bytes:
    return sorted((corpus_dir() / "xml").glob("*.xml"))[0].read_bytes()


def test_an_einvoice_xml_upload_is_accepted_as_xml(client: TestClient, uploader: dict[str, str]) -> None:
    response = client.post(
        "/v1/documents", headers=uploader, files={"file": ("rechnung.xml", corpus_xml(), "text/xml")}
    )
    assert response.status_code == 201
    assert response.json()["media_type"] == "application/xml"


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        (b"<?xml version='1.0'?><note><to>Tove</to></note>", 415, "unsupported_media_type"),
        (b"<?xml version='1.0'?><Invoice><unclosed></Invoice>", 400, "invalid_xml"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            400,
            "invalid_xml",
        ),
    ],
    ids=["not-an-invoice", "malformed", "xxe"],
)
def test_other_xml_is_refused(
    client: TestClient, uploader: dict[str, str], data: bytes, status: int, error: str
) -> None:
    response = client.post("/v1/documents", headers=uploader, files={"file": ("x.xml", data, "text/xml")})
    assert response.status_code == status
    assert response.json()["error"] == error


def test_an_xml_upload_is_read_exactly_by_the_pipeline(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    path = sorted((corpus_dir() / "xml").glob("*.xml"))[0]
    document = create_document(session, data=path.read_bytes(), filename=path.name)
    Pipeline(session_factory, [ReadStep(), EInvoiceStep()]).process(document.id)
    session.refresh(document)
    results = {r.step: r.data for r in document.results}
    assert set(results) == {"einvoice"}
    invoice = current_invoice(results)
    assert invoice is not None
    expected = truth(path)
    assert invoice.invoice_number == expected["invoice_number"]
    assert invoice.gross_total == Decimal(str(expected["gross_total"]))
    assert invoice.fields["gross_total"].kind == "xml"


def test_a_hybrid_pdf_is_read_from_its_xml(session: Session, session_factory: sessionmaker[Session]) -> None:
    path = sorted((corpus_dir() / "invoices").glob("*EN16931*.pdf"))[0]
    document = create_document(session, data=path.read_bytes(), filename=path.name)
    status = Pipeline(session_factory, [ReadStep(), EInvoiceStep()]).process(document.id)
    assert status == Status.NEEDS_REVIEW
    session.refresh(document)
    results = {r.step: r.data for r in document.results}
    assert results["read"]["page_count"] >= 1
    assert results["einvoice"]["attachment"]
    invoice = current_invoice(results)
    assert invoice is not None
    assert invoice.invoice_number == truth(path)["invoice_number"]
