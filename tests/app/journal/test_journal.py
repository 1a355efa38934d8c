from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from agents.booking import propose
from agents.booking.errors import BookingError
from agents.validation import Decision
from agents.validation.classify import Classification
from app.errors import ConflictError
from app.journal.models import EntryKind, JournalEntry
from app.journal.posting import live_entry, post_booking, reverse_entry, vendor_history
from app.models import AuditEvent, Document, Status
from app.pipeline.orchestrator import Pipeline
from app.pipeline.state import PipelineState, StepOutput, ValidationOutput
from app.pipeline.steps.book import BookStep
from schemas.booking import VendorRef
from schemas.invoice import Invoice
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy


def post(session: Session, invoice: Invoice, actor: str = "key:test") -> JournalEntry:
    document = create_invoice_document(session, invoice=invoice)
    return post_booking(session, document, propose(invoice, skr03_policy()), actor)


def balance(entry: JournalEntry) -> Decimal:
    return sum((line.amount if line.side == "debit" else -line.amount for line in entry.lines), Decimal(0))


def test_posting_stores_a_balanced_entry_and_numbers_creditors_from_70001(session: Session) -> None:
    first = post(session, make_invoice(number="A-1"))
    again = post(session, make_invoice(number="A-2", seller="Papierhaus Nord"))  # same VAT ID
    other = post(session, make_invoice(number="B-1", seller="Hotel Adler", vat_id="DE222222222"))
    assert (first.creditor.number, again.creditor.number, other.creditor.number) == (70001, 70001, 70002)
    assert balance(first) == 0
    assert [(x.account, x.side.value, x.amount) for x in first.lines] == [
        ("4930", "debit", Decimal("100.00")),
        ("1576", "debit", Decimal("19.00")),
        ("70001", "credit", Decimal("119.00")),
    ]
    assert (first.document_number, first.document_date, first.gross_amount) == (
        "A-1",
        date(2026, 3, 15),
        Decimal("119.00"),
    )
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "journal.post")).first()
    assert event is not None
    assert event.after == {"entry_id": first.id, "gross": "119.00", "creditor": 70001}


def test_a_document_is_posted_once(session: Session) -> None:
    invoice = make_invoice()
    document = create_invoice_document(session, invoice=invoice)
    post_booking(session, document, propose(invoice, skr03_policy()), "key:test")
    with pytest.raises(ConflictError, match="already posted"):
        post_booking(session, document, propose(invoice, skr03_policy()), "key:test")


def test_an_invoice_with_blocking_problems_is_not_posted(session: Session) -> None:
    invoice = make_invoice(currency="USD")
    document = create_invoice_document(session, invoice=invoice)
    with pytest.raises(BookingError, match="exchange rate"):
        post_booking(session, document, propose(invoice, skr03_policy()), "key:test")
    assert session.scalar(select(JournalEntry)) is None


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE journal_entries SET text = 'edited'",
        "DELETE FROM journal_entries",
        "UPDATE journal_lines SET amount_cents = 1",
        "DELETE FROM journal_lines",
    ],
)
def test_posted_entries_are_immutable_in_the_database(
    session: Session, connection: Connection, statement: str
) -> None:
    post(session, make_invoice())
    with pytest.raises(DatabaseError, match="immutable"), connection.begin_nested():
        connection.execute(text(statement))


def test_a_reversal_mirrors_the_entry_links_to_it_and_is_audited(session: Session) -> None:
    entry = post(session, make_invoice())
    reversal = reverse_entry(session, entry, actor="key:rev", reason="wrong vendor")
    assert (reversal.kind, reversal.reverses_id, reversal.gross_amount) == (
        EntryKind.REVERSAL,
        entry.id,
        Decimal("-119.00"),
    )
    assert [(x.account, x.side.value) for x in reversal.lines] == [
        ("4930", "credit"),
        ("1576", "credit"),
        ("70001", "debit"),
    ]
    assert balance(reversal) == 0
    assert live_entry(session, entry.document_id) is None
    with pytest.raises(ConflictError, match="reversed already"):
        reverse_entry(session, entry, actor="key:rev", reason="again")
    with pytest.raises(ConflictError, match="not reversed again"):
        reverse_entry(session, reversal, actor="key:rev", reason="undo")
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.document_id == entry.document_id))
    assert "journal.reverse" in list(actions)


def test_vendor_history_counts_the_entries_that_still_stand(session: Session) -> None:
    vendor = VendorRef(name="Papierhaus Nord GmbH", vat_id="DE 111 111 111")
    assert vendor_history(session, vendor).entries == 0
    post(session, make_invoice(number="1"))
    lines = [("Kopierpapier", "10.00", "19", "S"), ("Porto", "5.00", "19", "S")]
    post(session, make_invoice(number="2", lines=lines))
    gone = post(session, make_invoice(number="3", lines=[("Porto", "5.00", "19", "S")]))
    reverse_entry(session, gone, actor="key:rev", reason="duplicate")
    history = vendor_history(session, vendor)
    assert (history.entries, history.accounts) == (2, {"4930": 2, "4910": 1})


class InvoiceStep:
    """Stands for the e-invoice reader and the validation agent: the invoice, found ready."""

    name = "validate"

    def __init__(self, invoice: Invoice) -> None:
        self.invoice = invoice

    def applies(self, state: PipelineState) -> bool:
        return True

    def run(self, state: PipelineState) -> StepOutput:
        state.reviewed_invoice = self.invoice
        classification = Classification(document_class="invoice", basis="type_code", probability=1.0)
        ready = Decision(status="ready")
        return StepOutput(
            data=ValidationOutput(decision=ready, document_class="invoice", classification=classification)
        )


@pytest.mark.parametrize(
    ("lines", "status", "posted"),
    [
        ((("Kopierpapier A4", "100.00", "19", "S"),), Status.BOOKED, True),
        ((("Artikel 4711", "100.00", "19", "S"),), Status.NEEDS_REVIEW, False),
    ],
)
def test_the_pipeline_posts_what_it_books_in_the_same_transaction(
    session: Session,
    session_factory: sessionmaker[Session],
    lines: tuple[Any, ...],
    status: Status,
    posted: bool,
) -> None:
    invoice = make_invoice(lines=lines)
    document = create_invoice_document(session, invoice=invoice, status=Status.RECEIVED)
    book = BookStep(skr03_policy(), lambda vendor: vendor_history(session, vendor), model=None)
    assert Pipeline(session_factory, [InvoiceStep(invoice), book]).process(document.id) == status
    session.expire_all()
    entry = live_entry(session, document.id)
    assert (entry is not None) == posted
    assert session.get(Document, document.id).status == status  # type: ignore[union-attr]


def test_the_journal_is_served_as_json(
    client: TestClient, session: Session, reviewer: dict[str, str]
) -> None:
    entry = post(session, make_invoice())
    reverse_entry(session, entry, actor="key:rev", reason="wrong")
    today = entry.posted_at.date().isoformat()
    response = client.get("/v1/journal", params={"from": "2026-01-01", "to": today}, headers=reviewer)
    assert response.status_code == 200, response.text
    original, reversal = response.json()["items"]
    assert (original["reversed_by_id"], reversal["reverses_id"]) == (reversal["id"], original["id"])
    assert original["gross_amount"] == "119.00"
    assert original["creditor"]["number"] == 70001
    assert original["lines"][0] == {
        "position": 1,
        "account": "4930",
        "side": "debit",
        "amount": "100.00",
        "role": "expense",
        "tax_key": "9",
        "tax_amount": "19.00",
        "text": "Papierhaus Nord GmbH R-2026-001",
    }


def test_the_booking_settings_choose_the_chart_and_refuse_inconsistent_values(tmp_path: Path) -> None:
    from app.config import Settings
    from app.errors import ConfigurationError
    from app.pipeline.steps.book import booking_policy

    def settings(**booking: Any) -> Settings:
        return Settings(_env_file=None, booking=booking)

    assert booking_policy(settings(chart="skr04")).default_account.number == "6300"
    assert booking_policy(settings(default_account="4930")).default_account.name == "Bürobedarf"
    with pytest.raises(ConfigurationError, match="DEFAULT_ACCOUNT"):
        booking_policy(settings(default_account="1576"))
    with pytest.raises(ConfigurationError, match="5"):
        booking_policy(settings(datev={"account_length": 5}))
    with pytest.raises(ValueError, match="day is out of range"):
        settings(datev={"fiscal_year_start_month": 2, "fiscal_year_start_day": 30})
