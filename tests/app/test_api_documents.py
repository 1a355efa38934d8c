from __future__ import annotations

import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Document, Status
from app.worker import Queue
from tests.factories import corpus_pdf, create_document, encrypted_pdf, text_pdf


def upload(
    client: TestClient, headers: dict[str, str], data: bytes, name: str = "invoice.pdf"
) -> dict[str, Any]:
    response = client.post("/v1/documents", headers=headers, files={"file": (name, data, "application/pdf")})
    return {"status": response.status_code, "body": response.json()}


def test_upload_stores_the_exact_bytes_and_queues_once(
    client: TestClient, uploader: dict[str, str], session: Session, memory_queue: Queue
) -> None:
    data = corpus_pdf().read_bytes()
    response = client.post("/v1/documents", headers=uploader, files={"file": ("in.pdf", data, "text/plain")})
    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["status"] == "received"
    assert body["media_type"] == "application/pdf"  # sniffed, not the client's claim
    assert memory_queue.huey.pending_count() == 1
    original = client.get(f"/v1/documents/{body['id']}/original", headers=uploader)
    assert original.status_code == 200
    assert original.content == data
    assert (
        session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "upload")) == 1
    )


def test_duplicate_upload_returns_the_existing_document(
    client: TestClient, uploader: dict[str, str], session: Session, memory_queue: Queue
) -> None:
    data = text_pdf("duplicate")
    first = upload(client, uploader, data)
    second = upload(client, uploader, data, name="other-name.pdf")
    assert (first["status"], second["status"]) == (201, 200)
    assert first["body"] == second["body"]
    assert session.scalar(select(func.count()).select_from(Document)) == 1
    assert memory_queue.huey.pending_count() == 1


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        (b"", 400, "empty_file"),
        (b"%PDF-1.7\n this is not really a pdf", 400, "corrupt_document"),
        (b"PK\x03\x04 a zip file", 415, "unsupported_media_type"),
        (b"<html><body>hello</body></html>", 415, "unsupported_media_type"),
        (b"\x89PNG\r\n\x1a\n....", 400, "corrupt_document"),
        (b"GIF89a\x01\x00\x01\x00", 415, "unsupported_media_type"),
    ],
    ids=["empty", "corrupt-pdf", "zip", "html", "damaged-png", "gif"],
)
def test_bad_uploads_are_rejected_with_a_reason(
    client: TestClient, uploader: dict[str, str], session: Session, data: bytes, status: int, error: str
) -> None:
    response = client.post(
        "/v1/documents", headers=uploader, files={"file": ("x.pdf", data, "application/pdf")}
    )
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["detail"]
    assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_encrypted_pdf_is_rejected(client: TestClient, uploader: dict[str, str]) -> None:
    result = upload(client, uploader, encrypted_pdf())
    assert result["status"] == 400
    assert "password" in str(result["body"]).lower()


def test_oversized_upload_is_refused(client: TestClient, uploader: dict[str, str], session: Session) -> None:
    big = text_pdf() + b"%" + b"x" * (1024 * 1024)  # the test settings allow 1 MiB
    result = upload(client, uploader, big)
    assert result["status"] == 413
    assert result["body"]["error"] == "too_large"
    assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_list_is_keyset_paginated_and_filtered(client: TestClient, uploader: dict[str, str]) -> None:
    ids = [upload(client, uploader, text_pdf(f"doc {i}"))["body"]["id"] for i in range(5)]
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/documents", headers=uploader, params=params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)
    received = client.get("/v1/documents", headers=uploader, params={"status": "received"}).json()
    assert len(received["items"]) == 5
    booked = client.get("/v1/documents", headers=uploader, params={"status": "booked"}).json()
    assert booked["items"] == []


def test_unknown_document_is_404_in_the_one_error_shape(client: TestClient, uploader: dict[str, str]) -> None:
    response = client.get("/v1/documents/999999", headers=uploader)
    assert response.status_code == 404
    assert set(response.json()) == {"error", "detail"}


def test_bad_cursor_is_a_clear_400(client: TestClient, uploader: dict[str, str]) -> None:
    response = client.get("/v1/documents", headers=uploader, params={"cursor": "%%%"})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize(
    ("status", "code", "after", "queued"),
    [
        (Status.FAILED, 202, Status.PROCESSING, 1),
        (Status.NEEDS_REVIEW, 202, Status.PROCESSING, 1),
        (Status.BOOKED, 409, Status.BOOKED, 0),
        (Status.REJECTED, 409, Status.REJECTED, 0),
    ],
)
def test_reprocess_queues_unfinished_documents_and_refuses_final_ones(
    client: TestClient,
    reviewer: dict[str, str],
    session: Session,
    memory_queue: Queue,
    status: Status,
    code: int,
    after: Status,
    queued: int,
) -> None:
    document = create_document(session, data=text_pdf(f"again {status}"), status=status)
    response = client.post(f"/v1/documents/{document.id}/reprocess", headers=reviewer)
    assert response.status_code == code
    session.refresh(document)
    assert document.status == after
    assert memory_queue.huey.pending_count() == queued
