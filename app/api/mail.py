"""/v1/mail/messages: the mail ledger, every message a mail run has looked at."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.api.params import AUTH_ERRORS, errors, keyset_page
from app.deps import Reviewer, SessionDep
from app.mail.models import MailMessage, Outcome
from schemas.mail import MailMessagePage, MailMessageRead

router = APIRouter(prefix="/v1/mail", tags=["mail"], responses=AUTH_ERRORS)


@router.get("/messages", response_model=MailMessagePage, responses=errors(400))
def list_messages(
    session: SessionDep,
    _principal: Reviewer,
    outcome: Outcome | None = None,
    source: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> MailMessagePage:
    """Newest first, keyset-paginated: pass `next_cursor` back as `cursor`."""
    query = select(MailMessage)
    if outcome is not None:
        query = query.where(MailMessage.outcome == outcome)
    if source is not None:
        query = query.where(MailMessage.source == source)
    rows, next_cursor = keyset_page(session, query, MailMessage.id, limit=limit, cursor=cursor)
    items = [MailMessageRead.model_validate(row) for row in rows]
    return MailMessagePage(items=items, next_cursor=next_cursor)
