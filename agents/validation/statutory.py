"""Statutory content of an invoice (§ 14 (4) UStG), relaxed for small amounts (§ 33 UStDV).

Each missing item is its own finding, `statutory.<item>_missing`, so a reviewer sees what to ask
the seller for and the review policy can weigh items differently.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from agents.validation.arithmetic import booked_lines
from agents.validation.settings import ValidationSettings
from schemas.finding import Finding, coded
from schemas.invoice import Invoice

Present = Callable[[Invoice], bool]


def _has_lines(invoice: Invoice) -> bool:
    lines = booked_lines(invoice)
    return bool(lines) and all(line.description and line.quantity is not None for line in lines)


def _has_net_by_rate(invoice: Invoice) -> bool:
    rows = invoice.tax_breakdown
    if rows:
        return all(row.taxable_amount is not None for row in rows)
    return invoice.net_total is not None


def _has_rate(invoice: Invoice) -> bool:
    return any(row.rate is not None or row.exemption_reason for row in invoice.tax_breakdown)


def _has_tax_amount(invoice: Invoice) -> bool:
    return invoice.tax_total is not None or any(row.tax_amount is not None for row in invoice.tax_breakdown)


def _field(name: str) -> Present:
    return lambda invoice: bool(getattr(invoice, name))


#: item → (what a bookkeeper calls it, test, fields involved)
ITEMS: dict[str, tuple[str, Present, list[str]]] = {
    "seller_name": ("the seller's name", _field("seller_name"), ["seller_name"]),
    "seller_address": ("the seller's address", _field("seller_address"), ["seller_address"]),
    "buyer_name": ("the buyer's name", _field("buyer_name"), ["buyer_name"]),
    "buyer_address": ("the buyer's address", _field("buyer_address"), ["buyer_address"]),
    "seller_tax_id": (
        "the seller's tax number or VAT ID",
        lambda i: bool(i.seller_tax_number or i.seller_vat_id),
        ["seller_tax_number", "seller_vat_id"],
    ),
    "issue_date": ("the issue date", _field("issue_date"), ["issue_date"]),
    "invoice_number": ("the invoice number", _field("invoice_number"), ["invoice_number"]),
    "quantity_description": ("quantity and description of every item", _has_lines, ["line_items"]),
    "delivery_date": ("the date of delivery or service", _field("delivery_date"), ["delivery_date"]),
    "net_by_rate": ("the net amount per VAT rate", _has_net_by_rate, ["tax_breakdown", "net_total"]),
    "tax_rate": ("the VAT rate (or the exemption note)", _has_rate, ["tax_breakdown"]),
    "tax_amount": ("the VAT amount", _has_tax_amount, ["tax_total"]),
    "gross_total": ("the gross amount", lambda i: i.gross_total is not None, ["gross_total"]),
}

FULL = (
    "seller_name",
    "seller_address",
    "buyer_name",
    "buyer_address",
    "seller_tax_id",
    "issue_date",
    "invoice_number",
    "quantity_description",
    "delivery_date",
    "net_by_rate",
    "tax_rate",
    "tax_amount",
)
SMALL_AMOUNT = (
    "seller_name",
    "seller_address",
    "issue_date",
    "quantity_description",
    "gross_total",
    "tax_rate",
)


def check_statutory(invoice: Invoice, settings: ValidationSettings) -> list[Finding]:
    small = is_small_amount(invoice, settings.small_amount_limit)
    items = SMALL_AMOUNT if small else FULL
    rule = "§ 33 UStDV (small amount)" if small else "§ 14 (4) UStG"
    findings = []
    for item in items:
        label, present, fields = ITEMS[item]
        if not present(invoice):
            findings.append(
                Finding(
                    code=coded("statutory", f"{item}_missing"),
                    severity="warning",
                    message=f"The invoice does not show {label}, which {rule} requires.",
                    fields=fields,
                )
            )
    return findings


def is_small_amount(invoice: Invoice, limit: Decimal) -> bool:
    # The limit is in euros; an invoice in another currency gets the full check. Without a gross
    # amount the amount due, or net plus tax, tells the size.
    gross = invoice.gross_total or invoice.amount_due
    if gross is None and invoice.net_total is not None:
        gross = invoice.net_total + (invoice.tax_total or 0)
    return (invoice.currency or "EUR") == "EUR" and gross is not None and 0 <= gross <= limit
