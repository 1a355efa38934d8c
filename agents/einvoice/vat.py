"""EN 16931 per-rate VAT arithmetic: each breakdown row's base (BR-x-08) and tax (BR-CO-17)."""

from __future__ import annotations

from decimal import Decimal

from agents.einvoice.money import CENT, ZERO, to_cent
from schemas.finding import Finding, coded
from schemas.invoice import Invoice, TaxBreakdown

#: BR-CO-17 as the official Schematron states it: the tax may differ from base x rate by less than one
#: currency unit, because sellers may round per line.
TAX_TOLERANCE = Decimal(1)

#: The rule family per VAT category code (UNCL 5305): BR-S-08, BR-IC-08 for K, ...
CATEGORY_RULES = {
    "S": "S",
    "Z": "Z",
    "E": "E",
    "AE": "AE",
    "K": "IC",
    "G": "G",
    "O": "O",
    "L": "IG",
    "M": "IP",
}


def check_vat(invoice: Invoice, *, per_category: bool = True) -> list[Finding]:
    """Findings for breakdown rows whose base or tax does not follow from the invoice's own figures.

    `per_category=False` skips the bases (BR-x-08), for documents that predate EN 16931.
    """
    findings = [f for row in invoice.tax_breakdown if (f := _tax_amount(row)) is not None]
    if per_category and _lines_are_complete(invoice):
        findings += [f for row in invoice.tax_breakdown if (f := _taxable_amount(invoice, row)) is not None]
    return findings


def _rate(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


def _label(row: TaxBreakdown) -> str:
    return f"VAT category {row.category or '?'} at {_rate(row.rate).normalize():f} %"


def _tax_amount(row: TaxBreakdown) -> Finding | None:
    """BR-CO-17: category tax amount = taxable amount x rate / 100."""
    if row.taxable_amount is None or row.tax_amount is None:
        return None
    expected = to_cent(row.taxable_amount * _rate(row.rate) / 100)
    if abs(row.tax_amount - expected) < TAX_TOLERANCE:
        return None
    return Finding.of(
        coded("einvoice", "BR-CO-17"),
        "error",
        f"BR-CO-17: {_label(row)}: the tax is {row.tax_amount}, "
        f"but {row.taxable_amount} at that rate gives {expected}.",
        "tax_breakdown",
    )


def _lines_are_complete(invoice: Invoice) -> bool:
    """Whether the lines can be summed per category: present, each with an amount and a category."""
    lines = [line for line in invoice.line_items if not line.informational]
    return bool(lines) and all(line.net_amount is not None and line.tax_category for line in lines)


def _taxable_amount(invoice: Invoice, row: TaxBreakdown) -> Finding | None:
    """BR-x-08: a category's taxable amount = its lines + its document charges - its allowances."""
    if row.taxable_amount is None or row.category not in CATEGORY_RULES:
        return None
    key = (row.category, _rate(row.rate))
    lines = sum(
        (
            line.net_amount or ZERO
            for line in invoice.line_items
            if not line.informational and (line.tax_category, _rate(line.tax_rate)) == key
        ),
        ZERO,
    )
    adjustments = sum(
        (
            (ac.amount if ac.is_charge else -ac.amount)
            for ac in invoice.allowances_charges
            if (ac.tax_category, _rate(ac.tax_rate)) == key
        ),
        ZERO,
    )
    computed = to_cent(lines + adjustments)
    difference = abs(computed - to_cent(row.taxable_amount))
    if not difference:
        return None
    rule = f"BR-{CATEGORY_RULES[row.category]}-08"
    return Finding(
        code=coded("einvoice", rule),
        # One cent is a rounding difference (per-line rounding of gross prices), worth a look, no more.
        severity="warning" if difference <= CENT else "error",
        message=f"{rule}: {_label(row)}: the taxable amount is {row.taxable_amount}, "
        f"but the lines, allowances and charges in that category add up to {computed}.",
        fields=["tax_breakdown"],
    )
