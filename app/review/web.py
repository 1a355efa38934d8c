"""Rendering the review pages: templates, security headers, the error page and static files."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from app.errors import KontorError
from app.review.auth import Login, LoginRequired
from app.review.queue import queue_count

HERE = Path(__file__).resolve().parent
PREFIX = "/review"
STATIC_PATH = f"{PREFIX}/static"
STATIC_NAME = "review-static"

templates = Jinja2Templates(directory=HERE / "templates")

#: No inline script or style and nothing from elsewhere: injected markup can do little.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


@cache
def static_version() -> str:
    """Changes whenever a static file does, so browsers never keep an old script."""
    digest = hashlib.sha256()
    for path in sorted((HERE / "static").iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    response = templates.TemplateResponse(
        request, template, {"static_version": static_version(), **context}, status_code=status_code
    )
    response.headers.update(PAGE_HEADERS)
    return response


def redirect(url: str) -> RedirectResponse:
    # 303: the browser follows a form post with a GET, so reloading never posts twice.
    return RedirectResponse(url, status_code=303)


def is_page_request(request: Request) -> bool:
    path = request.url.path
    return (path == PREFIX or path.startswith(f"{PREFIX}/")) and not path.startswith(STATIC_PATH)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path of these pages, never another site."""
    if (
        target
        and (target == PREFIX or target.startswith((f"{PREFIX}/", f"{PREFIX}?")))
        and "\\" not in target
    ):
        return target
    return PREFIX


def error_page(request: Request, exc: KontorError) -> Response:
    """A `KontorError` on a page: the login form when the session is missing, else a page saying why."""
    if isinstance(exc, LoginRequired):
        query = f"?{request.url.query}" if request.url.query else ""
        target = f"{request.url.path}{query}" if request.method == "GET" else PREFIX
        return redirect(f"{PREFIX}/login?next={quote(target)}")
    context = {"status_code": exc.status_code, "error": exc.error, "message": exc.message, "login": None}
    return page(request, "error.html", context, status_code=exc.status_code)


def base_context(session: Session, login: Login | None, **extra: Any) -> dict[str, Any]:
    """What every page's header shows: who is logged in and how many documents wait."""
    return {"login": login, "queue_count": queue_count(session) if login else None, **extra}
