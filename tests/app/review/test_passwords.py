"""Passwords: a person changes their own on the page; an admin resets one on the page or with the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import get_sessionmaker, session_scope
from app.errors import AuthError
from app.models import AuditEvent
from app.review.auth import authenticate_user
from app.review.models import User
from tests.app.review.conftest import log_in
from tests.app.review.factories import PASSWORD
from tests.app.review.test_users_cli import kontor

NEW_PASSWORD = "a new and longer secret"


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_user_changes_their_own_password(client: TestClient, session: Session, reviewer_user: User) -> None:
    csrf = log_in(client, "rita")
    assert client.get("/review/account").status_code == 200
    wrong = {"csrf_token": csrf, "current": "not it at all", "new": NEW_PASSWORD, "repeated": NEW_PASSWORD}
    refused = client.post("/review/account/password", data=wrong)
    assert refused.status_code == 401
    assert "The current password is wrong" in refused.text
    differ = {"csrf_token": csrf, "current": PASSWORD, "new": NEW_PASSWORD, "repeated": NEW_PASSWORD + "!"}
    assert client.post("/review/account/password", data=differ).status_code == 400
    right = {"csrf_token": csrf, "current": PASSWORD, "new": NEW_PASSWORD, "repeated": NEW_PASSWORD}
    changed = client.post("/review/account/password", data=right)
    assert changed.status_code == 200
    assert "Your password has been changed" in changed.text  # still logged in: this session was kept
    session.expire_all()
    assert authenticate_user(session, "rita", NEW_PASSWORD).username == "rita"
    with pytest.raises(AuthError):
        authenticate_user(session, "rita", PASSWORD)
    assert "user.password" in _actions(session)


def test_an_admin_resets_a_password_and_disables_a_user(
    client: TestClient, session: Session, admin_user: User, reviewer_user: User
) -> None:
    csrf = log_in(client, "adam")
    assert 'action="/review/users/rita/password"' in client.get("/review/users").text
    reset = client.post("/review/users/rita/password", data={"csrf_token": csrf, "password": NEW_PASSWORD})
    assert reset.status_code == 200
    session.expire_all()
    assert authenticate_user(session, "rita", NEW_PASSWORD).username == "rita"
    assert client.post("/review/users/rita/disable", data={"csrf_token": csrf}).status_code == 200
    session.refresh(reviewer_user)
    assert reviewer_user.disabled
    assert {"user.password_reset", "user.disable"} <= set(_actions(session))


def test_a_reviewer_cannot_reset_anothers_password(
    client: TestClient, session: Session, admin_user: User, reviewer_user: User
) -> None:
    csrf = log_in(client, "rita")
    refused = client.post("/review/users/adam/password", data={"csrf_token": csrf, "password": NEW_PASSWORD})
    assert refused.status_code == 403
    assert authenticate_user(session, "adam", PASSWORD).username == "adam"


def test_the_cli_resets_a_password(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    assert (
        kontor(
            "users", "add", "anna", "--role", "reviewer", "--password-stdin", env=env, stdin=PASSWORD
        ).returncode
        == 0
    )
    reset = kontor("users", "reset-password", "anna", "--password-stdin", env=env, stdin=NEW_PASSWORD)
    assert reset.returncode == 0, reset.stderr
    with session_scope(get_sessionmaker(live_database_url)) as session:
        assert authenticate_user(session, "anna", NEW_PASSWORD).username == "anna"
    assert (
        kontor(
            "users", "reset-password", "nobody", "--password-stdin", env=env, stdin=NEW_PASSWORD
        ).returncode
        == 1
    )
