"""Comparing a read invoice with a corpus truth file, by the corpus README's scoring rules.

Amounts compare by value (stricter than "to the cent"), dates as ISO dates, identifiers without spaces
and case, names and descriptions after folding case and whitespace. Null or empty truth is not scored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from schemas.invoice import Invoice

IDENTIFIERS = frozenset(
    {
        "invoice_number",
        "document_type_code",
        "currency",
        "seller_vat_id",
        "seller_tax_number",
        "seller_country",
        "buyer_vat_id",
        "buyer_country",
        "iban",
        "payer_iban",
        "line_id",
        "unit_code",
        "tax_category",
        "parent_line_id",
        "line_status",
        "category",
    }
)
NAMES = frozenset({"seller_name", "buyer_name", "description", "exemption_reason"})
DATES = frozenset({"issue_date", "due_date"})
AMOUNTS = frozenset(
    {
        "line_total",
        "allowance_total",
        "charge_total",
        "net_total",
        "tax_total",
        "gross_total",
        "prepaid_amount",
        "amount_due",
        "quantity",
        "unit_price",
        "price_basis_quantity",
        "gross_unit_price",
        "net_amount",
        "tax_rate",
        "rate",
        "taxable_amount",
        "tax_amount",
    }
)


def mismatches(invoice: Invoice, truth: dict[str, Any]) -> list[str]:
    """Every scored truth value the invoice does not reproduce, as `field: expected != got` lines."""
    ours = invoice.model_dump(mode="json", exclude={"fields"})
    problems = _compare_record("", ours, truth)
    if truth.get("ibans"):
        problems += _compare_value("ibans", ours["ibans"], truth["ibans"])
    problems += _compare_rows(
        "line_items", _scored_lines(ours["line_items"], truth), _scored_lines(truth["line_items"], truth)
    )
    problems += _compare_rows("tax_breakdown", ours["tax_breakdown"], truth["tax_breakdown"] or [])
    return problems


def _scored_lines(lines: list[dict[str, Any]], truth: dict[str, Any]) -> list[dict[str, Any]]:
    """All lines where the truth lists sub-lines too; else without informational and sub-lines (README)."""
    if any(line.get("parent_line_id") for line in truth["line_items"] or []):
        return lines
    return [line for line in lines if not line.get("informational") and not line.get("parent_line_id")]


def _compare_rows(name: str, ours: list[dict[str, Any]], truth: list[dict[str, Any]]) -> list[str]:
    if not truth:
        return []
    if len(ours) != len(truth):
        return [f"{name}: {len(truth)} rows expected, got {len(ours)}"]
    problems: list[str] = []
    for index, (our_row, truth_row) in enumerate(zip(ours, truth, strict=True)):
        problems += _compare_record(f"{name}[{index}].", our_row, truth_row)
    return problems


def _compare_record(prefix: str, ours: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for key, expected in truth.items():
        if (
            key.startswith("_")
            or expected in (None, "", [])
            or key in ("ibans", "line_items", "tax_breakdown")
        ):
            continue
        problems += _compare_value(prefix + key, ours.get(key), expected)
    return problems


def _compare_value(key: str, got: Any, expected: Any) -> list[str]:
    field = key.rpartition(".")[2]
    if isinstance(expected, list):
        same = [_normal_id(str(v)) for v in got or []] == [_normal_id(str(v)) for v in expected]
    elif field in AMOUNTS:
        same = got is not None and Decimal(str(got)) == Decimal(str(expected))
    elif field in IDENTIFIERS:
        same = got is not None and _normal_id(str(got)) == _normal_id(str(expected))
    elif field in NAMES:
        same = got is not None and _normal_name(str(got)) == _normal_name(str(expected))
    else:
        same = got == expected
    return [] if same else [f"{key}: {expected!r} != {got!r}"]


def _normal_id(value: str) -> str:
    return "".join(value.split()).casefold()


def _normal_name(value: str) -> str:
    return " ".join(value.split()).casefold()
