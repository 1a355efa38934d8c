"""The review pages' ids: out of range is a 422 before any query, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.api.params import MAX_ID
from app.review.models import User
from tests.app.review.conftest import log_in

PAGES = [
    ("GET", "/review/documents/{id}"),
    ("GET", "/review/documents/{id}/next"),
    ("GET", "/review/documents/{id}/pages/1.png"),
    ("GET", "/review/documents/{id}/original"),
    ("POST", "/review/documents/{id}/fields"),
    ("POST", "/review/documents/{id}/approve"),
    ("POST", "/review/documents/{id}/reject"),
    ("POST", "/review/documents/{id}/reprocess"),
]


@pytest.mark.parametrize("bad_id", [0, -1, MAX_ID + 1, 2**63, 10**40])
@pytest.mark.parametrize(("method", "path"), PAGES)
def test_a_page_with_an_id_out_of_range_is_a_422(
    client: TestClient, reviewer_user: User, method: str, path: str, bad_id: int
) -> None:
    csrf = log_in(client, "rita")
    data = {"csrf_token": csrf} if method == "POST" else None
    response = client.request(method, path.format(id=bad_id), data=data, follow_redirects=False)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_a_page_with_the_largest_id_is_not_found(
    client: TestClient, reviewer_user: User, method: str, path: str
) -> None:
    csrf = log_in(client, "rita")
    data = {"csrf_token": csrf, "field": "invoice_number", "reason": "x"} if method == "POST" else None
    response = client.request(method, path.format(id=MAX_ID), data=data, follow_redirects=False)
    assert response.status_code == 404, response.text
