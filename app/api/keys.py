"""/v1/keys: API key management for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select

from app.api.params import AUTH_ERRORS, errors
from app.deps import Admin, SessionDep
from app.errors import UploadError
from app.models import ApiKey, AuditEvent, Role
from app.security import create_key, revoke_key
from schemas.api import ApiKeyCreate, ApiKeyCreated, ApiKeyRead

router = APIRouter(prefix="/v1/keys", tags=["keys"], responses=AUTH_ERRORS)

#: What `keys list` shows: the hex prefix of a key (the part after `ktr_`).
Prefix = Annotated[str, Path(min_length=1, max_length=16, pattern="^[0-9a-f]+$")]


@router.get("", response_model=list[ApiKeyRead])
def list_keys(session: SessionDep, _admin: Admin) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


@router.post("", status_code=201, response_model=ApiKeyCreated, responses=errors(400))
def new_key(body: ApiKeyCreate, session: SessionDep, admin: Admin) -> ApiKeyCreated:
    try:
        role = Role(body.role)
    except ValueError as exc:
        raise UploadError(f"Unknown role {body.role!r}; use uploader, reviewer or admin.") from exc
    key, plaintext = create_key(session, role=role, name=body.name)
    session.add(
        AuditEvent(actor=admin.actor, action="key.create", after={"prefix": key.prefix, "role": role})
    )
    return ApiKeyCreated(**ApiKeyRead.model_validate(key).model_dump(), key=plaintext)


@router.delete("/{prefix}", response_model=ApiKeyRead, responses=errors(404, 409))
def delete_key(prefix: Prefix, session: SessionDep, admin: Admin) -> ApiKey:
    """Revoke a key; the last active admin key is refused (409), so the API always has an admin."""
    key = revoke_key(session, prefix)
    session.add(AuditEvent(actor=admin.actor, action="key.revoke", before={"prefix": prefix}))
    return key
