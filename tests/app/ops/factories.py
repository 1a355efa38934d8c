"""A populated installation for the operations tests: documents, journal entries, audit rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from agents.booking import propose
from app.db import get_engine, get_sessionmaker, session_scope
from app.journal.models import JournalEntry
from app.journal.posting import post_booking
from app.models import Document, Status
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy
from tests.factories import create_document, text_pdf

#: Tables whose every row must survive a backup and restore unchanged.
TABLES = (
    "documents",
    "step_results",
    "audit_events",
    "audit_chain",
    "journal_entries",
    "journal_lines",
    "creditors",
    "vendors",
    "api_keys",
)


def post_invoice(session: Session, number: str, seller: str, vat_id: str) -> JournalEntry:
    invoice = make_invoice(number=number, seller=seller, vat_id=vat_id)
    document = create_invoice_document(session, invoice=invoice, status=Status.PROCESSING)
    return post_booking(session, document, propose(invoice, skr03_policy()), "key:test")


def populate(url: str) -> None:
    """Two booked invoices, one waiting for review, one just received; each with its audit rows."""
    with session_scope(get_sessionmaker(url)) as session:
        post_invoice(session, "A-1", "Papierhaus Nord GmbH", "DE111111111")
        post_invoice(session, "B-7", "Hotel Adler", "DE222222222")
        create_document(session, data=text_pdf("Rechnung 99"), status=Status.NEEDS_REVIEW)
        create_document(session, data=text_pdf("Rechnung 100"), filename="neu.pdf")


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables that matter, in id order, with every column (originals included)."""
    with get_engine(url).connect() as conn:
        return {table: _rows(conn, table) for table in TABLES}


def _rows(conn: Connection, table: str) -> list[tuple[Any, ...]]:
    order = "id"
    return [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))]


def original_bytes(url: str) -> dict[int, bytes]:
    with session_scope(get_sessionmaker(url)) as session:
        return {doc.id: doc.content for doc in session.scalars(select(Document).order_by(Document.id))}
