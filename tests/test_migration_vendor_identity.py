"""Migration 0008_vendor_identity: vendors and creditors as 0007 left them become one vendor per seller with
its creditor account; numbers, entries and what validation has on file survive, and it migrates down."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from alembic import command
from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from agents.booking import propose
from agents.booking.chart import normalize
from agents.validation.normalize import company_key
from app.db import get_engine, get_sessionmaker, session_scope
from app.journal.models import Creditor, JournalEntry
from app.journal.posting import post_booking
from app.migrate import alembic_config, upgrade
from app.vendors.directory import DbVendorDirectory
from schemas.invoice import Invoice
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy
from tests.factories import create_document

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PAPIERHAUS = ("Papierhaus Nord GmbH", "DE111111111")


def _vendor(name: str, vat_id: str | None, count: int) -> dict[str, Any]:
    return {
        "name": name,
        "name_key": company_key(name),
        "vat_id": vat_id,
        "ibans": ["DE02120300000000202051"],
        "default_account": "4930",
        "invoice_count": count,
        "created_at": AT,
        "updated_at": AT,
    }


def _creditor(number: int, name: str, vat_id: str | None) -> dict[str, Any]:
    return {"number": number, "name": name, "vat_id": vat_id, "name_key": normalize(name), "created_at": AT}


def fill_0007(url: str) -> int:
    """Two approved vendors and three creditors (one matched by VAT ID, one by name, one unknown to the
    directory), and an entry posted to the first; returns the entry's document id."""
    with session_scope(get_sessionmaker(url)) as session:
        document_id = create_document(session).id
    with get_engine(url).begin() as conn:
        vendors, creditors, entries = (Table(n, MetaData(), autoload_with=conn) for n in _OLD_TABLES)
        conn.execute(vendors.insert(), [_vendor(*PAPIERHAUS, 2), _vendor("Kanzlei Berg", None, 1)])
        conn.execute(
            creditors.insert(),
            [
                _creditor(70001, "Papierhaus Nord GmbH", "DE111111111"),
                _creditor(70002, "Kanzlei Berg", None),
                _creditor(70003, "Hotel Adler KG", "DE333333333"),
            ],
        )
        _post_old_entry(conn, entries, creditors, document_id)
    get_engine(url).dispose()
    return document_id


_OLD_TABLES = ("vendors", "creditors", "journal_entries")


def _post_old_entry(conn: Connection, entries: Table, creditors: Table, document_id: int) -> None:
    creditor_id = conn.execute(select(creditors.c.id).where(creditors.c.number == 70001)).scalar_one()
    conn.execute(
        entries.insert().values(
            document_id=document_id,
            creditor_id=creditor_id,
            kind="invoice",
            document_number="R-1",
            document_date=date(2026, 11, 30),
            text="Papierhaus Nord GmbH",
            currency="EUR",
            gross_cents=11900,
            chart="skr03",
            posted_at=AT,
            posted_by="key:old",
        )
    )


def test_upgrade_from_0007_makes_one_vendor_per_seller_and_keeps_the_creditor_numbers(
    live_database_url: str,
) -> None:
    url = live_database_url
    command.downgrade(alembic_config(url), "0007_ocrin")
    document_id = fill_0007(url)

    upgrade(url)

    get_engine(url).dispose()
    assert "default_account" not in {c["name"] for c in inspect(get_engine(url)).get_columns("vendors")}
    with session_scope(get_sessionmaker(url)) as session:
        accounts = {c.number: c.vendor for c in session.scalars(select(Creditor))}
        assert {n: (v.name, v.vat_id, v.invoice_count) for n, v in accounts.items()} == {
            70001: ("Papierhaus Nord GmbH", "DE111111111", 2),
            70002: ("Kanzlei Berg", None, 1),
            70003: ("Hotel Adler KG", "DE333333333", 0),
        }
        assert accounts[70001].ibans == ["DE02120300000000202051"]
        entry = session.scalar(select(JournalEntry).where(JournalEntry.document_id == document_id))
        assert entry is not None
        assert (entry.creditor.number, entry.creditor.name) == (70001, "Papierhaus Nord GmbH")
        # The seller's next invoice goes to its account; a seller unknown until now gets the next number.
        assert _post(session, make_invoice(number="R-2")).creditor.number == 70001
        other = make_invoice(number="R-3", seller="Neu GmbH", vat_id="DE444444444")
        assert _post(session, other).creditor.number == 70004
    # A vendor known only by its creditor account is not on file for validation.
    directory = DbVendorDirectory(get_sessionmaker(url))
    assert directory.find(make_invoice(seller="Hotel Adler KG", vat_id="DE333333333")) is None
    assert directory.find(make_invoice()) is not None


def test_downgrade_to_0007_gives_the_creditors_their_names_back(live_database_url: str) -> None:
    url = live_database_url
    command.downgrade(alembic_config(url), "0007_ocrin")
    fill_0007(url)
    upgrade(url)

    command.downgrade(alembic_config(url), "0007_ocrin")

    with get_engine(url).connect() as conn:
        vendors, creditors, _entries = (Table(n, MetaData(), autoload_with=conn) for n in _OLD_TABLES)
        rows = conn.execute(
            select(creditors.c.number, creditors.c.name, creditors.c.vat_id, creditors.c.name_key).order_by(
                creditors.c.number
            )
        ).all()
        names = conn.execute(select(vendors.c.name).order_by(vendors.c.id)).scalars().all()
    assert [tuple(r) for r in rows] == [
        (70001, "Papierhaus Nord GmbH", "DE111111111", "papierhaus nord gmbh"),
        (70002, "Kanzlei Berg", None, "kanzlei berg"),
        (70003, "Hotel Adler KG", "DE333333333", "hotel adler kg"),
    ]
    assert names == ["Papierhaus Nord GmbH", "Kanzlei Berg"]  # the one only a creditor knew is gone
    get_engine(url).dispose()
    upgrade(url)


def _post(session: Session, invoice: Invoice) -> JournalEntry:
    document = create_invoice_document(session, invoice=invoice)
    return post_booking(session, document, propose(invoice, skr03_policy()), "key:test")
