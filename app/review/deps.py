"""Dependencies of the review pages: the unit of work, the logged-in person, the CSRF check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response

from app.api.params import Id
from app.config import Settings
from app.deps import SettingsDep, UnitOfWork, get_uow
from app.review.auth import Login, LoginRequired, check_csrf, load_session
from app.review.web import base_context, page

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


@dataclass(frozen=True)
class PageRequest:
    """A request for one of the pages by a logged-in person: what its answer is made from."""

    request: Request
    uow: UnitOfWork
    login: Login

    def page(self, template: str, *, status_code: int = 200, **context: Any) -> Response:
        """`template` with `context` and what every page's header shows."""
        full = base_context(self.uow.session, self.login, **context)
        return page(self.request, template, full, status_code=status_code)


def page_request(request: Request, uow: PageUow, login: CurrentLogin) -> PageRequest:
    return PageRequest(request, uow, login)


PageView = Annotated[PageRequest, Depends(page_request)]


def checked_page_request(on: PageView, _login: CheckedLogin) -> PageRequest:
    """The request of a form post, its CSRF token checked."""
    return on


def admin_page_request(on: PageView, _login: AdminLogin) -> PageRequest:
    return on


def checked_admin_page_request(on: PageView, _login: CheckedAdmin) -> PageRequest:
    return on


#: Looking at a page; posting a form on it; the same on the admins' pages.
PagePost = Annotated[PageRequest, Depends(checked_page_request)]
AdminView = Annotated[PageRequest, Depends(admin_page_request)]
AdminPost = Annotated[PageRequest, Depends(checked_admin_page_request)]


@dataclass(frozen=True)
class DocumentRequest(PageRequest):
    """A request about one document's page: what its answer, the page or an error on it, is made from."""

    settings: Settings
    document_id: int


def document_request(
    request: Request, document_id: Id, uow: PageUow, login: CurrentLogin, settings: SettingsDep
) -> DocumentRequest:
    return DocumentRequest(request, uow, login, settings, document_id)


def checked_document_request(
    document: Annotated[DocumentRequest, Depends(document_request)], _login: CheckedLogin
) -> DocumentRequest:
    """The request of a form post on the document, its CSRF token checked."""
    return document


#: Looking at a document's page; changing what is on it.
DocumentView = Annotated[DocumentRequest, Depends(document_request)]
DocumentPost = Annotated[DocumentRequest, Depends(checked_document_request)]
