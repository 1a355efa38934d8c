"""Column 116 (Datum Zuord. Steuerperiode) of the DATEV export: input VAT follows the invoice's receipt."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.config import Settings
from app.models import Document
from tests.app.journal.test_datev import MARCH, NUMBERS, bookings, export, post
from tests.booking_factories import make_invoice
from tests.conftest import make_settings
from tests.datev_reader import read_extf


def test_input_vat_of_an_invoice_received_a_month_later_goes_to_the_month_of_receipt(
    session: Session, tmp_path: Path, database_url: str
) -> None:
    """Column 116 (Datum Zuord. Steuerperiode): input VAT is deductible once the invoice is in hand."""
    late = post(session, make_invoice(number="SPAET", issued=date(2026, 3, 30)))
    on_time = post(session, make_invoice(number="PUENKTLICH", issued=date(2026, 3, 2)))
    reverse_charge = post(
        session,
        make_invoice(number="RC", issued=date(2026, 3, 30), lines=[("Montage", "500", "0", "AE")]),
    )
    april = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    for entry in (late, on_time, reverse_charge):
        document = session.get(Document, entry.document_id)
        assert document is not None
        document.received_at = april if entry is not on_time else datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    session.flush()
    made = export(session, settings_with(tmp_path, database_url), MARCH)
    rows = {r["Belegfeld 1"]: r for r in read_extf(bookings(made)[0].content).rows}
    assert rows["SPAET"]["Datum Zuord. Steuerperiode"] == "02042026"
    assert rows["SPAET"]["Belegdatum"] == "3003"  # the Belegdatum stays the invoice's
    assert rows["PUENKTLICH"]["Datum Zuord. Steuerperiode"] == ""
    assert rows["RC"]["Datum Zuord. Steuerperiode"] == ""  # § 13b VAT does not wait for the invoice
    repeat = export(
        session, settings_with(tmp_path, database_url, tax_period_by_receipt=False), MARCH, again=True
    )
    assert {r["Datum Zuord. Steuerperiode"] for r in read_extf(bookings(repeat)[0].content).rows} == {""}


def settings_with(tmp_path: Path, database_url: str, **datev: object) -> Settings:
    return make_settings(tmp_path, database_url, booking={"datev": {**NUMBERS, **datev}})
