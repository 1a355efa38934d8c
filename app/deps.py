"""FastAPI dependencies as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import session_scope
from app.errors import AuthError
from app.models import Role
from app.security import Principal, authenticate


@dataclass
class UnitOfWork:
    """The request's session and what must happen only once its transaction has committed."""

    session: Session
    after_commit: list[Callable[[], Any]] = field(default_factory=list)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    with session_scope(request.app.state.sessionmaker) as session:
        uow = UnitOfWork(session)
        yield uow
    for callback in uow.after_commit:
        callback()


def get_session(uow: Annotated[UnitOfWork, Depends(get_uow)]) -> Session:
    return uow.session


_bearer = HTTPBearer(auto_error=False)


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The API key's principal, checked in a short transaction of its own (see `authenticate`)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthError("Send an API key as `Authorization: Bearer <key>`.")
    with session_scope(request.app.state.sessionmaker) as session:
        return authenticate(session, credentials.credentials)


def require(role: Role) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        principal.require(role)
        return principal

    return check


SettingsDep = Annotated[Settings, Depends(get_settings)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]
SessionDep = Annotated[Session, Depends(get_session)]
Uploader = Annotated[Principal, Depends(require(Role.UPLOADER))]
Reviewer = Annotated[Principal, Depends(require(Role.REVIEWER))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
