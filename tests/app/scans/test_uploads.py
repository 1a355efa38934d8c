"""Scans uploaded through the API: stored as uploaded, read through their PDF copy, refused when hostile."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Document
from app.scans.models import Rendition, RenditionKind
from app.scans.renditions import processing_copy
from app.worker import Queue
from tests.app.mail.messages import einvoice_xml
from tests.app.scans.images import png_declaring, scan_of
from tests.factories import create_document, text_pdf

MEDIA = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff"}


def _post(client: TestClient, headers: dict[str, str], data: bytes, name: str) -> dict[str, object]:
    # The client's claimed type is a lie on purpose: only the bytes count.
    response = client.post("/v1/documents", headers=headers, files={"file": (name, data, "application/pdf")})
    return {**response.json(), "http": response.status_code}


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_a_scan_upload_keeps_its_bytes_and_gets_a_pdf_copy(
    fmt: str, client: TestClient, uploader: dict[str, str], session: Session, memory_queue: Queue
) -> None:
    data = scan_of(text_pdf(f"Rechnung {fmt}", pages=2), fmt)

    body = _post(client, uploader, data, f"scan.{fmt.lower()}")

    assert body["http"] == 201
    assert body["media_type"] == MEDIA[fmt]
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert memory_queue.huey.pending_count() == 1
    original = client.get(f"/v1/documents/{body['id']}/original", headers=uploader)
    assert (original.content, original.headers["content-type"]) == (data, MEDIA[fmt])
    pdf = client.get(f"/v1/documents/{body['id']}/pdf", headers=uploader)
    assert pdf.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(pdf.content)) as document:
        assert len(document.pages) == (2 if fmt == "TIFF" else 1)
    document_row = session.get(Document, body["id"])
    assert document_row is not None
    assert processing_copy(session, document_row) == ("application/pdf", pdf.content)


def test_the_same_scan_again_is_the_same_document(
    client: TestClient, uploader: dict[str, str], session: Session, memory_queue: Queue
) -> None:
    data = scan_of(text_pdf("Rechnung doppelt"), "JPEG")

    first = _post(client, uploader, data, "a.jpg")
    second = _post(client, uploader, data, "b.pdf")

    assert (first["http"], second["http"]) == (201, 200)
    assert first["id"] == second["id"]
    assert session.scalar(select(func.count()).select_from(Document)) == 1
    assert session.scalar(select(func.count()).select_from(Rendition)) == 1
    assert memory_queue.huey.pending_count() == 1


def test_a_pixel_bomb_is_refused_with_the_reason_and_nothing_is_stored(
    client: TestClient, uploader: dict[str, str], session: Session, memory_queue: Queue
) -> None:
    body = _post(client, uploader, png_declaring(9_500, 9_000), "bomb.png")

    assert body["http"] == 400
    assert body["error"] == "resource_limit"
    assert "9500 x 9000 pixels" in str(body["detail"])
    assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert memory_queue.huey.pending_count() == 0


def test_an_xml_upload_has_no_pdf(client: TestClient, uploader: dict[str, str], session: Session) -> None:
    document = create_document(session, data=einvoice_xml(), filename="r.xml")
    response = client.get(f"/v1/documents/{document.id}/pdf", headers=uploader)
    assert response.status_code == 404
    assert client.get(f"/v1/documents/{document.id}/searchable", headers=uploader).status_code == 404


def test_a_pdf_upload_is_its_own_pdf_and_gets_no_copy(
    client: TestClient, uploader: dict[str, str], session: Session
) -> None:
    data = text_pdf("Rechnung digital")
    body = _post(client, uploader, data, "r.pdf")
    assert client.get(f"/v1/documents/{body['id']}/pdf", headers=uploader).content == data
    rows = session.scalars(select(Rendition.kind).where(Rendition.document_id == body["id"])).all()
    assert RenditionKind.PDF not in rows
