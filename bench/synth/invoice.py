"""One synthetic invoice: its data, drawn from a seed, and its truth in the schema of `corpus/real`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from bench.synth.locales import LOCALES, Locale
from bench.synth.parties import Party, company, person

Layout = Literal["din5008", "us", "boxed", "multipage"]
LAYOUTS: tuple[Layout, ...] = ("din5008", "us", "boxed", "multipage")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal

    @property
    def net_amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class SynthInvoice:
    seed: int
    locale: Locale
    layout: Layout
    credit_note: bool
    number: str
    issue_date: date
    due_date: date | None
    seller: Party
    buyer: Party
    lines: list[Line]
    prepaid: Decimal
    #: Font family and size, and whether title and totals are drawn two or three times (fake bold).
    font: str
    size: float
    fake_bold: int
    #: The strings drawn for the truth values, so a test can find each on the page.
    printed: dict[str, str] = field(default_factory=dict)

    def tax_by_rate(self) -> dict[Decimal, tuple[Decimal, Decimal]]:
        """Per rate: taxable amount and tax, tax rounded once per rate (EN 16931 style)."""
        bases: dict[Decimal, Decimal] = {}
        for line in self.lines:
            bases[line.tax_rate] = bases.get(line.tax_rate, Decimal(0)) + line.net_amount
        return {
            rate: (base, (base * rate / 100).quantize(CENT, ROUND_HALF_UP)) for rate, base in bases.items()
        }

    @property
    def net_total(self) -> Decimal:
        return sum((line.net_amount for line in self.lines), Decimal(0))

    @property
    def tax_total(self) -> Decimal:
        return sum((tax for _, tax in self.tax_by_rate().values()), Decimal(0))

    @property
    def gross_total(self) -> Decimal:
        return self.net_total + self.tax_total

    @property
    def amount_due(self) -> Decimal:
        return self.gross_total - self.prepaid

    def truth(self) -> dict[str, Any]:
        """The labels, as `corpus/real/README.md` defines them; `_synth` says how it was drawn."""
        return {
            "invoice_number": self.number,
            "document_type": "credit_note" if self.credit_note else "invoice",
            "issue_date": self.issue_date.isoformat(),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "currency": self.locale.currency,
            "seller_name": self.seller.name,
            "seller_vat_id": self.seller.vat_id.replace(" ", "") if self.seller.vat_id else None,
            "buyer_name": self.buyer.name,
            "net_total": float(self.net_total),
            "tax_total": float(self.tax_total),
            "gross_total": float(self.gross_total),
            "amount_due": float(self.amount_due),
            "iban": self.seller.iban if not self.credit_note else None,
            "line_items": [
                {
                    "description": line.description,
                    "quantity": float(line.quantity),
                    "unit_price": float(line.unit_price),
                    "net_amount": float(line.net_amount),
                    "informational": False,
                }
                for line in self.lines
            ],
            "_synth": {
                "seed": self.seed,
                "locale": self.locale.code,
                "layout": self.layout,
                "printed": self.printed,
            },
        }


def draw(seed: int, *, locale: str | None = None, layout: Layout | None = None) -> SynthInvoice:
    """The invoice of `seed`; the same seed always gives the same invoice."""
    rng = random.Random(seed)
    chosen = LOCALES[locale] if locale else rng.choice(list(LOCALES.values()))
    form: Layout = layout if layout is not None else rng.choice(LAYOUTS)
    issue = date(2023, 1, 1) + timedelta(days=rng.randrange(1000))
    buyer = company(rng, chosen, with_iban=False) if rng.random() < 0.8 else person(rng, chosen)
    count = rng.randint(28, 45) if form == "multipage" else rng.randint(1, 12)
    prepaid = Decimal(0)
    lines = _lines(rng, chosen, count)
    net = sum((line.net_amount for line in lines), Decimal(0))
    if rng.random() < 0.2:
        prepaid = (net * Decimal(rng.choice((20, 30, 50))) / 100).quantize(Decimal(1))
    return SynthInvoice(
        seed=seed,
        locale=chosen,
        layout=form,
        credit_note=rng.random() < 0.1,
        number=_number(rng, issue),
        issue_date=issue,
        due_date=issue + timedelta(days=rng.choice((7, 14, 30))) if rng.random() < 0.8 else None,
        seller=company(rng, chosen),
        buyer=buyer,
        lines=lines,
        prepaid=prepaid,
        font=rng.choice(("DejaVuSans", "DejaVuSerif", "DejaVuSansMono")),
        size=rng.choice((8.0, 9.0, 10.0)),
        fake_bold=rng.choice((1, 1, 2, 3)),
    )


def _lines(rng: random.Random, locale: Locale, count: int) -> list[Line]:
    rates = locale.tax_rates if rng.random() < 0.3 else locale.tax_rates[:1]
    lines = []
    for _ in range(count):
        quantity = Decimal(rng.choice((1, 1, 2, 3, 5, 10, 12))) if rng.random() < 0.85 else Decimal("2.5")
        price = Decimal(rng.randint(150, 250_000)) / 100
        lines.append(Line(rng.choice(locale.items), quantity, price, rng.choice(rates)))
    return lines


def _number(rng: random.Random, issue: date) -> str:
    style = rng.randrange(5)
    serial = rng.randint(1, 9999)
    if style == 0:
        return f"{issue.year}-{serial:04d}"
    if style == 1:
        return f"RE{issue.year % 100:02d}{serial:05d}"
    if style == 2:
        return f"INV/{issue.year}/{issue.month:02d}/{serial:04d}"
    if style == 3:
        return f"FV {serial}/{issue.year}"
    return f"{rng.randint(10_000_000, 99_999_999)}-{serial:04d}"
