"""Tables of the operations side: the audit chain's head and the record of backups and checks."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, string_enum
from app.models import utcnow


class AuditChain(Base):
    """One row: the hash of the newest audit row and how many rows the chain has."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    head_sha256: Mapped[str] = mapped_column(String(64))
    length: Mapped[int]


class OpsKind(enum.StrEnum):
    BACKUP = "backup"
    INTEGRITY = "integrity"
    PURGE = "purge"
    MAIL = "mail"


class OpsRun(Base):
    """One backup, integrity check, purge or mail run: when, whether it worked, what it found or wrote."""

    __tablename__ = "ops_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OpsKind] = mapped_column(string_enum(OpsKind, "ops_kind", length=16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ok: Mapped[bool]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_ops_runs_kind_id", "kind", "id"),)
