"""A scanned invoice uploaded as an image, through read (real Tesseract), extract and the OCR step."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agents.fake import FakeBackend
from agents.reading.scanned import OcrConfig
from agents.validation.policy import decide
from agents.validation.settings import ValidationSettings
from app.models import Document, Status, StepResult
from app.pipeline.orchestrator import Pipeline
from app.pipeline.state import Step
from app.pipeline.steps.extract import ExtractStep
from app.pipeline.steps.ocr import OcrTrustStep
from app.pipeline.steps.read import ReadStep
from app.scans.confidence import cap_for, with_ocr_confidence
from schemas.document import OcrInfo, Page, ReadResult, Word
from schemas.finding import Finding
from schemas.invoice import FieldSource, Invoice
from tests.app.scans.images import scan_of
from tests.factories import corpus_pdf, create_document

OCR = OcrConfig(tessdata=None, languages="deu+eng")


def _results(session: Session, document: Document) -> dict[str, dict[str, Any]]:
    rows = session.scalars(select(StepResult).where(StepResult.document_id == document.id))
    return {row.step: {"data": row.data, "findings": row.findings} for row in rows}


def _process(session: Session, factory: sessionmaker[Session], data: bytes, approved: int) -> dict[str, Any]:
    document = create_document(session, data=data, filename="scan.png")
    steps: list[Step] = [ReadStep(ocr=OCR), ExtractStep(FakeBackend()), OcrTrustStep(3, lambda _: approved)]
    Pipeline(factory, steps).process(document.id)
    session.refresh(document)
    return {"document": document, **_results(session, document)}


@pytest.fixture(scope="module")
def scanned_invoice() -> bytes:
    return scan_of(corpus_pdf().read_bytes(), "PNG", dpi=150)


def test_a_png_scan_is_read_by_ocr_and_waits_for_a_person_while_its_vendor_is_new(
    session: Session, session_factory: sessionmaker[Session], scanned_invoice: bytes
) -> None:
    run = _process(session, session_factory, scanned_invoice, approved=0)

    [page] = run["read"]["data"]["pages"]
    assert page["ocr"] is not None
    assert page["words"]
    assert all(w["confidence"] is not None for w in page["words"])
    codes = [f["code"] for f in run["ocr"]["findings"]]
    assert codes == ["ocr.used", "ocr.new_vendor"]
    findings = [Finding.model_validate(f) for f in run["ocr"]["findings"]]
    assert decide(findings, ValidationSettings().review_warnings).status == "needs_review"
    assert run["document"].status == Status.NEEDS_REVIEW
    invoice = Invoice.model_validate(run["extract"]["data"]["invoice"])
    assert invoice.fields, "the extraction found fields on the OCR'd page"


def test_a_proven_vendors_scan_is_only_marked_as_ocr(
    session: Session, session_factory: sessionmaker[Session], scanned_invoice: bytes
) -> None:
    run = _process(session, session_factory, scanned_invoice, approved=3)

    assert [f["code"] for f in run["ocr"]["findings"]] == ["ocr.used"]
    assert run["ocr"]["data"]["vendor_approved"] == 3


@pytest.mark.parametrize(
    ("word_confidence", "cap"), [(99, 1.0), (95, 1.0), (82.5, 0.75), (70, 0.5), (69, 0.25), (10, 0.25)]
)
def test_word_confidence_caps_field_confidence(word_confidence: float, cap: float) -> None:
    assert cap_for(word_confidence) == pytest.approx(cap)


def test_a_field_is_no_surer_than_its_weakest_ocr_word() -> None:
    source = FieldSource(confidence=0.9, kind="page", source="Gesamt", page=1, bbox=(100, 100, 200, 112))
    invoice = Invoice(fields={"gross_amount": source, "issue_date": source.model_copy(update={"page": 2})})
    word = Word(text="1.190,00", x0=150, top=100, x1=190, bottom=112)
    ocr = OcrInfo(dpi=300, languages="deu")
    words = [word.model_copy(update={"confidence": c}) for c in (60, 97)]
    scanned = Page(number=1, width=595, height=842, text="1.190,00 1.190,00", words=words, ocr=ocr)
    text_layer = Page(number=2, width=595, height=842, text="1.190,00", words=[word])
    read = ReadResult(kind="pdf", page_count=2, pages=[scanned, text_layer])

    capped = with_ocr_confidence(invoice, read)

    assert capped.fields["gross_amount"].confidence == 0.25
    assert capped.fields["issue_date"].confidence == 0.9  # a text-layer page: as extracted
