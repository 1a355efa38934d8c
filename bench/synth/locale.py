"""What a locale prints: labels, number and date formats, month names, currency, tax rates."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Labels:
    title: str
    credit_title: str
    number: str
    date: str
    due: str
    customer: str
    bill_to: str
    description: str
    quantity: str
    unit_price: str
    amount: str
    net: str
    tax: str
    gross: str
    prepaid: str
    due_amount: str
    vat_id: str
    page: str  # "{n}" of "{m}"
    carried: str
    payable: str  # sentence with "{date}"
    thanks: str
    register: str


@dataclass(frozen=True)
class Locale:
    code: str
    country: str
    currency: str
    symbol: str
    symbol_first: bool
    thousands: str
    decimal: str
    #: Date patterns: {d} {dd} {m} {mm} {y} {month}.
    date_formats: tuple[str, ...]
    months: tuple[str, ...]
    tax_rates: tuple[Decimal, ...]
    labels: Labels
    items: tuple[str, ...]
    street_words: tuple[str, ...]
    legal_forms: tuple[str, ...]

    def amount(self, value: Decimal, *, symbol: bool = False) -> str:
        """`value` as this language prints it: 1.234,56 · 1,234.56 · 1 234,56 · 1'234.56."""
        sign = "-" if value < 0 else ""
        whole, cents = f"{abs(value):.2f}".split(".")
        groups: list[str] = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        text = f"{sign}{self.thousands.join(groups)}{self.decimal}{cents}"
        if not symbol:
            return text
        return (
            f"{self.symbol} {text}".replace("$ ", "$").replace("£ ", "£")
            if self.symbol_first
            else f"{text} {self.symbol}"
        )

    def quantity(self, value: Decimal) -> str:
        if value == value.to_integral_value():
            return str(int(value))
        return f"{value:.2f}".replace(".", self.decimal)

    def date(self, value: date, rng: random.Random) -> str:
        pattern = rng.choice(self.date_formats)
        return pattern.format(
            d=value.day,
            dd=f"{value.day:02d}",
            m=value.month,
            mm=f"{value.month:02d}",
            y=value.year,
            month=self.months[value.month - 1],
        )
