"""API keys: random, shown once, stored as SHA-256 (they carry 256 bits, so no slow hash is needed)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.errors import AuthError, ConflictError, ForbiddenError, NotFoundError
from app.models import ApiKey, Role, utcnow

KEY_PREFIX = "ktr"
#: How stale `ApiKey.last_used_at` may be: it says whether a key is in use, not how often.
LAST_USED_RESOLUTION = timedelta(minutes=1)

#: What each role may do, cumulatively: reviewers can do what uploaders can, admins everything.
ROLE_RANK: dict[Role, int] = {Role.UPLOADER: 0, Role.REVIEWER: 1, Role.ADMIN: 2}


@dataclass(frozen=True)
class Principal:
    key_id: int
    prefix: str
    role: Role
    name: str
    #: The person the key belongs to (`user:NAME`), if it was created for one.
    user: str | None = None

    @property
    def actor(self) -> str:
        return f"key:{self.prefix}"

    @property
    def person(self) -> str:
        """Who acts: the key's owner, else the key itself."""
        return self.user or self.actor

    def require(self, role: Role) -> None:
        if ROLE_RANK[self.role] < ROLE_RANK[role]:
            raise ForbiddenError(f"This needs the {role.value} role; your key has {self.role.value}.")


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    session: Session, *, role: Role, name: str = "", user_id: int | None = None
) -> tuple[ApiKey, str]:
    """A new key, optionally a person's; the plaintext is returned once and never stored."""
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(prefix=prefix, key_hash=hash_key(plaintext), role=role, name=name, user_id=user_id)
    session.add(key)
    session.flush()
    return key, plaintext


def authenticate(session: Session, plaintext: str) -> Principal:
    """The key's principal; `last_used_at` is written at most once per `LAST_USED_RESOLUTION`.

    Call it in a short transaction of its own, never in the request's: a busy key would otherwise hold
    a row lock (PostgreSQL) or the write lock (SQLite) for as long as the slowest request using it.
    """
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise AuthError("The API key is malformed.")
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(plaintext)):
        raise AuthError("The API key is not valid.")
    if key.revoked_at is not None:
        raise AuthError("The API key has been revoked.")
    user = _owner(session, key)
    _touch(session, key)
    return Principal(key_id=key.id, prefix=key.prefix, role=key.role, name=key.name, user=user)


def _owner(session: Session, key: ApiKey) -> str | None:
    """`user:NAME` of the key's owner; a disabled owner's keys stop working with their login."""
    if key.user_id is None:
        return None
    from app.review.models import User  # the review package owns the people

    owner = session.get(User, key.user_id)
    if owner is None:
        return None
    if owner.disabled:
        raise AuthError("The API key belongs to a disabled user.")
    return owner.actor


def _touch(session: Session, key: ApiKey) -> None:
    now = utcnow()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    # Conditional, so that of many parallel requests with one key only the first writes.
    session.execute(
        update(ApiKey)
        .where(ApiKey.id == key.id)
        .where(or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - LAST_USED_RESOLUTION))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def revoke_key(session: Session, prefix: str) -> ApiKey:
    """Revoke a key; never the last active admin key, which would lock every admin out of the API."""
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise NotFoundError(f"No API key with prefix {prefix}.")
    if key.revoked_at is None:
        if key.role == Role.ADMIN and _active_admin_keys(session) == [key.id]:
            raise ConflictError(
                f"{prefix} is the last active admin key; create another admin key before revoking it."
            )
        key.revoked_at = utcnow()
    session.flush()
    return key


def has_admin_key(session: Session) -> bool:
    return (
        session.scalar(
            select(ApiKey.id).where(ApiKey.role == Role.ADMIN, ApiKey.revoked_at.is_(None)).limit(1)
        )
        is not None
    )


def _active_admin_keys(session: Session) -> list[int]:
    # FOR UPDATE (PostgreSQL): two admins revoking the last two admin keys at once take turns, and the
    # second sees the first's revocation. SQLite lets only one writer in at a time anyway.
    return list(
        session.scalars(
            select(ApiKey.id)
            .where(ApiKey.role == Role.ADMIN, ApiKey.revoked_at.is_(None))
            .order_by(ApiKey.id)
            .with_for_update()
        )
    )
