"""Logging in, sessions, CSRF and roles of the review pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Document, Role, utcnow
from app.review.auth import start_session
from app.review.models import User, UserSession
from app.review.web import safe_next
from tests.app.review.conftest import csrf_of, log_in
from tests.app.review.factories import PASSWORD, create_flagged_invoice
from tests.factories import create_api_key


def test_login_sets_a_strict_httponly_session_cookie(client: TestClient, reviewer_user: User) -> None:
    form = client.get("/review/login")
    response = client.post(
        "/review/login",
        data={"username": "Rita", "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": "/review"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/review"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("kontor_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/review" in cookie
    queue = client.get("/review")
    assert queue.status_code == 200
    assert "rita (reviewer)" in queue.text
    assert "default-src 'none'" in queue.headers["content-security-policy"]


def test_the_session_table_keeps_no_usable_token(
    client: TestClient, session: Session, reviewer_user: User
) -> None:
    log_in(client, "rita")
    token = client.cookies["kontor_session"]
    stored = session.scalars(select(UserSession.token_hash)).all()
    assert stored
    assert token not in stored


@pytest.mark.parametrize(("username", "password"), [("rita", "wrong password!"), ("nobody", PASSWORD)])
def test_a_wrong_name_or_password_gets_one_answer(
    client: TestClient, reviewer_user: User, username: str, password: str
) -> None:
    form = client.get("/review/login")
    response = client.post(
        "/review/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "Wrong user name or password." in response.text
    assert "kontor_session" not in response.cookies


def test_a_disabled_user_cannot_log_in(client: TestClient, session: Session, reviewer_user: User) -> None:
    reviewer_user.disabled = True
    session.flush()
    form = client.get("/review/login")
    response = client.post(
        "/review/login",
        data={"username": "rita", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 401


def test_the_login_form_needs_its_csrf_token(client: TestClient, reviewer_user: User) -> None:
    client.get("/review/login")
    response = client.post(
        "/review/login", data={"username": "rita", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "kontor_session" not in response.cookies


@pytest.mark.parametrize("path", ["/review", "/review/documents/1", "/review/users"])
def test_pages_without_a_session_lead_to_the_login(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/review/login?next={path}"


@pytest.mark.parametrize("role", list(Role))
def test_api_keys_do_not_open_the_pages(client: TestClient, session: Session, role: Role) -> None:
    headers = {"Authorization": f"Bearer {create_api_key(session, role=role)}"}
    response = client.get("/review", headers=headers, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/review/login")


def test_an_uploader_key_cannot_approve(client: TestClient, session: Session) -> None:
    document = create_flagged_invoice(session)
    headers = {"Authorization": f"Bearer {create_api_key(session, role=Role.UPLOADER)}"}
    api = client.post(f"/v1/documents/{document.id}/approve", headers=headers)
    assert api.status_code == 403
    page = client.post(f"/review/documents/{document.id}/approve", headers=headers, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/review/login")
    session.refresh(document)
    assert document.status.value == "needs_review"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/review/documents/{id}/approve", {}),
        ("/review/documents/{id}/reject", {"reason": "duplicate"}),
        ("/review/documents/{id}/fields", {"field": "gross_total", "value": "104.90"}),
        ("/review/documents/{id}/reprocess", {}),
        ("/review/logout", {}),
    ],
)
def test_a_form_post_without_the_token_fails(
    client: TestClient, session: Session, reviewer_user: User, path: str, data: dict[str, str]
) -> None:
    document = create_flagged_invoice(session)
    log_in(client, "rita")
    response = client.post(path.format(id=document.id), data=data, follow_redirects=False)
    _assert_refused(client, session, document, response.status_code, response.text)


@pytest.mark.parametrize("token", ["wrong", "another session's"])
def test_a_form_post_with_a_token_not_of_this_session_fails(
    client: TestClient, session: Session, reviewer_user: User, token: str
) -> None:
    document = create_flagged_invoice(session)
    log_in(client, "rita")
    _other, other_session = start_session(session, reviewer_user)
    sent = other_session.csrf_token if token == "another session's" else "x" * 43
    response = client.post(
        f"/review/documents/{document.id}/approve", data={"csrf_token": sent}, follow_redirects=False
    )
    _assert_refused(client, session, document, response.status_code, response.text)


def _assert_refused(client: TestClient, session: Session, document: Document, status: int, text: str) -> None:
    assert status == 403
    assert "did not come from this site" in text
    session.refresh(document)
    assert document.status.value == "needs_review"
    assert client.get("/review").status_code == 200  # still logged in
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.document_id == document.id)).all()
    assert events == ["upload"]


def test_logout_ends_the_session(client: TestClient, reviewer_user: User) -> None:
    csrf = log_in(client, "rita")
    token = client.cookies["kontor_session"]
    response = client.post("/review/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.headers["location"] == "/review/login"
    client.cookies.set("kontor_session", token, path="/review")
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_an_expired_session_is_refused(client: TestClient, session: Session, reviewer_user: User) -> None:
    log_in(client, "rita")
    for row in session.scalars(select(UserSession)):
        row.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_a_reviewer_cannot_manage_users(client: TestClient, session: Session, reviewer_user: User) -> None:
    csrf = log_in(client, "rita")
    assert client.get("/review/users").status_code == 403
    response = client.post(
        "/review/users",
        data={"csrf_token": csrf, "username": "mallory", "password": PASSWORD, "role": "admin"},
    )
    assert response.status_code == 403
    assert "Only an admin" in response.text
    assert session.scalar(select(User).where(User.username == "mallory")) is None
    assert "/review/users" not in client.get("/review").text


def test_an_admin_adds_and_disables_users(
    client: TestClient, session: Session, admin_user: User, reviewer_user: User
) -> None:
    csrf = log_in(client, "adam")
    added = client.post(
        "/review/users",
        data={"csrf_token": csrf, "username": "Paula", "password": PASSWORD, "role": "reviewer"},
    )
    assert added.status_code == 200
    assert "paula" in added.text
    start_session(session, reviewer_user)
    disabled = client.post("/review/users/rita/disable", data={"csrf_token": csrf})
    assert disabled.status_code == 200
    session.refresh(reviewer_user)
    assert reviewer_user.disabled
    assert session.scalars(select(UserSession).where(UserSession.user_id == reviewer_user.id)).all() == []
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "user:adam")).all()
    assert actions == ["user.create", "user.disable"]


def test_an_admin_is_told_why_a_user_cannot_be_added(client: TestClient, admin_user: User) -> None:
    csrf = log_in(client, "adam")
    short = client.post(
        "/review/users",
        data={"csrf_token": csrf, "username": "paula", "password": "short", "role": "reviewer"},
    )
    assert short.status_code == 400
    assert "at least 10 characters" in short.text
    taken = client.post(
        "/review/users",
        data={"csrf_token": csrf, "username": "adam", "password": PASSWORD, "role": "reviewer"},
    )
    assert taken.status_code == 409


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/review/documents/3", "/review/documents/3"),
        ("https://evil.example/review", "/review"),
        ("//evil.example/review", "/review"),
        ("/v1/keys", "/review"),
        (None, "/review"),
    ],
)
def test_after_login_only_review_pages_are_followed(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected
