"""Payloads of the HTTP API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.finding import Finding


class ErrorRead(BaseModel):
    error: str
    detail: str


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sha256: str
    filename: str
    media_type: str
    size: int
    source: str
    status: str
    status_reason: str | None
    #: Only for `failed`: why, one of `app.errors.FailureCode` (`status_reason` has the detail).
    failure_code: str | None = None
    #: The failure code's meaning in a sentence.
    failure_message: str | None = None
    attempts: int = 0
    received_at: datetime
    status_updated_at: datetime
    #: Why it is where it is, in one code: the first review reason or error, else the status reason.
    top_reason: str | None = None


class StepResultRead(BaseModel):
    step: str
    created_at: datetime
    findings: list[Finding]
    data: dict[str, Any]


class DocumentDetail(DocumentRead):
    #: The canonical invoice, once extraction (or the e-invoice reader) has run.
    invoice: dict[str, Any] | None = None
    findings: list[Finding] = Field(default_factory=list)
    results: list[StepResultRead] = Field(default_factory=list)


class DocumentPage(BaseModel):
    items: list[DocumentRead]
    #: Pass as `cursor` to get the next page; null on the last page.
    next_cursor: str | None


class ApiKeyCreate(BaseModel):
    role: str
    name: str = Field(default="", max_length=128)


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    prefix: str
    role: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    #: Shown once; store it now.
    key: str


class Health(BaseModel):
    status: str
    checks: dict[str, str] = Field(default_factory=dict)
