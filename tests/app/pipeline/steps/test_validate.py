"""Validation in the pipeline: the decision and its reasons are stored and shown by the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agents.validation import ValidationAgent
from agents.validation.settings import ValidationSettings
from app.config import Settings
from app.documents.history import DbInvoiceHistory
from app.models import Document, Status, StepResult
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps.einvoice import EInvoiceStep
from app.pipeline.steps.read import ReadStep
from app.pipeline.steps.validate import ValidateStep
from app.vendors.directory import DbVendorDirectory, record_approved_invoice
from app.vendors.models import Vendor
from tests.agents.validation.crafted import OTHER_IBAN, TODAY, craft, craft_xml
from tests.factories import create_document


def process(factory: sessionmaker[Session], document: Document) -> Status | None:
    agent = ValidationAgent(
        None, ValidationSettings(), DbInvoiceHistory(factory), DbVendorDirectory(factory), clock=lambda: TODAY
    )
    return Pipeline(factory, [ReadStep(), EInvoiceStep(), ValidateStep(agent)]).process(document.id)


def validate_result(session: Session, document: Document) -> dict[str, Any]:
    row = session.scalar(
        select(StepResult).where(StepResult.document_id == document.id, StepResult.step == "validate")
    )
    assert row is not None
    return row.data


def test_a_changed_bank_account_sends_the_invoice_to_review_and_tops_the_queue(
    client: TestClient, uploader: dict[str, str], session: Session, session_factory: sessionmaker[Session]
) -> None:
    record_approved_invoice(session, craft())
    document = create_document(session, data=craft_xml(iban=OTHER_IBAN), filename="rechnung.xml")
    assert process(session_factory, document) == Status.NEEDS_REVIEW
    session.refresh(document)
    assert document.status_reason == "bank.changed"
    assert validate_result(session, document)["decision"] == {
        "status": "needs_review",
        "reasons": ["bank.changed"],
    }

    queue = client.get("/v1/documents", headers=uploader, params={"status": "needs_review"}).json()["items"]
    assert [(d["id"], d["top_reason"]) for d in queue] == [(document.id, "bank.changed")]
    detail = client.get(f"/v1/documents/{document.id}", headers=uploader).json()
    assert detail["top_reason"] == "bank.changed"
    assert any(f["code"] == "bank.changed" and f["severity"] == "error" for f in detail["findings"])
    validate = next(r for r in detail["results"] if r["step"] == "validate")
    assert validate["data"]["document_class"] == "invoice"


def test_a_clean_invoice_is_ready_but_waits_for_a_person_until_booking_exists(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    record_approved_invoice(session, craft())
    document = create_document(session, data=craft_xml(), filename="rechnung.xml")
    assert process(session_factory, document) == Status.NEEDS_REVIEW
    session.refresh(document)
    assert document.status_reason == "booking.manual"
    assert validate_result(session, document)["decision"] == {"status": "ready", "reasons": []}


def test_validation_never_teaches_the_vendor_directory(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = create_document(session, data=craft_xml(), filename="rechnung.xml")
    process(session_factory, document)
    session.refresh(document)
    assert document.status_reason == "vendor.new"
    assert session.scalars(select(Vendor)).all() == []


def test_the_company_identity_reaches_validation() -> None:
    settings = Settings(_env_file=None, company_name="Kunden AG", company_vat_id="DE111111117")
    assert (settings.validation.company_name, settings.validation.company_vat_id) == (
        "Kunden AG",
        "DE111111117",
    )
    assert settings.validation.company_currency == "EUR"
