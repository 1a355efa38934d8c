from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiKey, Role
from app.security import LAST_USED_RESOLUTION, authenticate, revoke_key
from tests.factories import create_api_key, create_document

# (method, path, minimum role)
ENDPOINTS = [
    ("GET", "/v1/documents", Role.UPLOADER),
    ("GET", "/v1/documents/{id}", Role.UPLOADER),
    ("GET", "/v1/documents/{id}/original", Role.UPLOADER),
    ("POST", "/v1/documents/{id}/reprocess", Role.REVIEWER),
    ("GET", "/v1/keys", Role.ADMIN),
]
RANK = {Role.UPLOADER: 0, Role.REVIEWER: 1, Role.ADMIN: 2}


@pytest.mark.parametrize(("method", "path", "needed"), ENDPOINTS)
@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(
    client: TestClient, session: Session, method: str, path: str, needed: Role, role: Role
) -> None:
    document = create_document(session)
    headers = {"Authorization": f"Bearer {create_api_key(session, role=role)}"}
    response = client.request(method, path.format(id=document.id), headers=headers)
    if RANK[role] >= RANK[needed]:
        assert response.status_code in (200, 202), response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer nonsense", "Bearer ktr_deadbeef_wrong", "Basic dXNlcjpwYXNz"],
    ids=["missing", "malformed", "unknown", "basic"],
)
def test_requests_without_a_valid_key_are_401(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/v1/documents", headers=headers)
    assert response.status_code == 401
    assert set(response.json()) == {"error", "detail"}


def test_a_revoked_key_stops_working(client: TestClient, session: Session) -> None:
    key = create_api_key(session, role=Role.REVIEWER)
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/v1/documents", headers=headers).status_code == 200
    revoke_key(session, key.split("_")[1])
    session.flush()
    assert client.get("/v1/documents", headers=headers).status_code == 401


def test_admin_creates_a_key_that_works_once_shown(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post("/v1/keys", headers=admin, json={"role": "reviewer", "name": "anna"})
    assert created.status_code == 201
    new_key = created.json()["key"]
    listed = client.get("/v1/keys", headers=admin).json()
    assert all("key" not in item for item in listed)
    assert client.get("/v1/documents", headers={"Authorization": f"Bearer {new_key}"}).status_code == 200


def test_unknown_role_is_rejected(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post("/v1/keys", headers=admin, json={"role": "superuser"})
    assert response.status_code == 400


def test_last_used_at_is_written_at_most_once_per_resolution(session: Session) -> None:
    plaintext = create_api_key(session, role=Role.UPLOADER)
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == plaintext.split("_")[1]))
    assert key is not None
    assert key.last_used_at is None

    authenticate(session, plaintext)
    session.refresh(key)
    first = key.last_used_at
    assert first is not None

    authenticate(session, plaintext)  # within the resolution: no write
    session.refresh(key)
    assert key.last_used_at == first

    key.last_used_at = first - LAST_USED_RESOLUTION - timedelta(seconds=1)
    session.flush()
    authenticate(session, plaintext)
    session.refresh(key)
    assert key.last_used_at is not None
    assert key.last_used_at > first - LAST_USED_RESOLUTION
