"""The searchable archive copy: the scan with its OCR text as an invisible layer, beside the original."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pikepdf
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agents.reading.scanned import OcrConfig
from app.config import Settings
from app.models import Document, StepResult
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps.read import ReadStep
from app.scans.archive import store_archive_copy
from tests.app.scans.images import scan_of
from tests.conftest import make_settings
from tests.factories import corpus_pdf, create_document, text_pdf


def _scanned(session: Session, factory: sessionmaker[Session]) -> Document:
    document = create_document(session, data=scan_of(corpus_pdf().read_bytes(), "TIFF"), filename="s.tif")
    Pipeline(factory, [ReadStep(ocr=OcrConfig(tessdata=None, languages="deu+eng"))]).process(document.id)
    return document


def test_the_archive_copy_is_searchable_and_marked_pdfa(
    session: Session,
    session_factory: sessionmaker[Session],
    client: TestClient,
    uploader: dict[str, str],
    tmp_path: Path,
    database_url: str,
) -> None:
    document = _scanned(session, session_factory)
    settings = make_settings(tmp_path, database_url, ocr={"archive_copy": True})

    assert store_archive_copy(session_factory, document.id, settings)

    response = client.get(f"/v1/documents/{document.id}/searchable", headers=uploader)
    assert response.headers["content-type"] == "application/pdf"
    read = session.scalar(
        select(StepResult.data).where(StepResult.document_id == document.id, StepResult.step == "read")
    )
    assert read is not None
    ocr_words = [w["text"] for w in read["pages"][0]["words"] if len(w["text"]) >= 6][:10]
    assert len(ocr_words) >= 5
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
        assert (pdf.pages[0].width, pdf.pages[0].height) == (
            round(read["pages"][0]["width"], 2),
            round(read["pages"][0]["height"], 2),
        )
    assert all(word in text for word in ocr_words)
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert "/OutputIntents" in pdf.Root
    original = client.get(f"/v1/documents/{document.id}/original", headers=uploader)
    assert original.content == session.get(Document, document.id).content  # type: ignore[union-attr]


def test_no_copy_unless_asked_for_or_read_by_ocr(
    session: Session,
    session_factory: sessionmaker[Session],
    client: TestClient,
    uploader: dict[str, str],
    settings: Settings,
    tmp_path: Path,
    database_url: str,
) -> None:
    scanned = _scanned(session, session_factory)
    digital = create_document(session, data=text_pdf("Rechnung mit Textebene"))
    Pipeline(session_factory, [ReadStep()]).process(digital.id)
    on = make_settings(tmp_path, database_url, ocr={"archive_copy": True})

    assert not store_archive_copy(session_factory, scanned.id, settings)  # off by default
    assert not store_archive_copy(session_factory, digital.id, on)  # nothing was read by OCR
    assert client.get(f"/v1/documents/{scanned.id}/searchable", headers=uploader).status_code == 404
