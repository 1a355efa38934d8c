"""Approval with its safeguards, for the review page and the API alike.

- A document with open errors is approved only when the person confirms it and says why; the reason is
  kept in the audit trail (`approve.override`).
- The four-eyes rule (`KONTOR_REVIEW__FOUR_EYES`): whoever changed an IBAN or an amount cannot also
  approve. People are compared, not credentials: an API key that belongs to a user acts as that user.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking import BookingPolicy
from agents.booking.errors import BookingError
from app.config import ReviewSettings
from app.documents import decisions
from app.errors import ConflictError, ForbiddenError
from app.journal.models import JournalEntry
from app.models import ApiKey, AuditEvent, Document
from app.review.findings import current_findings
from app.review.models import User
from schemas.invoice import AMOUNT_FIELDS

#: Changes that move money: the four-eyes rule applies to whoever made them.
SENSITIVE_FIELDS = frozenset({*AMOUNT_FIELDS, "iban", "ibans", "payer_iban", "line_items", "tax_breakdown"})
KEY_ACTOR = "key:"


class ConfirmationRequired(ConflictError):
    error = "confirmation_required"


class FourEyesError(ForbiddenError):
    error = "four_eyes"


def approve(
    session: Session,
    document: Document,
    *,
    actor: str,
    person: str,
    policy: BookingPolicy,
    settings: ReviewSettings,
    force: bool = False,
    reason: str = "",
) -> JournalEntry:
    """Approve after the checks; `actor` is what the audit trail names, `person` who stands behind it."""
    if settings.four_eyes:
        check_four_eyes(session, document, person)
    errors = open_errors(document)
    if errors:
        if not (force and reason.strip()):
            _refuse_unpostable(session, document, policy)  # no confirmation can post those
            raise ConfirmationRequired(
                f"Open errors ({', '.join(errors)}): approving needs an explicit confirmation and a reason."
            )
        after = {"reason": reason.strip()[:2000], "errors": errors, "person": person}
        session.add(AuditEvent(actor=actor, action="approve.override", document_id=document.id, after=after))
    return decisions.approve(session, document, actor=actor, policy=policy)


def _refuse_unpostable(session: Session, document: Document, policy: BookingPolicy) -> None:
    proposal = decisions.refresh_proposal(session, document, policy)
    if proposal is not None and proposal.blocking:
        raise BookingError("Cannot post: " + " ".join(p.message for p in proposal.blocking))


def open_errors(document: Document) -> list[str]:
    """The codes of the errors that hold for the document now."""
    return sorted({f.code for f in current_findings(document.results) if f.severity == "error"})


def check_four_eyes(session: Session, document: Document, person: str) -> None:
    editors = sensitive_editors(session, document)
    if person in editors:
        raise FourEyesError(
            "Four-eyes rule: you changed an IBAN or an amount of this document, "
            "so someone else must approve it."
        )


def sensitive_editors(session: Session, document: Document) -> set[str]:
    """The people who changed an IBAN or an amount of the document."""
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.document_id == document.id, AuditEvent.action == "field.edit")
    )
    actors = {e.actor for e in events if (e.after or {}).get("field") in SENSITIVE_FIELDS}
    return {person_of(session, actor) for actor in actors}


def person_of(session: Session, actor: str) -> str:
    """`user:NAME` for a person's login or a key that belongs to them; other actors stand for themselves."""
    if not actor.startswith(KEY_ACTOR):
        return actor
    prefix = actor.removeprefix(KEY_ACTOR)
    owner = session.scalar(
        select(User.username).join(ApiKey, ApiKey.user_id == User.id).where(ApiKey.prefix == prefix)
    )
    return f"user:{owner}" if owner else actor
