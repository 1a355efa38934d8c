from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.orm import Session

from app.review.models import User, UserRole
from tests.app.review.browser import CHROMIUM_ARGS, chromium_path
from tests.app.review.factories import PASSWORD, create_user

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form as a browser does; returns the session's CSRF token."""
    form = client.get("/review/login")
    response = client.post(
        "/review/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(form.text),
            "next": "/review",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/review").text)


@pytest.fixture
def reviewer_user(session: Session) -> User:
    return create_user(session, username="rita", role=UserRole.REVIEWER)


@pytest.fixture
def admin_user(session: Session) -> User:
    return create_user(session, username="adam", role=UserRole.ADMIN)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the end-to-end tests, one per test module."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
