"""The pages for passwords: your own (every user), anyone's reset (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Response

from app.errors import KontorError
from app.review.deps import CheckedAdmin, PagePost, PageUow, PageView
from app.review.passwords import change_own_password, reset_password
from app.review.web import PREFIX, redirect

router = APIRouter()

Secret = Annotated[str, Form()]
MESSAGES = {"changed": "Your password has been changed; your other sessions have ended."}


@router.get("/account")
def account_page(on: PageView, notice: str | None = None) -> Response:
    return on.page("account.html", notice=MESSAGES.get(notice or ""), message=None)


@router.post("/account/password")
def change_password(on: PagePost, current: Secret = "", new: Secret = "", repeated: Secret = "") -> Response:
    session, login = on.uow.session, on.login
    try:
        with session.begin_nested():
            change_own_password(
                session, login.user_id, current=current, new=new, repeated=repeated, keep=login.csrf_token
            )
    except KontorError as exc:
        return on.page("account.html", notice=None, message=exc.message, status_code=exc.status_code)
    return redirect(f"{PREFIX}/account?notice=changed")


@router.post("/users/{username}/password")
def reset(username: str, uow: PageUow, login: CheckedAdmin, password: Secret = "") -> Response:
    """An admin sets a new password for `username`; the user's sessions end."""
    reset_password(uow.session, username, password, actor=login.actor)
    return redirect(f"{PREFIX}/users?notice=reset")
