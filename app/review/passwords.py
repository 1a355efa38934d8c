"""Passwords after the first: a person changes their own, an admin resets someone else's.

Either way the other sessions of that person end, so a password that leaked stops working everywhere.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import AuthError, NotFoundError, UploadError
from app.models import AuditEvent
from app.review.auth import authenticate_user, hash_password, normalize_username
from app.review.models import User, UserSession


def change_own_password(
    session: Session, user_id: int, *, current: str, new: str, repeated: str, keep: str | None = None
) -> User:
    """Set a new password after checking the current one; sessions other than the one whose CSRF token is
    `keep` (the one asking) end."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("Your user no longer exists.")
    try:
        authenticate_user(session, user.username, current)
    except AuthError as exc:
        raise AuthError("The current password is wrong.") from exc
    if new != repeated:
        raise UploadError("The new password and its repetition differ.")
    _set(session, user, new, keep=keep)
    session.add(AuditEvent(actor=user.actor, action="user.password", after={"username": user.username}))
    session.flush()
    return user


def reset_password(session: Session, name: str, new: str, *, actor: str) -> User:
    """An admin's reset: the new password holds at once and every session of the user ends."""
    user = session.scalar(select(User).where(User.username == normalize_username(name)))
    if user is None:
        raise NotFoundError(f"No user {name}.")
    _set(session, user, new, keep=None)
    session.add(AuditEvent(actor=actor, action="user.password_reset", after={"username": user.username}))
    session.flush()
    return user


def _set(session: Session, user: User, new: str, *, keep: str | None) -> None:
    user.password_hash = hash_password(new)  # refuses one that is too short
    others = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        others = others.where(UserSession.csrf_token != keep)
    session.execute(others)
