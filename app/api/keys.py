"""/v1/keys: API key management for admins."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from app.deps import Admin, SessionDep
from app.errors import UploadError
from app.models import ApiKey, AuditEvent, Role
from app.security import create_key, revoke_key
from schemas.api import ApiKeyCreate, ApiKeyCreated, ApiKeyRead

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.get("", response_model=list[ApiKeyRead])
def list_keys(session: SessionDep, _admin: Admin) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


@router.post("", status_code=201, response_model=ApiKeyCreated)
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


@router.delete("/{prefix}", response_model=ApiKeyRead)
def delete_key(prefix: str, session: SessionDep, admin: Admin) -> ApiKey:
    key = revoke_key(session, prefix)
    session.add(AuditEvent(actor=admin.actor, action="key.revoke", before={"prefix": prefix}))
    return key
