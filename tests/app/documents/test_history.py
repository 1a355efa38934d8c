"""Earlier invoices in the database: the duplicate check's history and the review queue's top reason."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from agents.validation import ValidationAgent
from agents.validation.settings import ValidationSettings
from app.documents.history import DbInvoiceHistory
from app.documents.reasons import top_reasons
from app.models import Document, Status, StepResult
from schemas.invoice import Invoice
from tests.agents.validation.crafted import TODAY, craft
from tests.factories import create_document, text_pdf


def stored(
    session: Session, invoice: Invoice, *, status: Status = Status.NEEDS_REVIEW, step: str = "einvoice"
) -> Document:
    document = create_document(
        session, data=text_pdf(f"document {invoice.invoice_number} {status}"), status=status
    )
    session.add(
        StepResult(document_id=document.id, step=step, data={"invoice": invoice.model_dump(mode="json")})
    )
    session.flush()
    return document


def duplicate_codes(
    invoice: Invoice, factory: sessionmaker[Session], document_id: int | None = None
) -> list[str]:
    agent = ValidationAgent(None, ValidationSettings(), DbInvoiceHistory(factory), None, clock=lambda: TODAY)
    return [
        f.code for f in agent.validate(invoice, "", document_id).findings if f.code.startswith("duplicate.")
    ]


def test_the_same_sellers_invoice_number_again_is_a_duplicate_of_the_earlier_document(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    earlier = stored(session, craft())
    agent = ValidationAgent(
        None, ValidationSettings(), DbInvoiceHistory(session_factory), None, clock=lambda: TODAY
    )
    findings = agent.validate(craft({"//rsm:ExchangedDocument/ram:ID": "471 102"}), "", None).findings
    duplicate = next(f for f in findings if f.code == "duplicate.same_number")
    assert f"document #{earlier.id}" in duplicate.message


def test_a_document_is_no_duplicate_of_itself_nor_of_a_rejected_one(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    own = stored(session, craft())
    assert duplicate_codes(craft(), session_factory, document_id=own.id) == []
    stored(session, craft().model_copy(update={"invoice_number": "other"}), status=Status.REJECTED)
    rejected_twin = craft().model_copy(update={"invoice_number": "other"})
    assert duplicate_codes(rejected_twin, session_factory, document_id=own.id) == []


def test_a_reviewers_correction_is_the_invoice_that_counts(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = stored(session, craft())
    corrected = craft().model_copy(update={"invoice_number": "471102-K"})
    session.add(
        StepResult(
            document_id=document.id, step="review", data={"invoice": corrected.model_dump(mode="json")}
        )
    )
    session.flush()
    priors = DbInvoiceHistory(session_factory).same_seller(craft(), exclude_document_id=None)
    assert [p.invoice.invoice_number for p in priors] == ["471102-K"]
    assert duplicate_codes(craft(), session_factory) == ["duplicate.near"]


def test_another_sellers_invoice_with_the_same_number_is_no_duplicate(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    stored(
        session,
        craft().model_copy(update={"seller_vat_id": "DE111111117", "seller_name": "Anderer Lieferant"}),
    )
    assert duplicate_codes(craft(), session_factory) == []


def finding(code: str) -> dict[str, str]:
    return {"code": code, "severity": "error", "message": "."}


def test_the_top_reason_is_the_first_review_reason_else_the_first_error_else_the_status_reason(
    session: Session,
) -> None:
    flagged = create_document(session, data=text_pdf("flagged"), status=Status.NEEDS_REVIEW)
    decision = {"status": "needs_review", "reasons": ["bank.changed", "vendor.new"]}
    session.add_all(
        [
            StepResult(
                document_id=flagged.id, step="einvoice", data={}, findings=[finding("einvoice.BR-CO-15")]
            ),
            StepResult(document_id=flagged.id, step="validate", data={"decision": decision}),
        ]
    )
    erred = create_document(session, data=text_pdf("erred"), status=Status.NEEDS_REVIEW)
    session.add(StepResult(document_id=erred.id, step="read", data={}, findings=[finding("text.missing")]))
    plain = create_document(session, data=text_pdf("plain"), status=Status.NEEDS_REVIEW)
    plain.status_reason = "booking.manual"
    session.flush()
    assert top_reasons(session, [flagged, erred, plain]) == {
        flagged.id: "bank.changed",
        erred.id: "text.missing",
        plain.id: "booking.manual",
    }
