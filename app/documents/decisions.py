"""A person's decisions on a document: field corrections, account choices, approval, rejection, correction
of a posted entry. Services only flush; the caller's session boundary commits.

A reviewer's corrections are stored as the `review` step result (`{"invoice", "accounts"}`: the corrected
invoice, and account choices by proposal line), so `current_invoice()` prefers them and a reprocess keeps
them. Each changed field and account is an audit event with the old and the new value. The booking proposal
(`book` step result) is recomputed after every change, without the model: no inference inside a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from agents.booking import BookingPolicy, decision, propose, vendor_of
from agents.booking.accounts import from_reviewer
from app.errors import ConflictError, IllegalTransitionError, NotFoundError
from app.journal.models import EntryKind, JournalEntry
from app.journal.posting import correct_entry, post_booking, vendor_history
from app.journal.rates import invoice_rate
from app.models import AuditEvent, Document, Status, StepResult, utcnow
from app.pipeline.lifecycle import set_status
from app.pipeline.stored import current_invoice
from app.vendors.directory import record_approved_invoice
from schemas.booking import AccountChoice, BookingProposal
from schemas.invoice import HEADER_FIELDS, FieldSource, Invoice

REVIEW_STEP = "review"
BOOK_STEP = "book"


def results_of(document: Document) -> dict[str, dict[str, Any]]:
    return {r.step: r.data for r in document.results}


def _require_review(document: Document) -> None:
    if document.status != Status.NEEDS_REVIEW:
        raise IllegalTransitionError(
            f"Document {document.id} is {document.status.value}; only documents in review can be changed "
            "(a booked one is corrected through its journal entry)."
        )


def corrected_invoice(old: Invoice, fields: Mapping[str, Any], actor: str) -> tuple[Invoice, list[str]]:
    """`old` with `fields` set (raises pydantic's `ValidationError` for a bad value) and the changed names."""
    before = old.plain()
    merged = {**before, **fields}
    new = Invoice.model_validate({**merged, "fields": old.fields})
    after = new.plain()
    changed = [name for name in fields if before.get(name) != after.get(name)]
    person = FieldSource(confidence=1.0, kind="human", source=actor)
    new.fields = {**old.fields, **{name: person for name in changed if name in HEADER_FIELDS}}
    return new, changed


def edit_document(
    session: Session,
    document: Document,
    *,
    fields: Mapping[str, Any],
    accounts: Mapping[int, str],
    actor: str,
    policy: BookingPolicy,
    account: str | None = None,
) -> BookingProposal | None:
    """Apply a reviewer's corrections; returns the recomputed booking proposal (None without an invoice).

    `account` books every line there, except the lines `accounts` names.
    """
    _require_review(document)
    results = results_of(document)
    old = current_invoice(results) or Invoice()
    new, changed = corrected_invoice(old, fields, actor)
    before, after = old.plain(), new.plain()
    for name in changed:
        change = ("value", before.get(name), after.get(name))
        session.add(_change_event(document, actor, "field.edit", ("field", name), change))
    review = {**results.get(REVIEW_STEP, {}), "invoice": new.model_dump(mode="json"), "edited_by": actor}
    _save(session, document, REVIEW_STEP, review)
    if account:
        current = proposal_for(session, document, policy)
        accounts = {**{line.index: account for line in (current.lines if current else [])}, **accounts}
    review["accounts"] = _account_choices(session, document, results, accounts, actor, policy)
    _save(session, document, REVIEW_STEP, review)
    return refresh_proposal(session, document, policy)


def _account_choices(
    session: Session,
    document: Document,
    results: dict[str, dict[str, Any]],
    accounts: Mapping[int, str],
    actor: str,
    policy: BookingPolicy,
) -> dict[str, str]:
    """The reviewer's accounts by line, earlier choices kept; each new one audited."""
    chosen: dict[str, str] = dict(results.get(REVIEW_STEP, {}).get("accounts", {}))
    previous = (_proposal(results) or proposal_for(session, document, policy)) if accounts else None
    for index, number in sorted(accounts.items()):
        account = from_reviewer(policy.chart, number).account  # refuses an account the chart lacks
        old = chosen.get(str(index)) or _proposed_account(previous, index)
        if old != account:
            change = ("account", old, account)
            session.add(_change_event(document, actor, "booking.account", ("line", index), change))
        chosen[str(index)] = account
    return chosen


def _proposed_account(proposal: BookingProposal | None, index: int) -> str | None:
    if proposal is None:
        return None
    return next((line.account.account for line in proposal.lines if line.index == index), None)


def _proposal(results: dict[str, dict[str, Any]]) -> BookingProposal | None:
    raw = results.get(BOOK_STEP, {}).get("proposal")
    return BookingProposal.model_validate(raw) if raw is not None else None


def proposal_for(
    session: Session, document: Document, policy: BookingPolicy, extra: Mapping[int, str] | None = None
) -> BookingProposal | None:
    """The booking proposal for the document's current invoice and the reviewer's account choices."""
    results = results_of(document)
    invoice = current_invoice(results)
    if invoice is None:
        return None
    chosen = {int(k): v for k, v in results.get(REVIEW_STEP, {}).get("accounts", {}).items()}
    chosen.update(extra or {})
    actor = results.get(REVIEW_STEP, {}).get("edited_by", "reviewer")
    overrides = {i: from_reviewer(policy.chart, n, actor) for i, n in chosen.items()}
    return propose(
        invoice,
        policy,
        history=vendor_history(session, vendor_of(invoice)),
        overrides=overrides,
        remembered=_remembered(results),
        exchange_rate=invoice_rate(session, invoice),
    )


def _remembered(results: dict[str, dict[str, Any]]) -> dict[str, AccountChoice]:
    """The model's earlier choices by line text: reused because requests never run the model."""
    previous = _proposal(results)
    if previous is None:
        return {}
    return {line.description: line.account for line in previous.lines if line.account.source == "model"}


def refresh_proposal(session: Session, document: Document, policy: BookingPolicy) -> BookingProposal | None:
    proposal = proposal_for(session, document, policy)
    if proposal is not None:
        data = {"proposal": proposal.model_dump(mode="json"), "decision": decision(proposal).model_dump()}
        _save(session, document, BOOK_STEP, data, [p.model_dump(mode="json") for p in proposal.problems])
    return proposal


def approve(session: Session, document: Document, *, actor: str, policy: BookingPolicy) -> JournalEntry:
    """needs_review → booked: post the (corrected) proposal and teach the vendor directory.

    Raises `BookingError` when the invoice cannot be posted as it stands (the reason says what to fix).
    """
    _require_review(document)
    proposal = refresh_proposal(session, document, policy)
    if proposal is None:
        raise ConflictError(f"Document {document.id} has no invoice to book; enter its fields first.")
    entry = post_booking(session, document, proposal, actor)
    set_status(
        session, document, Status.BOOKED, actor=actor, reason="approved", detail={"entry_id": entry.id}
    )
    invoice = current_invoice(results_of(document))
    if invoice is not None:
        record_approved_invoice(session, invoice)
    return entry


def reject(session: Session, document: Document, *, actor: str, reason: str) -> None:
    _require_review(document)
    set_status(session, document, Status.REJECTED, actor=actor, reason=reason)


def correct(
    session: Session,
    entry: JournalEntry,
    *,
    accounts: Mapping[int, str],
    reason: str,
    actor: str,
    policy: BookingPolicy,
) -> tuple[JournalEntry, JournalEntry]:
    """Reverse a posted entry and post it again with the accounts chosen now; both are audited."""
    if entry.kind == EntryKind.REVERSAL:
        raise ConflictError("A reversal cannot be corrected; correct the entry it reverses.")
    document = session.get(Document, entry.document_id)
    if document is None:
        raise NotFoundError(f"No document with id {entry.document_id}.")
    proposal = proposal_for(session, document, policy, extra=accounts)
    if proposal is None:
        raise ConflictError(f"Document {document.id} has no invoice to book.")
    reversal, correction = correct_entry(session, entry, proposal, actor=actor, reason=reason)
    results = results_of(document)
    invoice = current_invoice(results)
    review = {**results.get(REVIEW_STEP, {}), "edited_by": actor}
    review["invoice"] = invoice.model_dump(mode="json") if invoice else None
    review["accounts"] = {**review.get("accounts", {}), **{str(k): v for k, v in accounts.items()}}
    _save(session, document, REVIEW_STEP, review)
    refresh_proposal(session, document, policy)
    return reversal, correction


def _save(
    session: Session,
    document: Document,
    step: str,
    data: dict[str, Any],
    findings: list[dict[str, Any]] | None = None,
) -> None:
    """Store a step result, replacing the last one of that step."""
    existing = next((r for r in document.results if r.step == step), None)
    if existing is None:
        document.results.append(StepResult(step=step, data=data, findings=findings or []))
    else:
        existing.data = dict(data)
        existing.findings = findings or []
        existing.created_at = utcnow()
        flag_modified(existing, "data")  # a dict changed in place is no change to SQLAlchemy
    session.flush()


def _change_event(
    document: Document, actor: str, action: str, where: tuple[str, object], change: tuple[str, object, object]
) -> AuditEvent:
    """The audit event of one changed value: where it is (`("line", 2)`), and its name, old and new value."""
    (place, at), (name, old, new) = where, change
    before, after = {place: at, name: old}, {place: at, name: new}
    return AuditEvent(actor=actor, action=action, document_id=document.id, before=before, after=after)
