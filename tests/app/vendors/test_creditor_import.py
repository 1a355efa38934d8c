"""Taking over the advisor's creditor numbers from a CSV list or DATEV's own master data export."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking import propose
from agents.booking.datev_creditors import CreditorRecord, write_creditors
from app.db import get_sessionmaker, session_scope
from app.journal.models import Creditor, JournalEntry
from app.journal.posting import post_booking
from app.vendors.creditor_import import CreditorListError, import_creditors, parse_creditor_list
from schemas.invoice import Invoice
from tests.agents.booking.test_datev_format import HEADER_2026
from tests.app.test_cli import kontor
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy


def post(session: Session, invoice: Invoice) -> JournalEntry:
    document = create_invoice_document(session, invoice=invoice)
    return post_booking(session, document, propose(invoice, skr03_policy()), "key:test")


def numbers(session: Session) -> dict[str, int]:
    return {c.name: c.number for c in session.scalars(select(Creditor))}


def test_a_known_vendor_takes_the_advisors_number_and_keeps_it_for_the_next_invoice(session: Session) -> None:
    post(session, make_invoice(number="A-1"))  # Papierhaus Nord, DE111111111 → 70001
    rows = parse_creditor_list(
        b"number;name;vat_id\n70450;Papierhaus Nord;DE 111 111 111\n71000;Hotel Adler;\n"
    )
    result = import_creditors(session, rows, account_length=4, actor="cli:test")
    assert (result.renumbered, result.created) == ([(70001, 70450)], [71000])
    again = post(session, make_invoice(number="A-2"))
    hotel = post(session, make_invoice(number="H-1", seller="Hotel Adler", vat_id=None))
    assert (again.creditor.number, hotel.creditor.number) == (70450, 71000)
    newcomer = post(session, make_invoice(number="N-1", seller="Neu GmbH", vat_id="DE999999999"))
    assert newcomer.creditor.number == 71001  # the next free number after the advisor's


def test_a_number_of_another_creditor_is_not_taken(session: Session) -> None:
    post(session, make_invoice(number="A-1"))
    post(session, make_invoice(number="B-1", seller="Hotel Adler", vat_id="DE222222222"))
    rows = parse_creditor_list(b"number;name;vat_id\n70002;Papierhaus Nord;DE111111111\n")
    result = import_creditors(session, rows, account_length=4, actor="cli:test")
    assert result.renumbered == []
    assert "already belongs to" in result.warnings[0]
    assert numbers(session) == {"Papierhaus Nord GmbH": 70001, "Hotel Adler": 70002}


def test_datevs_own_creditor_export_is_read() -> None:
    data = write_creditors(
        HEADER_2026, [CreditorRecord(number=70300, name="Wien GmbH", vat_id="ATU12345678")]
    )
    assert parse_creditor_list(data)[0].__dict__ == {
        "number": 70300,
        "name": "Wien GmbH",
        "vat_id": "ATU12345678",
    }


@pytest.mark.parametrize("content", [b"number;name\nabc;X\n", b"name;vat_id\nX;DE1\n"])
def test_a_list_without_numbers_is_refused(content: bytes) -> None:
    with pytest.raises(CreditorListError, match="Line 2"):
        parse_creditor_list(content)


def test_numbers_outside_the_creditor_range_are_left_out(session: Session) -> None:
    result = import_creditors(
        session, parse_creditor_list(b"number,name\n12000,Kunde\n"), account_length=4, actor="cli:test"
    )
    assert (result.created, "no creditor account" in result.warnings[0]) == ([], True)


def test_kontor_creditors_import(tmp_path: Path, live_database_url: str) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        post(session, make_invoice())
    path = tmp_path / "kreditoren.csv"
    path.write_bytes(b"number;name;vat_id\n70450;Papierhaus Nord;DE111111111\n")
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    result = kontor("creditors", "import", str(path), env=env)
    assert result.returncode == 0, result.stderr
    assert "70001 → 70450" in result.stderr
    with session_scope(get_sessionmaker(live_database_url)) as session:
        assert numbers(session) == {"Papierhaus Nord GmbH": 70450}
