"""Uploads: the review page takes several files, one request each with its own result; the API refuses
extra `file` parts with a clear error instead of dropping them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.review.models import User
from tests.app.review.conftest import log_in
from tests.factories import text_pdf


@pytest.fixture
def csrf(client: TestClient, reviewer_user: User) -> str:
    return log_in(client, "rita")


def test_the_api_refuses_several_file_parts(client: TestClient, uploader: dict[str, str]) -> None:
    files = [
        ("file", ("a.pdf", text_pdf("Rechnung A"), "application/pdf")),
        ("file", ("b.pdf", text_pdf("B"), "application/pdf")),
    ]
    response = client.post("/v1/documents", headers=uploader, files=files)
    assert response.status_code == 400
    assert "One file per request" in response.json()["detail"]
    assert "2 `file` parts" in response.json()["detail"]
    one = client.post(
        "/v1/documents",
        headers=uploader,
        files={"file": ("a.pdf", text_pdf("Rechnung A"), "application/pdf")},
    )
    assert one.status_code == 201


def test_the_page_uploads_each_file_with_its_own_result(client: TestClient, csrf: str) -> None:
    assert 'id="dropzone"' in client.get("/review/upload").text
    first = client.post(
        "/review/upload",
        data={"csrf_token": csrf},
        files={"file": ("a.pdf", text_pdf("Rechnung 1"), "application/pdf")},
    )
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True
    again = client.post(
        "/review/upload",
        data={"csrf_token": csrf},
        files={"file": ("a.pdf", text_pdf("Rechnung 1"), "application/pdf")},
    )
    assert again.status_code == 200
    assert again.json() == {**first.json(), "created": False}
    bad = client.post(
        "/review/upload", data={"csrf_token": csrf}, files={"file": ("x.txt", b"hello", "text/plain")}
    )
    assert bad.status_code == 415
    assert bad.json()["error"]


def test_a_page_upload_needs_the_forms_token(client: TestClient, csrf: str) -> None:
    response = client.post(
        "/review/upload",
        data={"csrf_token": "forged"},
        files={"file": ("a.pdf", text_pdf(), "application/pdf")},
    )
    assert response.status_code == 403
