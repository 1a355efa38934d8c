"""Arithmetic: the invoice's amounts must add up, within a rounding tolerance.

Checked only where every amount involved is known: a missing amount is the statutory check's
business, not an arithmetic fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from agents.validation.settings import ValidationSettings
from schemas.finding import Finding, FindingCode, coded
from schemas.invoice import Invoice, LineItem, TaxBreakdown

ZERO = Decimal(0)
CENT = Decimal("0.01")
WHOLE_UNIT_CURRENCIES = frozenset({"HUF", "JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF"})


def check_arithmetic(invoice: Invoice, settings: ValidationSettings) -> list[Finding]:
    # Quantity times price is not checked per line: line allowances and charges are not part of the
    # canonical line, so a discounted line would look wrong.
    scale = _unit_scale(invoice.currency)
    tolerance = settings.document_tolerance * scale
    return [
        *_lines_sum(invoice, tolerance),
        *_net(invoice, tolerance),
        *_gross(invoice, tolerance),
        *_rate_taxes(invoice, settings.line_tolerance * scale),
        *_breakdown_sums(invoice, tolerance),
        *_due(invoice, tolerance),
    ]


def _unit_scale(currency: str | None) -> Decimal:
    # Amounts in these currencies are rounded to whole units in practice, not to cents.
    return Decimal(100) if currency in WHOLE_UNIT_CURRENCIES else Decimal(1)


def booked_lines(invoice: Invoice) -> list[LineItem]:
    """Lines that carry their own amount: no information lines, no sub-lines of a group (EXTENDED)."""
    return [
        line
        for line in invoice.line_items
        if not line.informational and line.parent_line_id is None and line.net_amount is not None
    ]


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _mismatch(
    code: str, expected: Decimal, stated: Decimal, tolerance: Decimal, message: str, *fields: str
) -> list[Finding]:
    """An error where the invoice states other than its own amounts add up to, beyond `tolerance`."""
    if abs(expected - stated) <= tolerance:
        return []
    return [Finding.of(code, "error", message, *fields)]


def _lines_sum(invoice: Invoice, tolerance: Decimal) -> list[Finding]:
    lines = booked_lines(invoice)
    if not lines or invoice.line_total is None:
        return []
    total = _sum(line.net_amount for line in lines)
    return _mismatch(
        FindingCode.ARITHMETIC_LINES_MISMATCH,
        total,
        invoice.line_total,
        tolerance,
        f"The line amounts add up to {_money(total)}, "
        f"but the invoice states a line total of {_money(invoice.line_total)}.",
        "line_items",
        "line_total",
    )


def _net(invoice: Invoice, tolerance: Decimal) -> list[Finding]:
    if invoice.line_total is None or invoice.net_total is None:
        return []
    allowances = invoice.allowance_total or ZERO
    charges = invoice.charge_total or ZERO
    expected = invoice.line_total - allowances + charges
    return _mismatch(
        FindingCode.ARITHMETIC_NET_MISMATCH,
        expected,
        invoice.net_total,
        tolerance,
        f"Line total {_money(invoice.line_total)} - allowances {_money(allowances)} + charges "
        f"{_money(charges)} is {_money(expected)}, but the net total is {_money(invoice.net_total)}.",
        "line_total",
        "allowance_total",
        "charge_total",
        "net_total",
    )


def _gross(invoice: Invoice, tolerance: Decimal) -> list[Finding]:
    if invoice.net_total is None or invoice.gross_total is None:
        return []
    tax = invoice.tax_total or ZERO
    expected = invoice.net_total + tax
    return _mismatch(
        FindingCode.ARITHMETIC_GROSS_MISMATCH,
        expected,
        invoice.gross_total,
        tolerance,
        f"Net {_money(invoice.net_total)} + tax {_money(tax)} is {_money(expected)}, "
        f"but the gross total is {_money(invoice.gross_total)}.",
        "net_total",
        "tax_total",
        "gross_total",
    )


def _rate_taxes(invoice: Invoice, line_tolerance: Decimal) -> list[Finding]:
    findings = []
    for row in invoice.tax_breakdown:
        if row.rate is None or row.taxable_amount is None or row.tax_amount is None:
            continue
        expected = (row.taxable_amount * row.rate / 100).quantize(CENT)
        findings += _mismatch(
            FindingCode.ARITHMETIC_RATE_TAX_MISMATCH,
            expected,
            row.tax_amount,
            _rate_tolerance(invoice, row, line_tolerance),
            f"{row.rate.normalize():f} % of {_money(row.taxable_amount)} is {_money(expected)}, "
            f"but the tax stated for that rate is {_money(row.tax_amount)}.",
            "tax_breakdown",
        )
    return findings


def _rate_tolerance(invoice: Invoice, row: TaxBreakdown, line_tolerance: Decimal) -> Decimal:
    # Some invoicing software rounds the tax per line and adds the rounded amounts: each line at
    # the rate may then contribute up to half a cent.
    lines = [line for line in booked_lines(invoice) if line.tax_rate == row.rate]
    return max(line_tolerance, CENT / 2 * len(lines))


def _breakdown_sums(invoice: Invoice, tolerance: Decimal) -> list[Finding]:
    rows = invoice.tax_breakdown
    if not rows:
        return []
    return [
        *_breakdown_sum("base", [row.taxable_amount for row in rows], invoice.net_total, tolerance),
        *_breakdown_sum("tax", [row.tax_amount for row in rows], invoice.tax_total, tolerance),
    ]


#: Per sum of the VAT breakdown: what it adds up, and the total it must meet.
_BREAKDOWN = {
    "base": ("taxable amounts", "net_total", "net total"),
    "tax": ("tax amounts", "tax_total", "tax total"),
}


def _breakdown_sum(
    kind: str, amounts: list[Decimal | None], stated: Decimal | None, tolerance: Decimal
) -> list[Finding]:
    if stated is None or None in amounts:
        return []
    what, field, label = _BREAKDOWN[kind]
    total = _sum(amounts)
    return _mismatch(
        coded("arithmetic", f"breakdown_{kind}_mismatch"),
        total,
        stated,
        tolerance,
        f"The {what} per VAT rate add up to {_money(total)}, but the {label} is {_money(stated)}.",
        "tax_breakdown",
        field,
    )


def _due(invoice: Invoice, tolerance: Decimal) -> list[Finding]:
    if invoice.gross_total is None or invoice.amount_due is None:
        return []
    prepaid = invoice.prepaid_amount or ZERO
    expected = invoice.gross_total - prepaid + (invoice.rounding_amount or ZERO)
    return _mismatch(
        FindingCode.ARITHMETIC_DUE_MISMATCH,
        expected,
        invoice.amount_due,
        tolerance,
        f"Gross {_money(invoice.gross_total)} - prepaid {_money(prepaid)} is {_money(expected)}, "
        f"but the amount due is {_money(invoice.amount_due)}.",
        "gross_total",
        "prepaid_amount",
        "amount_due",
    )


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)
