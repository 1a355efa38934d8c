"""The review API: a document's fields, a reviewer's corrections and decisions, corrections of entries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking import BookingPolicy, build_postings
from agents.booking.errors import BookingError
from app.api.params import AUTH_ERRORS, Id, errors
from app.attributes import from_attributes
from app.deps import Reviewer, SessionDep, SettingsDep
from app.documents import decisions
from app.errors import NotFoundError
from app.journal.exports import entry_read
from app.journal.models import JournalEntry
from app.journal.posting import find_creditor
from app.models import AuditEvent, Document
from app.pipeline.steps.book import booking_policy
from app.pipeline.stored import INVOICE_STEPS, current_invoice
from app.review import approval
from app.review.detail import describe
from app.review.findings import current_findings
from app.review.forms import plain_message
from app.review.revalidate import revalidate
from schemas.api import DocumentRead
from schemas.booking import BookingProposal, Posting
from schemas.invoice import HEADER_FIELDS, Invoice
from schemas.review import (
    Approval,
    ApprovalRequest,
    AuditEntry,
    Correction,
    CorrectionRequest,
    FieldsRead,
    FieldsUpdate,
    FieldValue,
    Rejection,
)

router = APIRouter(tags=["review"], responses=AUTH_ERRORS)


@router.get("/v1/documents/{document_id}/fields", response_model=FieldsRead, responses=errors(404))
def get_fields(
    document_id: Id, session: SessionDep, settings: SettingsDep, _principal: Reviewer
) -> FieldsRead:
    """The invoice that counts, field by field with confidence and provenance, its findings and booking."""
    document = _document(session, document_id)
    return _fields(session, document, decisions.proposal_for(session, document, booking_policy(settings)))


@router.patch(
    "/v1/documents/{document_id}/fields", response_model=FieldsRead, responses=errors(400, 404, 409)
)
def patch_fields(
    document_id: Id, body: FieldsUpdate, session: SessionDep, settings: SettingsDep, principal: Reviewer
) -> FieldsRead:
    """Correct fields and accounts; each change is audited, findings and booking proposal recomputed."""
    document = _document(session, document_id)
    try:
        proposal = decisions.edit_document(
            session,
            document,
            fields=body.fields,
            accounts=body.accounts,
            account=body.account,
            actor=principal.actor,
            policy=booking_policy(settings),
        )
        revalidate(session, document, settings)  # the findings follow the corrected values
    except ValidationError as exc:
        # A value the invoice cannot hold is a payload error like any other.
        raise RequestValidationError(
            [{**e, "loc": ("body", "fields", *e["loc"]), "msg": plain_message(e)} for e in exc.errors()]
        ) from exc
    return _fields(session, document, proposal)


@router.post("/v1/documents/{document_id}/approve", response_model=Approval, responses=errors(404, 409))
def approve(
    document_id: Id,
    session: SessionDep,
    settings: SettingsDep,
    principal: Reviewer,
    body: ApprovalRequest | None = None,
) -> Approval:
    """needs_review → booked: post the (corrected) proposal; open errors need `force` and a `reason`."""
    document = _document(session, document_id)
    request = body or ApprovalRequest()
    entry = approval.approve(
        session,
        document,
        actor=principal.actor,
        person=principal.person,
        policy=booking_policy(settings),
        settings=settings.review,
        force=request.force,
        reason=request.reason,
    )
    return Approval(document=DocumentRead.model_validate(document), entry=entry_read(entry))


@router.post(
    "/v1/documents/{document_id}/reject", response_model=DocumentRead, responses=errors(400, 404, 409)
)
def reject(document_id: Id, body: Rejection, session: SessionDep, principal: Reviewer) -> Document:
    document = _document(session, document_id)
    decisions.reject(session, document, actor=principal.actor, reason=body.reason)
    return document


@router.get("/v1/documents/{document_id}/audit", response_model=list[AuditEntry], responses=errors(404))
def get_audit(document_id: Id, session: SessionDep, _principal: Reviewer) -> list[AuditEntry]:
    """The document's audit trail, oldest first: every upload, status change, correction and decision."""
    _document(session, document_id)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.document_id == document_id).order_by(AuditEvent.id)
    )
    return [from_attributes(AuditEntry, e, summary=describe(e)) for e in events]


@router.post("/v1/journal/{entry_id}/correct", response_model=Correction, responses=errors(400, 404, 409))
def correct(
    entry_id: Id, body: CorrectionRequest, session: SessionDep, settings: SettingsDep, principal: Reviewer
) -> Correction:
    """Reverse a posted entry and post it again with the accounts given (GoBD: never edited in place)."""
    entry = session.get(JournalEntry, entry_id)
    if entry is None:
        raise NotFoundError(f"No journal entry with id {entry_id}.")
    policy = booking_policy(settings)
    accounts = {**_every_line(session, entry, policy, body.account), **body.accounts}
    reversal, correction = decisions.correct(
        session, entry, accounts=accounts, reason=body.reason, actor=principal.actor, policy=policy
    )
    return Correction(reversal=entry_read(reversal), correction=entry_read(correction))


def _every_line(
    session: Session, entry: JournalEntry, policy: BookingPolicy, account: str | None
) -> dict[int, str]:
    if not account:
        return {}
    proposal = decisions.proposal_for(session, _document(session, entry.document_id), policy)
    return {line.index: account for line in (proposal.lines if proposal else [])}


def _document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"No document with id {document_id}.")
    return document


def _fields(session: Session, document: Document, proposal: BookingProposal | None) -> FieldsRead:
    results = {r.step: r.data for r in document.results}
    invoice = current_invoice(results)
    values = invoice.plain() if invoice else {}
    return FieldsRead(
        document_id=document.id,
        status=document.status.value,
        invoice_from=next((s for s in INVOICE_STEPS if results.get(s, {}).get("invoice") is not None), None),
        fields=[_field(invoice, values, name) for name in HEADER_FIELDS],
        line_items=invoice.line_items if invoice else [],
        tax_breakdown=invoice.tax_breakdown if invoice else [],
        findings=current_findings(document.results),
        booking=proposal,
        postings=_preview(session, proposal),
    )


def _field(invoice: Invoice | None, values: dict[str, Any], name: str) -> FieldValue:
    source = invoice.fields.get(name) if invoice else None
    if source is None:
        return FieldValue(name=name, value=values.get(name))
    return FieldValue(
        name=name,
        value=values.get(name),
        confidence=source.confidence,
        kind=source.kind,
        source=source.source,
        page=source.page,
        bbox=source.bbox,
    )


def _preview(session: Session, proposal: BookingProposal | None) -> list[Posting]:
    """The entry approval would post; a vendor without a creditor number yet shows "new creditor"."""
    if proposal is None or proposal.blocking:
        return []
    creditor = find_creditor(session, proposal.vendor)
    try:
        return build_postings(proposal, str(creditor.number) if creditor else "new creditor")
    except BookingError:
        return []
