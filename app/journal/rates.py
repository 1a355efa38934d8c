"""Exchange rates the admin imports (never fetched at run time): the ECB reference rates or the German
monthly VAT conversion rates (BMF "Umsatzsteuer-Umrechnungskurse").

Rates are quoted as units of the currency per 1 EUR (the ECB's and DATEV's "Kurs" convention). Files:
the ECB CSV (`eurofxref-hist.csv` / `eurofxref.csv`: a `Date` column, then one column per currency,
`N/A` where there is none) or a plain CSV `date;currency;rate` (a monthly rate under the month's first
day). `rate_on` takes the latest rate on or before the day, at most `MAX_AGE_DAYS` old, so a monthly rate
covers its month and a daily rate the days without fixing.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Date, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base
from app.errors import KontorError
from schemas.invoice import Invoice

MAX_AGE_DAYS = 31


class RatesFileError(KontorError):
    status_code = 400
    error = "bad_rates_file"


class ExchangeRate(Base):
    __tablename__ = "exchange_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date)
    #: Units of `currency` per 1 EUR, as a decimal string (exact on every database).
    rate: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("currency", "day"),)


def parse_rates(data: bytes) -> list[tuple[date, str, Decimal]]:
    """(day, currency, rate) rows of an ECB or plain rates file; raises `RatesFileError`."""
    text = data.decode("utf-8-sig")
    first = text.splitlines()[0] if text.strip() else ""
    if first.startswith("Date"):
        return _ecb(csv.DictReader(io.StringIO(text)))
    return _plain(csv.DictReader(io.StringIO(text), delimiter=";" if ";" in first else ","))


def _day(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise RatesFileError(f"{value!r} is no date (YYYY-MM-DD, DD.MM.YYYY or '28 November 2026').")


def _rate(value: str, where: str) -> Decimal:
    try:
        rate = Decimal(value.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise RatesFileError(f"{where}: {value!r} is no rate.") from exc
    if rate <= 0:
        raise RatesFileError(f"{where}: a rate is positive, not {value!r}.")
    return rate


def _ecb(reader: csv.DictReader[str]) -> list[tuple[date, str, Decimal]]:
    rows: list[tuple[date, str, Decimal]] = []
    for record in reader:
        day = _day(record["Date"])
        for currency, value in record.items():
            code = (currency or "").strip().upper()
            if code and code != "DATE" and value and value.strip() not in ("", "N/A"):
                rows.append((day, code, _rate(value, f"{day} {code}")))
    return rows


def _plain(reader: csv.DictReader[str]) -> list[tuple[date, str, Decimal]]:
    try:
        return [
            (_day(r["date"]), r["currency"].strip().upper(), _rate(r["rate"], f"line {n}"))
            for n, r in enumerate(reader, start=2)
        ]
    except KeyError as exc:
        raise RatesFileError("A rates file has the columns date;currency;rate, or is the ECB CSV.") from exc


def import_rates(session: Session, rows: list[tuple[date, str, Decimal]], source: str) -> int:
    """Store `rows`; a rate already stored for the day is replaced. Returns how many were stored."""
    existing = {
        (r.currency, r.day): r
        for r in session.scalars(
            select(ExchangeRate).where(ExchangeRate.currency.in_({c for _d, c, _r in rows}))
        )
    }
    for day, currency, rate in rows:
        stored = existing.get((currency, day))
        if stored is None:
            stored = ExchangeRate(currency=currency, day=day, rate=str(rate), source=source[:64])
            session.add(stored)
            existing[(currency, day)] = stored
        else:
            stored.rate, stored.source = str(rate), source[:64]
    session.flush()
    return len(rows)


def rate_on(session: Session, currency: str, day: date) -> Decimal | None:
    """Units of `currency` per EUR on `day` (see the module docstring); None when no rate covers it."""
    found = session.scalar(
        select(ExchangeRate.rate)
        .where(ExchangeRate.currency == currency.upper(), ExchangeRate.day <= day)
        .where(ExchangeRate.day > day - timedelta(days=MAX_AGE_DAYS))
        .order_by(ExchangeRate.day.desc())
        .limit(1)
    )
    return Decimal(found) if found is not None else None


def invoice_rate(session: Session, invoice: Invoice) -> Decimal | None:
    """The rate for a foreign invoice on its date (None for euro, without a date, or when none is known)."""
    if not invoice.currency or invoice.currency.upper() == "EUR" or invoice.issue_date is None:
        return None
    return rate_on(session, invoice.currency, invoice.issue_date)
