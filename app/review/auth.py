"""Users, passwords and login sessions of the review pages. Flushes, never commits.

Passwords are hashed with argon2id. A session is a random token in an HttpOnly, SameSite=Strict
cookie; the table keeps only its SHA-256, so a copy of the database opens no session. Each session
has its own CSRF token, which every form sends back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import AuthError, ConflictError, ForbiddenError, NotFoundError, UploadError
from app.models import AuditEvent, utcnow
from app.review.models import User, UserRole, UserSession

#: A working day; after that the reviewer logs in again.
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")

_hasher = PasswordHasher()


class LoginRequired(AuthError):
    """No valid session: the pages answer with the login form."""


class CsrfError(ForbiddenError):
    error = "csrf_failed"


@dataclass(frozen=True)
class Login:
    """The person behind a request and their session's CSRF token."""

    user_id: int
    username: str
    role: UserRole
    csrf_token: str

    @property
    def actor(self) -> str:
        return f"user:{self.username}"

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN

    def require_admin(self) -> None:
        if not self.is_admin:
            raise ForbiddenError("Only an admin can manage users.")


def normalize_username(name: str) -> str:
    username = name.strip().lower()
    if not USERNAME_PATTERN.fullmatch(username):
        raise UploadError("A user name has 2 to 64 characters: letters, digits, '.', '_' or '-'.")
    return username


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UploadError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    return _hasher.hash(password)


def create_user(session: Session, name: str, password: str, *, role: UserRole, actor: str) -> User:
    username = normalize_username(name)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ConflictError(f"The user {username} exists already.")
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    session.add(AuditEvent(actor=actor, action="user.create", after={"username": username, "role": role}))
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def disable_user(session: Session, name: str, *, actor: str) -> User:
    """Disable a user and end all their sessions at once."""
    user = session.scalar(select(User).where(User.username == normalize_username(name)))
    if user is None:
        raise NotFoundError(f"No user {name}.")
    if not user.disabled:
        if user.role == UserRole.ADMIN and _active_admins(session) == [user.id]:
            raise ConflictError(
                f"{user.username} is the last active admin; add another admin before disabling this one."
            )
        user.disabled = True
        session.execute(delete(UserSession).where(UserSession.user_id == user.id))
        session.add(AuditEvent(actor=actor, action="user.disable", before={"username": user.username}))
    session.flush()
    return user


def _active_admins(session: Session) -> list[int]:
    # FOR UPDATE: on PostgreSQL two admins disabling each other at once take turns.
    query = select(User.id).where(User.role == UserRole.ADMIN, User.disabled.is_(False)).order_by(User.id)
    return list(session.scalars(query.with_for_update()))


def authenticate_user(session: Session, name: str, password: str) -> User:
    """The user with this name and password; one message for every failure, so names cannot be probed."""
    user = session.scalar(select(User).where(User.username == name.strip().lower()))
    if user is None:
        _verify(_dummy_hash(), password)
        raise AuthError("Wrong user name or password.")
    if not _verify(user.password_hash, password) or user.disabled:
        raise AuthError("Wrong user name or password.")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


@cache
def _dummy_hash() -> str:
    # Verified when the user does not exist, so a wrong name takes as long as a wrong password.
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(session: Session, user: User) -> tuple[str, UserSession]:
    """A new session for `user`: `(token for the cookie, row)`. Also clears expired sessions."""
    now = utcnow()
    session.execute(delete(UserSession).where(UserSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    row = UserSession(
        token_hash=_token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(row)
    session.flush()
    return token, row


def load_session(session: Session, token: str) -> Login | None:
    """The login a cookie stands for; None for an unknown, expired or disabled one."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is None or row.expires_at <= utcnow() or row.user.disabled:
        return None
    return Login(
        user_id=row.user.id, username=row.user.username, role=row.user.role, csrf_token=row.csrf_token
    )


def end_session(session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))
    session.flush()


def check_csrf(expected: str, sent: object) -> None:
    if not isinstance(sent, str) or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfError("The form has expired or did not come from this site. Reload the page and try again.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
