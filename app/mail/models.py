"""The mail ledger: every message looked at, what became of it, and the lock that serialises runs."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, string_enum
from app.models import Document, utcnow


class Outcome(enum.StrEnum):
    #: Taken by a run that has not finished it (or crashed): the next run picks it up again.
    CLAIMED = "claimed"
    INGESTED = "ingested"
    DUPLICATE = "duplicate"
    NO_ATTACHMENT = "no_attachment"
    UNSUPPORTED = "unsupported"
    TOO_LARGE = "too_large"
    FAILED = "failed"


#: Outcomes after which the message is moved or flagged on the server and never looked at again.
SETTLED = frozenset(Outcome) - {Outcome.CLAIMED, Outcome.FAILED}

mail_message_documents = Table(
    "mail_message_documents",
    Base.metadata,
    Column("mail_message_id", ForeignKey("mail_messages.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)


class MailMessage(Base):
    """One message of one source, keyed by its Message-ID (or a hash of the raw message)."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    message_key: Mapped[str] = mapped_column(String(255))
    outcome: Mapped[Outcome] = mapped_column(string_enum(Outcome, "mail_outcome"))
    reason: Mapped[str | None] = mapped_column(Text)
    #: Claims so far, including ones a crash never finished: bounded by `mail.retry_limit`.
    attempts: Mapped[int] = mapped_column(default=0)
    #: From, Reply-To, Message-ID, Date, Subject and the Authentication-Results verdicts.
    sender: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: When the message was moved or flagged on the server; None while it still waits there.
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    documents: Mapped[list[Document]] = relationship(
        secondary=mail_message_documents, order_by=Document.id, lazy="selectin"
    )

    __table_args__ = (
        UniqueConstraint("source", "message_key"),
        Index("ix_mail_messages_outcome_id", "outcome", "id"),
    )

    @property
    def document_ids(self) -> list[int]:
        return [document.id for document in self.documents]


class MailRunLock(Base):
    """At most one row per lock name: the run holding it, until it releases or the lease runs out."""

    __tablename__ = "mail_run_locks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
