"""The API's edges: ids out of range, foreign cursors, the last admin key, and the one error shape."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.params import MAX_ID
from app.documents.intake import ingest
from app.models import ApiKey, Role, Source
from tests.booking_factories import create_invoice_document, make_invoice
from tests.factories import create_api_key, text_pdf

# Every operation with an id in its path, with a body that is valid apart from the id.
ID_OPERATIONS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/v1/documents/{document_id}", None),
    ("GET", "/v1/documents/{document_id}/original", None),
    ("GET", "/v1/documents/{document_id}/pdf", None),
    ("GET", "/v1/documents/{document_id}/searchable", None),
    ("POST", "/v1/documents/{document_id}/pages/{page}/rotate", {"turn": 90}),
    ("POST", "/v1/documents/{document_id}/reprocess", None),
    ("GET", "/v1/documents/{document_id}/fields", None),
    ("PATCH", "/v1/documents/{document_id}/fields", {}),
    ("POST", "/v1/documents/{document_id}/approve", None),
    ("POST", "/v1/documents/{document_id}/reject", {"reason": "wrong vendor"}),
    ("POST", "/v1/journal/{entry_id}/correct", {"reason": "wrong account"}),
    ("GET", "/v1/documents/{document_id}/audit", None),
    ("GET", "/v1/exports/datev/{export_id}/batches/{sequence}", None),
]
OUT_OF_RANGE = [0, -1, MAX_ID + 1, 2**63, 2**64, 10**40]
CURSOR_OPERATIONS = ["/v1/documents", "/v1/mail/messages"]


def _url(path: str, row_id: int) -> str:
    for name in ("{document_id}", "{entry_id}", "{export_id}", "{sequence}", "{page}"):
        path = path.replace(name, str(row_id))
    return path


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_every_operation_with_an_id_is_covered(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    with_id = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if "_id}" in path
    }
    assert with_id == {(method, path) for method, path, _body in ID_OPERATIONS}


@pytest.mark.parametrize("bad_id", OUT_OF_RANGE)
@pytest.mark.parametrize(("method", "path", "body"), ID_OPERATIONS)
def test_an_id_out_of_range_is_a_422_in_the_error_shape(
    client: TestClient,
    admin: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    bad_id: int,
) -> None:
    response = client.request(method, _url(path, bad_id), headers=admin, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert "_id" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "body"), ID_OPERATIONS)
def test_the_largest_id_is_simply_not_found(
    client: TestClient, admin: dict[str, str], method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = client.request(method, _url(path, MAX_ID), headers=admin, json=body)
    assert response.status_code == 404, response.text
    assert set(response.json()) == {"error", "detail"}


@pytest.mark.parametrize(
    "cursor",
    [_cursor("0"), _cursor("-3"), _cursor(str(MAX_ID + 1)), _cursor(str(2**63)), _cursor("9" * 5000)],
)
@pytest.mark.parametrize("path", CURSOR_OPERATIONS)
def test_a_cursor_out_of_range_is_a_400(
    client: TestClient, admin: dict[str, str], path: str, cursor: str
) -> None:
    response = client.get(path, headers=admin, params={"cursor": cursor})
    assert response.status_code == 400, response.text
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("path", CURSOR_OPERATIONS)
def test_the_largest_cursor_pages_from_the_newest(
    client: TestClient, admin: dict[str, str], path: str
) -> None:
    response = client.get(path, headers=admin, params={"cursor": _cursor(str(MAX_ID))})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("prefix", ["%00", "x" * 300, "not-hex"])
def test_a_malformed_key_prefix_is_refused_before_the_database(
    client: TestClient, admin: dict[str, str], prefix: str
) -> None:
    assert client.delete(f"/v1/keys/{prefix}", headers=admin).status_code in (400, 422)


def _prefix(headers: dict[str, str]) -> str:
    return headers["Authorization"].split("_")[1]


def test_the_last_active_admin_key_cannot_be_revoked(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    response = client.delete(f"/v1/keys/{_prefix(admin)}", headers=admin)
    assert response.status_code == 409
    assert "last active admin key" in response.json()["detail"]
    assert client.get("/v1/keys", headers=admin).status_code == 200


def test_an_admin_revokes_its_own_key_only_while_another_admin_key_stays(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    other = {"Authorization": f"Bearer {create_api_key(session, role=Role.ADMIN)}"}
    assert client.delete(f"/v1/keys/{_prefix(admin)}", headers=admin).status_code == 200
    assert client.get("/v1/keys", headers=admin).status_code == 401
    refused = client.delete(f"/v1/keys/{_prefix(other)}", headers=other)
    assert refused.status_code == 409
    revoked_at = session.scalar(select(ApiKey.revoked_at).where(ApiKey.prefix == _prefix(other)))
    assert revoked_at is None


def test_non_admin_keys_are_revoked_freely(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    reviewer = {"Authorization": f"Bearer {create_api_key(session, role=Role.REVIEWER)}"}
    assert client.delete(f"/v1/keys/{_prefix(reviewer)}", headers=admin).status_code == 200


def test_422_bodies_match_the_documented_error_schema(client: TestClient, admin: dict[str, str]) -> None:
    spec = client.get("/openapi.json").json()
    documented = spec["paths"]["/v1/documents"]["get"]["responses"]["422"]["content"]["application/json"]
    schema = spec["components"]["schemas"][documented["schema"]["$ref"].rsplit("/", 1)[1]]
    response = client.get("/v1/documents", headers=admin, params={"limit": "many"})
    assert response.status_code == 422
    assert set(response.json()) == set(schema["required"]) == set(schema["properties"])


@pytest.mark.parametrize("status", ["401", "403", "422"])
def test_every_api_operation_documents_the_common_errors(client: TestClient, status: str) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            assert status in operation["responses"], f"{method} {path} lacks {status}"


def _flagged(session: Session) -> int:
    return create_invoice_document(session, invoice=make_invoice(number="NUL-1")).id


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/v1/mail/messages", {"params": {"source": "a\x00b"}}),
        ("POST", "/v1/keys", {"json": {"role": "reviewer", "name": "a\x00b"}}),
        ("POST", "/v1/documents/{document_id}/reject", {"json": {"reason": "a\x00b"}}),
        ("PATCH", "/v1/documents/{document_id}/fields", {"json": {"fields": {"seller_name": "\x00"}}}),
    ],
)
def test_text_with_a_nul_character_is_a_400_not_a_database_error(
    client: TestClient,
    session: Session,
    admin: dict[str, str],
    method: str,
    path: str,
    kwargs: dict[str, Any],
) -> None:
    response = client.request(method, _url(path, _flagged(session)), headers=admin, **kwargs)
    assert response.status_code == 400, response.text
    assert "NUL" in response.json()["detail"]


def test_an_upload_name_loses_its_control_characters(session: Session) -> None:
    # Raw, as a mail attachment or a hand-made multipart body can carry them (httpx would escape them).
    document, _created = ingest(
        session,
        text_pdf("Rechnung NUL"),
        filename="in\x00voice\x07.pdf",
        source=Source.API,
        actor="t",
        max_bytes=10**6,
    )
    assert document.filename == "invoice.pdf"


def test_an_overlong_seller_is_approved_without_a_database_error(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    document_id = _flagged(session)
    fields = {"seller_name": "S" * 3000, "seller_vat_id": "DE" + "1" * 60}
    edited = client.patch(f"/v1/documents/{document_id}/fields", headers=admin, json={"fields": fields})
    assert edited.status_code == 200, edited.text
    approved = client.post(f"/v1/documents/{document_id}/approve", headers=admin)
    assert approved.status_code < 500, approved.text
