"""Foreign-currency invoices: imported rates, booking in EUR, the DATEV columns WKZ, Kurs, Basis-Umsatz."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from agents.booking import build_postings, propose
from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.journal.datev import create_export
from app.journal.exports import entry_read
from app.journal.posting import post_booking, reverse_entry
from app.journal.rates import RatesFileError, import_rates, invoice_rate, parse_rates, rate_on
from schemas.invoice import Invoice
from tests.app.journal.test_datev import MARCH, bookings, export
from tests.app.journal.test_datev import settings as settings
from tests.app.test_cli import kontor
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy
from tests.corpus import corpus_dir, truth
from tests.datev_reader import read_extf, signed_total

ECB = b"Date,USD,JPY,PLN,\n2026-03-13,1.0850,161.20,4.2800,\n2026-03-16,1.0900,N/A,4.3000,\n"


def usd_invoice(number: str = "US-1", net: str = "1085.00") -> Invoice:
    return make_invoice(number=number, currency="USD", lines=[("Cloud hosting", net, "19", "S")])


def test_the_ecb_file_and_plain_rates_are_read() -> None:
    rows = parse_rates(ECB)
    assert (date(2026, 3, 13), "USD", Decimal("1.0850")) in rows
    assert not [r for r in rows if r[1] == "JPY" and r[0] == date(2026, 3, 16)]  # N/A is no rate
    plain = parse_rates(b"date;currency;rate\n01.03.2026;CHF;0,9412\n")
    assert plain == [(date(2026, 3, 1), "CHF", Decimal("0.9412"))]
    with pytest.raises(RatesFileError):
        parse_rates(b"date;currency;rate\n2026-03-01;CHF;-1\n")


def test_the_rate_of_a_day_is_the_latest_fixing_within_a_month(session: Session) -> None:
    import_rates(session, parse_rates(ECB), "ecb")
    assert rate_on(session, "usd", date(2026, 3, 15)) == Decimal("1.0850")  # Sunday: Friday's fixing
    assert rate_on(session, "USD", date(2026, 3, 16)) == Decimal("1.0900")
    assert rate_on(session, "USD", date(2026, 3, 12)) is None
    assert rate_on(session, "USD", date(2026, 5, 1)) is None  # too old to use
    import_rates(session, [(date(2026, 3, 16), "USD", Decimal("1.1"))], "fix")
    assert rate_on(session, "USD", date(2026, 3, 16)) == Decimal("1.1")


def test_a_foreign_invoice_is_booked_in_euro_at_the_rate(session: Session) -> None:
    import_rates(session, parse_rates(ECB), "ecb")
    invoice = usd_invoice()
    rate = invoice_rate(session, invoice)
    proposal = propose(invoice, skr03_policy(), exchange_rate=rate)
    assert (proposal.currency, proposal.exchange_rate, proposal.foreign_gross_amount) == (
        "USD",
        Decimal("1.0850"),
        Decimal("1291.15"),
    )
    assert proposal.gross_amount == Decimal("1190.00")  # 1000.00 + 190.00 EUR
    assert not proposal.blocking
    assert sum(p.amount for p in build_postings(proposal, "70001") if p.side == "debit") == Decimal("1190.00")


def test_without_a_rate_the_invoice_goes_to_review_with_the_reason() -> None:
    proposal = propose(usd_invoice(), skr03_policy())
    (problem,) = [p for p in proposal.blocking if p.code == "booking.rate_missing"]
    assert "USD" in problem.message
    assert "kontor rates import" in problem.message


def test_the_datev_rows_carry_currency_rate_and_euro_base(session: Session, settings: Settings) -> None:
    import_rates(session, parse_rates(ECB), "ecb")
    invoice = usd_invoice(net="1000.00").model_copy(
        update={"line_items": [], "issue_date": date(2026, 3, 13)}
    )
    document = create_invoice_document(session, invoice=invoice)
    entry = post_booking(
        session, document, propose(invoice, skr03_policy(), exchange_rate=Decimal("1.085")), "t"
    )
    assert (entry.currency, entry.exchange_rate, entry.foreign_gross_cents) == ("USD", "1.085", 119000)
    read = entry_read(entry)
    assert (read.gross_amount, read.exchange_rate, read.foreign_gross_amount) == (
        Decimal("1096.78"),
        Decimal("1.085"),
        Decimal("1190.00"),
    )
    reverse_entry(session, entry, actor="key:rev", reason="test")
    rows = read_extf(bookings(export(session, settings, MARCH))[0].content).rows
    first, storno = rows
    assert [first[k] for k in ("Umsatz (ohne Soll/Haben-Kz)", "WKZ Umsatz", "Kurs", "WKZ Basis-Umsatz")] == [
        "1190,00",
        "USD",
        "1,085000",
        "EUR",
    ]
    # 1000 USD net -> 921.66 EUR, 190 USD VAT -> 175.12 EUR: the EUR gross is the sum of the converted parts.
    assert first["Basis-Umsatz"] == "1096,78"
    assert storno["Generalumkehr (GU)"] == "1"
    assert signed_total(read_extf(bookings(export(session, settings, MARCH, again=True))[0].content)) == 0


def test_kontor_rates_import(tmp_path: Path, live_database_url: str) -> None:
    path = tmp_path / "eurofxref-hist.csv"
    path.write_bytes(ECB)
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    result = kontor("rates", "import", str(path), env=env)
    assert result.returncode == 0, result.stderr
    assert "PLN" in result.stderr
    with session_scope(get_sessionmaker(live_database_url)) as session:
        assert rate_on(session, "PLN", date(2026, 3, 20)) == Decimal("4.3000")


#: Test rates per EUR, the same on every day: the mechanics are under test, not the market.
TEST_RATES = {"CHF": Decimal("0.95"), "PLN": Decimal("4.3"), "CZK": Decimal("25"), "USD": Decimal("1.1")}
TRUTH_FIELDS = ("invoice_number", "issue_date", "due_date", "currency", "seller_name", "seller_vat_id")


def real_foreign_invoices() -> list[Invoice]:
    invoices = []
    for path in sorted((corpus_dir() / "real").glob("*.json")):
        fields = truth(path)
        if fields.get("currency") in (None, "EUR"):
            continue
        totals = {k: fields.get(k) for k in ("net_total", "tax_total", "gross_total", "amount_due")}
        lines = [
            {k: line.get(k) for k in ("description", "quantity", "unit_price", "net_amount", "informational")}
            for line in fields.get("line_items") or []  # type: ignore[attr-defined]
        ]
        invoices.append(
            Invoice.model_validate(
                {**{k: fields.get(k) for k in TRUTH_FIELDS}, **totals, "line_items": lines}
            )
        )
    return invoices


def test_the_real_foreign_invoices_are_booked_in_euro_once_rates_are_imported(
    session: Session, settings: Settings
) -> None:
    invoices = real_foreign_invoices()
    assert len({i.currency for i in invoices}) >= 3
    days = {i.issue_date for i in invoices if i.issue_date}
    import_rates(session, [(d, c, r) for d in days for c, r in TEST_RATES.items()], "test")
    posted = []
    for invoice in invoices:
        proposal = propose(invoice, skr03_policy(), exchange_rate=invoice_rate(session, invoice))
        assert "booking.rate_missing" not in {p.code for p in proposal.problems}
        if not proposal.blocking:
            document = create_invoice_document(session, invoice=invoice)
            posted.append(post_booking(session, document, proposal, "key:test"))
    assert posted
    first = min(e.document_date for e in posted)
    made = create_export(
        session, settings, first, max(e.document_date for e in posted), actor="t", again=True
    )
    rows = [r for b in bookings(made) for r in read_extf(b.content).rows]
    assert {r["WKZ Umsatz"] for r in rows} <= set(TEST_RATES)
    total = sum((signed_total(read_extf(b.content)) for b in bookings(made)), Decimal(0))
    assert total == sum((e.gross_amount for e in posted), Decimal(0))
