"""The mail view: every message the mail ingest looked at, what became of it and why."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from app.mail.models import MailMessage, Outcome
from app.review.deps import PageView

router = APIRouter()

MAX_ROWS = 300
#: Outcomes a person should look at: nothing was stored from these messages.
PROBLEMS = (Outcome.NO_ATTACHMENT, Outcome.UNSUPPORTED, Outcome.TOO_LARGE, Outcome.FAILED)
#: What an outcome means when the ledger names no reason of its own.
PLAIN_REASONS = {
    Outcome.NO_ATTACHMENT.value: "The message has no PDF or e-invoice attachment; nothing was stored.",
    Outcome.DUPLICATE.value: "Every attachment was stored before (a re-delivered message).",
    Outcome.CLAIMED.value: "Being read, or the run reading it stopped; the next run picks it up.",
}


@router.get("/mail")
def mail_page(on: PageView, outcome: str = "") -> Response:
    """Newest first; `outcome=problems` shows the messages nothing was stored from."""
    query = select(MailMessage).order_by(MailMessage.id.desc()).limit(MAX_ROWS)
    if outcome == "problems":
        query = query.where(MailMessage.outcome.in_(PROBLEMS))
    elif outcome in {o.value for o in Outcome}:
        query = query.where(MailMessage.outcome == Outcome(outcome))
    return on.page(
        "mail.html",
        messages=list(on.uow.session.scalars(query)),
        outcome=outcome,
        outcomes=[o.value for o in Outcome],
        problems={o.value for o in PROBLEMS},
        plain_reasons=PLAIN_REASONS,
    )
