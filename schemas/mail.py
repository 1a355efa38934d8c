"""Payloads of the mail ledger API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class MailMessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    #: The Message-ID, or `sha256:<hash of the raw message>` for messages without one.
    message_key: str
    #: ingested, duplicate, no_attachment, unsupported, too_large, failed (or claimed: in progress).
    outcome: str
    reason: str | None
    attempts: int
    #: From, Reply-To, Message-ID, Date, Subject and SPF/DKIM/DMARC verdicts.
    sender: dict[str, Any]
    document_ids: list[int]
    first_seen_at: datetime
    updated_at: datetime
    #: When the message was moved or flagged on the server; null while it waits there.
    settled_at: datetime | None


class MailMessagePage(BaseModel):
    items: list[MailMessageRead]
    #: Pass as `cursor` to get the next page; null on the last page.
    next_cursor: str | None
