"""/v1/mail/messages: the mail ledger, every message a mail run has looked at."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from app.api.params import AUTH_ERRORS, PageSize, errors, keyset_page, where_equal
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
    limit: PageSize = 50,
    cursor: str | None = None,
) -> MailMessagePage:
    """Newest first, keyset-paginated: pass `next_cursor` back as `cursor`."""
    query = where_equal(select(MailMessage), outcome=outcome, source=source)
    rows, next_cursor = keyset_page(session, query, MailMessage.id, limit=limit, cursor=cursor)
    items = [MailMessageRead.model_validate(row) for row in rows]
    return MailMessagePage(items=items, next_cursor=next_cursor)
