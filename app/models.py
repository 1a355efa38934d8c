"""The ORM: documents and their originals, per-step results, the audit trail, API keys."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app.db import Base, UTCDateTime, string_enum
from app.errors import FailureCode
from app.ops.audit_chain import link


def utcnow() -> datetime:
    return datetime.now(UTC)


class Status(enum.StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    BOOKED = "booked"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"
    FAILED = "failed"


class Role(enum.StrEnum):
    UPLOADER = "uploader"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Source(enum.StrEnum):
    API = "api"
    MAIL = "mail"
    CLI = "cli"


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    source: Mapped[Source] = mapped_column(string_enum(Source, "document_source"))
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[Status] = mapped_column(string_enum(Status, "document_status"), default=Status.RECEIVED)
    status_updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_reason: Mapped[str | None] = mapped_column(Text)
    #: Set with `failed` only: why, as one of a closed set of codes (`status_reason` has the detail).
    failure_code: Mapped[FailureCode | None] = mapped_column(string_enum(FailureCode, "failure_code"))
    #: Claims by a worker since the upload or the last reprocess; capped by `limits.max_attempts`.
    attempts: Mapped[int] = mapped_column(default=0)
    #: When the retention purge removed the original (the row stays as a tombstone with its hash).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    results: Mapped[list[StepResult]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="StepResult.id"
    )

    __table_args__ = (Index("ix_documents_status_id", "status", "id"),)

    @property
    def failure_message(self) -> str | None:
        return self.failure_code.message if self.failure_code is not None else None


class StepResult(Base):
    """What one pipeline step made of one document; a rerun replaces it."""

    __tablename__ = "step_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Wall-clock seconds the step took, and the questions it put to the model (metrics).
    seconds: Mapped[float | None] = mapped_column(Float)
    model_questions: Mapped[int | None]

    document: Mapped[Document] = relationship(back_populates="results")

    __table_args__ = (UniqueConstraint("document_id", "step"),)


class AuditEvent(Base):
    """Append-only: who did what to which document, with the state before and after."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The hash chain (`app.ops.audit_chain`): this row's hash and its predecessor's.
    prev_sha256: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str | None] = mapped_column(String(64))

    # One INSERT at a time, so that each row's `link()` sees the row inserted before it.
    __mapper_args__ = {"batch": False}  # noqa: RUF012


@event.listens_for(AuditEvent, "before_insert")
def _chain_audit_event(_mapper: Mapper[AuditEvent], connection: Connection, target: AuditEvent) -> None:
    link(connection, target)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[Role] = mapped_column(string_enum(Role, "api_key_role"))
    name: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The person the key acts for: the four-eyes rule compares people, not credentials.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
