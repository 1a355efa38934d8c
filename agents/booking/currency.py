"""Booking an invoice in another currency: every amount in EUR at the imported rate (units per EUR).

Each amount is converted on its own (amount / rate, half up to the cent); the totals are then the sums of
the converted VAT breakdown, so the EUR entry balances and its rows add up to its gross. The invoice's own
currency, rate and gross stay on the proposal for the DATEV columns WKZ, Kurs and Basis-Umsatz.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from schemas.invoice import Invoice

CENT = Decimal("0.01")
EURO = "EUR"


def is_foreign(currency: str | None) -> bool:
    return (currency or EURO).upper() != EURO


def to_euro(amount: Decimal | None, rate: Decimal) -> Decimal | None:
    return None if amount is None else (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def in_euro(invoice: Invoice, rate: Decimal) -> Invoice:
    """`invoice` with its amounts in EUR (see the module docstring)."""
    breakdown = [
        row.model_copy(
            update={
                "taxable_amount": to_euro(row.taxable_amount, rate),
                "tax_amount": to_euro(row.tax_amount, rate),
            }
        )
        for row in invoice.tax_breakdown
    ]
    lines = [
        line.model_copy(
            update={
                "net_amount": to_euro(line.net_amount, rate),
                "unit_price": to_euro(line.unit_price, rate),
                "gross_unit_price": to_euro(line.gross_unit_price, rate),
            }
        )
        for line in invoice.line_items
    ]
    changes = [c.model_copy(update={"amount": to_euro(c.amount, rate)}) for c in invoice.allowances_charges]
    totals = {
        name: to_euro(getattr(invoice, name), rate)
        for name in (
            "line_total", "allowance_total", "charge_total", "net_total", "tax_total", "gross_total",
            "prepaid_amount", "rounding_amount", "amount_due",
        )
    }  # fmt: skip
    if breakdown and all(r.taxable_amount is not None for r in breakdown):
        net = sum((r.taxable_amount or Decimal(0) for r in breakdown), Decimal("0.00"))
        tax = sum((r.tax_amount or Decimal(0) for r in breakdown), Decimal("0.00"))
        totals |= {"net_total": net, "tax_total": tax, "gross_total": net + tax}
    return invoice.model_copy(
        update={
            "currency": EURO,
            "tax_breakdown": breakdown,
            "line_items": lines,
            "allowances_charges": changes,
            **totals,
        }
    )
