"""Dependencies of the review pages: the unit of work, the logged-in person, the CSRF check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.deps import UnitOfWork, get_uow
from app.review.auth import Login, LoginRequired, check_csrf, load_session

SESSION_COOKIE = "kontor_session"
LOGIN_CSRF_COOKIE = "kontor_login_csrf"

# "function" scope commits before the response leaves: the page a redirect leads to sees the change.
PageUow = Annotated[UnitOfWork, Depends(get_uow, scope="function")]


def current_login(request: Request, uow: PageUow) -> Login:
    """The session cookie's login; API keys do not count here, whatever their role."""
    token = request.cookies.get(SESSION_COOKIE)
    login = load_session(uow.session, token) if token else None
    if login is None:
        raise LoginRequired("Log in to review documents.")
    return login


CurrentLogin = Annotated[Login, Depends(current_login)]


async def checked_login(request: Request, login: CurrentLogin) -> Login:
    """The login of a form post whose CSRF token matches the session's."""
    form = await request.form()
    check_csrf(login.csrf_token, form.get("csrf_token"))
    return login


def admin_login(login: CurrentLogin) -> Login:
    login.require_admin()
    return login


async def checked_admin(request: Request, login: Annotated[Login, Depends(admin_login)]) -> Login:
    form = await request.form()
    check_csrf(login.csrf_token, form.get("csrf_token"))
    return login


CheckedLogin = Annotated[Login, Depends(checked_login)]
AdminLogin = Annotated[Login, Depends(admin_login)]
CheckedAdmin = Annotated[Login, Depends(checked_admin)]
