"""The document lifecycle: an explicit transition table and its only writer."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.errors import FailureCode, IllegalTransitionError
from app.models import AuditEvent, Document, Status, utcnow

ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.PROCESSING}),
    Status.PROCESSING: frozenset({Status.BOOKED, Status.NEEDS_REVIEW, Status.REJECTED, Status.FAILED}),
    Status.NEEDS_REVIEW: frozenset({Status.BOOKED, Status.REJECTED, Status.PROCESSING}),
    Status.FAILED: frozenset({Status.PROCESSING}),
    Status.BOOKED: frozenset(),
    Status.REJECTED: frozenset(),
}


def set_status(
    session: Session,
    document: Document,
    new: Status,
    *,
    actor: str,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    failure_code: FailureCode | None = None,
) -> None:
    """Move `document` to `new`, stamp the time and write the audit event; flush only.

    A `failed` document always gets a `failure_code` (`internal` when none is given); any other
    status clears it. Raises `IllegalTransitionError` for a move the table does not allow.
    """
    old = document.status
    if new not in ALLOWED_TRANSITIONS[old]:
        raise IllegalTransitionError(f"A document cannot go from {old.value} to {new.value}.")
    code = (failure_code or FailureCode.INTERNAL) if new == Status.FAILED else None
    document.status = new
    document.status_updated_at = utcnow()
    document.status_reason = reason
    document.failure_code = code
    if code is not None:
        detail = {**(detail or {}), "failure_code": code.value}
    session.add(
        AuditEvent(
            actor=actor,
            action="status",
            document_id=document.id,
            before={"status": old.value},
            after={"status": new.value, "reason": reason, **(detail or {})},
        )
    )
    session.flush()
