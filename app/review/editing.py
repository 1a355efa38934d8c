"""Corrections beyond the header fields: line items (edit, add, remove; the VAT breakdown follows) and the
booking proposal per line (account from the chart, tax key). Each goes through `decisions.edit_document`
as the review API's corrections do: audited, findings checked again, the proposal recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from pydantic import ValidationError

from app.documents import decisions
from app.errors import KontorError, NotFoundError, UploadError
from app.models import Document
from app.pipeline.steps.book import booking_policy
from app.pipeline.stored import current_invoice
from app.review.deps import DocumentPost, DocumentRequest, PageUow
from app.review.document_page import EditError, render_document
from app.review.forms import plain_message
from app.review.lines import LINE_FIELDS, line_values, tax_key_choice, with_line, with_tax_key, without_line
from app.review.revalidate import revalidate
from app.review.web import PREFIX, redirect
from schemas.booking import BookingProposal, ProposalLine
from schemas.invoice import Invoice

router = APIRouter()

LineForm = Annotated[str, Form()]


@router.post("/documents/{document_id}/lines")
async def add_line(on: DocumentPost) -> Response:
    values = line_values(await _form(on.request))
    return _correct(on, "line-new", lambda inv: with_line(inv, None, values))


@router.post("/documents/{document_id}/lines/{number}")
async def edit_line(on: DocumentPost, number: int) -> Response:
    """Line `number` (1-based, as the page counts) set to the form's values."""
    values = line_values(await _form(on.request))
    return _correct(on, f"line-{number}", lambda inv: with_line(inv, number - 1, values))


@router.post("/documents/{document_id}/lines/{number}/remove")
def remove_line(on: DocumentPost, number: int) -> Response:
    return _correct(on, "lines", lambda inv: without_line(inv, number - 1))


@router.post("/documents/{document_id}/booking/{line}")
def edit_booking(on: DocumentPost, line: int, account: LineForm = "", tax_key: LineForm = "") -> Response:
    """Proposal line `line` (its index) booked to `account` and, if one is chosen, under `tax_key`."""
    document = get_document(on.uow, on.document_id)
    policy = booking_policy(on.settings)
    proposal = decisions.proposal_for(on.uow.session, document, policy)
    chosen = next((p for p in proposal.lines if p.index == line), None) if proposal else None
    if chosen is None:
        raise NotFoundError(f"The booking proposal has no line {line}.")
    fields: dict[str, Any] = {}
    choice = tax_key_choice(tax_key)
    if choice is not None and proposal is not None and (choice.key or None) != _key_of(proposal, chosen):
        invoice = current_invoice(decisions.results_of(document)) or Invoice()
        fields = with_tax_key(invoice, chosen, choice)
    accounts = {line: account.strip()} if account.strip() else {}
    try:
        apply_edit(on, document, fields, accounts)
    except KontorError as exc:  # an account the chart cannot book to: said on the page
        return render_document(on, error=exc)
    return redirect(f"{PREFIX}/documents/{on.document_id}?notice=booking#booking")


def _key_of(proposal: BookingProposal, line: ProposalLine) -> str | None:
    return proposal.taxes[line.tax_group].tax_key if line.tax_group < len(proposal.taxes) else None


def _correct(on: DocumentRequest, target: str, change: Callable[[Invoice], dict[str, Any]]) -> Response:
    document = get_document(on.uow, on.document_id)
    invoice = current_invoice(decisions.results_of(document)) or Invoice()
    try:
        apply_edit(on, document, change(invoice), {})
    except ValidationError as exc:
        message = " ".join(plain_message(e) for e in exc.errors())
        error = EditError(target, "", f"Line: {message}")
        return render_document(on, error=error)
    return redirect(f"{PREFIX}/documents/{on.document_id}?notice=saved#lines")


def apply_edit(
    on: DocumentRequest, document: Document, fields: Mapping[str, Any], accounts: Mapping[int, str]
) -> None:
    """A person's correction, as the review API makes it, and the invoice checked again: both or neither."""
    session = on.uow.session
    with session.begin_nested():
        decisions.edit_document(
            session,
            document,
            fields=fields,
            accounts=accounts,
            actor=on.login.actor,
            policy=booking_policy(on.settings),
        )
        revalidate(session, document, on.settings)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in LINE_FIELDS}
    if not any(values.values()):
        raise UploadError("An empty line is not saved; fill in at least its text or amount.")
    return values


def get_document(uow: PageUow, document_id: int) -> Document:
    document = uow.session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"No document with id {document_id}.")
    return document
