"""The mail ledger: what a run decides about a message it meets, and what it writes down. Flushes only."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.mail.models import SETTLED, MailMessage, Outcome, mail_message_documents
from app.models import Document, utcnow

_MAX_REASON = 4000


class Decision(enum.StrEnum):
    #: New, or failed/interrupted with attempts left: claim it and take its documents.
    PROCESS = "process"
    #: Handled before but still in the mailbox (a crash before the move): only move or flag it.
    SETTLE = "settle"
    #: Out of attempts: left where it is for a person; the ledger says why.
    LEAVE = "leave"


@dataclass
class Handled:
    """What became of one message."""

    outcome: Outcome
    reason: str | None = None
    sender: dict[str, Any] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    created: list[int] = field(default_factory=list)


def find(session: Session, source: str, key: str) -> MailMessage | None:
    return session.scalar(
        select(MailMessage).where(MailMessage.source == source, MailMessage.message_key == key)
    )


def decide(row: MailMessage | None, *, retry_limit: int) -> Decision:
    if row is None:
        return Decision.PROCESS
    if row.outcome in SETTLED:
        return Decision.SETTLE
    if row.attempts >= retry_limit:
        return Decision.LEAVE
    return Decision.PROCESS


def leave(row: MailMessage) -> None:
    """Give up on a message; one that kept crashing the run gets a reason saying so."""
    if row.outcome == Outcome.CLAIMED:
        row.outcome = Outcome.FAILED
        row.reason = f"the run stopped while handling this message, {row.attempts} times"


def claim(session: Session, source: str, key: str) -> MailMessage:
    """Take a message for this run and count the attempt before any work, so that a message that
    crashes the process still uses up its attempts."""
    row = find(session, source, key)
    if row is None:
        row = MailMessage(source=source, message_key=key, attempts=0, sender={})
        session.add(row)
    row.outcome = Outcome.CLAIMED
    row.attempts += 1
    row.updated_at = utcnow()
    session.flush()
    return row


def record(session: Session, row: MailMessage, handled: Handled) -> None:
    row.outcome = handled.outcome
    row.reason = _clip(handled.reason)
    row.sender = handled.sender
    row.documents = _unique(handled.documents)
    row.updated_at = utcnow()
    session.flush()


def record_failure(session: Session, row_id: int, reason: str) -> None:
    row = session.get(MailMessage, row_id)
    if row is None:
        return
    row.outcome = Outcome.FAILED
    row.reason = _clip(reason)
    row.updated_at = utcnow()
    session.flush()


def mark_settled(session: Session, row_id: int) -> None:
    row = session.get(MailMessage, row_id)
    if row is not None:
        row.settled_at = utcnow()
        session.flush()


def mail_origin(session: Session, document_id: int) -> list[dict[str, Any]]:
    """The sender metadata of every message a document arrived with (for fraud checks)."""
    rows = session.scalars(
        select(MailMessage)
        .join(mail_message_documents, mail_message_documents.c.mail_message_id == MailMessage.id)
        .where(mail_message_documents.c.document_id == document_id)
        .order_by(MailMessage.id)
    )
    return [{"source": row.source, **row.sender} for row in rows]


def _unique(documents: list[Document]) -> list[Document]:
    # The same file attached twice (inline and as attachment) is one document.
    return list({document.id: document for document in documents}.values())


def _clip(reason: str | None) -> str | None:
    return reason[:_MAX_REASON] if reason else None
