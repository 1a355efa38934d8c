"""The review login's throttle: per user name and per address, in the database, audited."""

from __future__ import annotations

from datetime import timedelta

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.config import LoginSettings, Settings
from app.main import create_app
from app.models import AuditEvent
from app.review.models import LoginFailure, User
from app.worker import Queue
from tests.app.review.conftest import csrf_of
from tests.app.review.factories import PASSWORD

LIMITS = LoginSettings(max_failures_per_user=3, max_failures_per_address=5, window_seconds=600)


@pytest.fixture
def throttled(settings: Settings) -> LoginSettings:
    settings.login = LIMITS.model_copy()
    return settings.login


def attempt(client: TestClient, username: str, password: str) -> httpx2.Response:
    form = client.get("/review/login")
    return client.post(
        "/review/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )


def fail(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        assert attempt(client, username, "not the password").status_code == 401


def let_the_window_pass(session: Session, login: LoginSettings) -> None:
    """What waiting `Retry-After` seconds does, without waiting: every failure leaves the window."""
    for failure in session.scalars(select(LoginFailure)):
        failure.at -= timedelta(seconds=login.window_seconds)
    session.flush()


def test_too_many_failures_for_a_name_are_refused_then_the_password_works_after_the_wait(
    client: TestClient, session: Session, reviewer_user: User, throttled: LoginSettings
) -> None:
    fail(client, "rita", throttled.max_failures_per_user)
    refused = attempt(client, "rita", PASSWORD)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= throttled.window_seconds
    assert "Too many failed logins" in refused.text
    assert "kontor_session" not in refused.cookies
    let_the_window_pass(session, throttled)
    assert attempt(client, "rita", PASSWORD).status_code == 303


def test_reaching_the_limit_is_audited_once(
    client: TestClient, session: Session, reviewer_user: User, throttled: LoginSettings
) -> None:
    fail(client, "rita", throttled.max_failures_per_user)
    attempt(client, "rita", PASSWORD)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "login.throttled")).all()
    assert len(events) == 1
    assert events[0].after is not None
    assert events[0].after["username"] == "rita"
    assert events[0].after["by"] == "user"


def test_failures_from_one_address_throttle_every_name_from_it(
    client: TestClient, reviewer_user: User, throttled: LoginSettings
) -> None:
    for i in range(throttled.max_failures_per_address):
        fail(client, f"guess{i}", 1)
    refused = attempt(client, "rita", PASSWORD)
    assert refused.status_code == 429
    assert "retry-after" in refused.headers


def test_a_name_throttled_from_one_address_is_refused_from_another(
    settings: Settings,
    memory_queue: Queue,
    session_factory: sessionmaker[Session],
    reviewer_user: User,
    throttled: LoginSettings,
) -> None:
    # Two app instances over one database stand for two worker processes: the count is shared.
    with (
        _client(settings, memory_queue, session_factory, "10.0.0.1") as first,
        _client(settings, memory_queue, session_factory, "10.0.0.2") as second,
    ):
        fail(first, "rita", throttled.max_failures_per_user)
        assert attempt(second, "rita", PASSWORD).status_code == 429


def test_a_successful_login_forgets_the_names_failures(
    client: TestClient, reviewer_user: User, throttled: LoginSettings
) -> None:
    fail(client, "rita", throttled.max_failures_per_user - 1)
    assert attempt(client, "rita", PASSWORD).status_code == 303
    client.cookies.clear()
    fail(client, "rita", throttled.max_failures_per_user - 1)
    assert attempt(client, "rita", PASSWORD).status_code == 303


def _client(
    settings: Settings, queue: Queue, session_factory: sessionmaker[Session], address: str
) -> TestClient:
    app = create_app(settings, queue=queue)
    app.state.sessionmaker = session_factory
    return TestClient(app, client=(address, 50000))
