"""Logging in and out, and the admins' page for managing users."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from app.deps import SettingsDep
from app.errors import ConflictError, KontorError, TooManyRequestsError
from app.review import throttle
from app.review.auth import (
    SESSION_LIFETIME,
    authenticate_user,
    check_csrf,
    create_user,
    disable_user,
    end_session,
    list_users,
    load_session,
    start_session,
)
from app.review.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AdminPost,
    AdminView,
    CheckedAdmin,
    CheckedLogin,
    PageRequest,
    PageUow,
)
from app.review.models import UserRole
from app.review.web import PREFIX, page, redirect, safe_next

router = APIRouter()

LOGIN_PATH = f"{PREFIX}/login"


@router.get("/login")
def login_form(
    request: Request, uow: PageUow, next_url: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and load_session(uow.session, token) is not None:
        return redirect(safe_next(next_url))
    return _login_page(request, next_url=next_url)


def _login_page(
    request: Request, *, next_url: str | None, message: str | None = None, status_code: int = 200
) -> Response:
    # Before a session exists the form's CSRF token is checked against a cookie (double submit).
    csrf = secrets.token_urlsafe(32)
    context = {"login": None, "csrf_token": csrf, "next": safe_next(next_url), "message": message}
    response = page(request, "login.html", context, status_code=status_code)
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, csrf, path=LOGIN_PATH, max_age=3600)
    return response


@router.post("/login")
def login(
    request: Request,
    uow: PageUow,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next_url: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token)
    attempt = throttle.Attempt.of(username, request.client.host if request.client else None)
    try:
        # Checked before the password, so a throttled guess costs no argon2 and learns nothing.
        throttle.check(uow.session, attempt, settings.login)
        user = authenticate_user(uow.session, username, password)
    except TooManyRequestsError as exc:
        response = _login_page(request, next_url=next_url, message=exc.message, status_code=exc.status_code)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except KontorError as exc:
        throttle.record_failure(uow.session, attempt, settings.login)
        return _login_page(request, next_url=next_url, message=exc.message, status_code=exc.status_code)
    throttle.clear(uow.session, attempt)
    token, _row = start_session(uow.session, user)
    response = redirect(safe_next(next_url))
    _set_cookie(
        request, response, SESSION_COOKIE, token, path=PREFIX, max_age=int(SESSION_LIFETIME.total_seconds())
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout")
def logout(request: Request, uow: PageUow, _login: CheckedLogin) -> Response:
    end_session(uow.session, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect(LOGIN_PATH)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


def _set_cookie(
    request: Request, response: Response, name: str, value: str, *, path: str, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="strict",
        # Behind TLS (directly or through a proxy uvicorn trusts) the cookie never travels in the clear.
        secure=request.url.scheme == "https",
    )


@router.get("/users")
def users_page(on: AdminView) -> Response:
    return _users_page(on)


def _users_page(on: PageRequest, *, message: str | None = None, status_code: int = 200) -> Response:
    users = list_users(on.uow.session)
    return on.page("users.html", users=users, roles=list(UserRole), message=message, status_code=status_code)


@router.post("/users")
def add_user(
    on: AdminPost,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    role: Annotated[UserRole, Form()] = UserRole.REVIEWER,
) -> Response:
    try:
        with on.uow.session.begin_nested():
            create_user(on.uow.session, username, password, role=role, actor=on.login.actor)
    except KontorError as exc:
        return _users_page(on, message=exc.message, status_code=exc.status_code)
    return redirect(f"{PREFIX}/users")


@router.post("/users/{username}/disable")
def disable(username: str, uow: PageUow, login: CheckedAdmin) -> Response:
    if username == login.username:
        raise ConflictError("You cannot disable yourself; ask another admin.")
    disable_user(uow.session, username, actor=login.actor)
    return redirect(f"{PREFIX}/users")
