"""Review-page test data: users, and flagged invoices whose fields point at real words of the page."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from agents.extraction.agent import value_findings
from agents.reading.pdf import read_pdf
from app.models import Document, Status, StepResult
from app.review.auth import create_user as create_user_in
from app.review.models import User, UserRole
from schemas.document import ReadResult
from schemas.finding import Finding
from schemas.invoice import FieldSource, Invoice
from tests.corpus import truth
from tests.factories import corpus_pdf, create_document

PASSWORD = "correct horse battery"
#: A corpus invoice whose page shows every value the tests look for (one page, 595 x 842 points).
INVOICE_PDF = "FX1.0.7__Facture_F20220023-LE_FOURNISSEUR-POUR-LE_CLIENT_BASIC.pdf"
#: What the "extraction" got wrong on the gross amount: that invoice's page says 104,90, it read 104.00.
GROSS_ERROR = Decimal("0.90")
RIGHT_GROSS = Decimal("104.90")
BBox = tuple[float, float, float, float]


def create_user(
    session: Session, *, username: str = "rita", role: UserRole = UserRole.REVIEWER, password: str = PASSWORD
) -> User:
    return create_user_in(session, username, password, role=role, actor="test")


def find_words(read: ReadResult, *texts: str, page: int = 1) -> BBox | None:
    """The box around the first run of words on `page` that reads `texts` (as the read step saw them)."""
    words = read.pages[page - 1].words
    for i in range(len(words) - len(texts) + 1):
        run = words[i : i + len(texts)]
        if [w.text for w in run] == list(texts):
            return (
                min(w.x0 for w in run),
                min(w.top for w in run),
                max(w.x1 for w in run),
                max(w.bottom for w in run),
            )
    return None


def create_flagged_invoice(
    session: Session, *, name: str = INVOICE_PDF, gross_off_by: Decimal | None = GROSS_ERROR
) -> Document:
    """A document in review as the pipeline leaves one: read, extracted with boxes, a wrong gross flagged.

    The `read` result is the real one; the `extract` result is the truth with `gross_total` off by
    `gross_off_by` (None: right, and nothing flagged), each field found on the page pointing at its words;
    the `validate` result flags the mismatch.
    """
    path = corpus_pdf(name)
    document = create_document(
        session, data=path.read_bytes(), filename=path.name, status=Status.NEEDS_REVIEW
    )
    read = _read(path)
    invoice = _extracted(path, read, gross_off_by)
    findings = [] if gross_off_by is None else [_gross_mismatch(invoice)]
    reasons = [f.code for f in findings]
    session.add_all(
        [
            StepResult(document_id=document.id, step="read", data=read.model_dump(mode="json"), findings=[]),
            StepResult(
                document_id=document.id, step="extract", data={"invoice": invoice.model_dump(mode="json")}
            ),
            StepResult(
                document_id=document.id,
                step="validate",
                data={
                    "decision": {"status": "needs_review", "reasons": reasons},
                    "document_class": "invoice",
                },
                findings=[f.model_dump(mode="json") for f in findings],
            ),
        ]
    )
    document.status_reason = findings[0].code if findings else "booking.manual"
    session.flush()
    session.expire(document, ["results"])
    return document


@cache
def _read(path: Path) -> ReadResult:
    return read_pdf(path.read_bytes())


def _extracted(path: Path, read: ReadResult, gross_off_by: Decimal | None) -> Invoice:
    invoice = Invoice.model_validate(truth(path))
    assert invoice.gross_total is not None
    assert invoice.issue_date is not None
    on_page = {
        "invoice_number": ([invoice.invoice_number or ""], 0.95),
        "issue_date": ([invoice.issue_date.strftime("%d/%m/%Y")], 0.9),
        "seller_name": ((invoice.seller_name or "").split(), 0.85),
        "gross_total": ([page_amount(invoice.gross_total)], 0.45),
    }
    fields = {}
    for field, (texts, confidence) in on_page.items():
        bbox = find_words(read, *texts)
        if bbox is not None:
            fields[field] = FieldSource(confidence=confidence, kind="page", source="test", page=1, bbox=bbox)
    gross = invoice.gross_total - (gross_off_by or 0)
    return invoice.model_copy(update={"gross_total": gross, "fields": fields})


def page_amount(amount: Decimal) -> str:
    """An amount as these French invoices print it: `104,90`."""
    return f"{amount:.2f}".replace(".", ",")


def _gross_mismatch(invoice: Invoice) -> Finding:
    return Finding(
        code="arithmetic.gross_mismatch",
        severity="error",
        message=(
            f"Net {invoice.net_total} plus VAT {invoice.tax_total} "
            f"is not the gross amount {invoice.gross_total}."
        ),
        fields=["gross_total", "net_total", "tax_total"],
    )


def stored_extraction_findings(document: Document) -> list[Finding]:
    """Store on the `extract` result the findings an earlier version of the extraction kept there: its value
    checks and its own warning that the totals do not add up (now validation's finding alone)."""
    extract = next(r for r in document.results if r.step == "extract")
    invoice = Invoice.model_validate(extract.data["invoice"])
    findings = [*value_findings(invoice), _old_gross_warning(invoice)]
    extract.findings = [f.model_dump(mode="json") for f in findings]
    return findings


def _old_gross_warning(invoice: Invoice) -> Finding:
    net, tax, gross = invoice.net_total, invoice.tax_total, invoice.gross_total
    return Finding(
        code="arithmetic.gross_mismatch",
        severity="warning",
        message=f"Net {net} plus tax {tax} does not equal the gross total {gross}.",
        fields=["net_total", "tax_total", "gross_total"],
    )
