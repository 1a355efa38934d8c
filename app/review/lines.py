"""Line items and the VAT breakdown as a reviewer edits them: the breakdown follows the lines.

The functions here build the `fields` a correction sets (`line_items`, `tax_breakdown`); the invoice model
validates them, `decisions.edit_document` stores and audits them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.errors import NotFoundError
from app.review.forms import amount_input
from schemas.booking import ProposalLine
from schemas.invoice import Invoice, LineItem, TaxBreakdown

CENT = Decimal("0.01")
#: What a line's form may set, as `LineItem` names them.
LINE_FIELDS = ("description", "quantity", "unit_price", "net_amount", "tax_rate", "tax_category")


@dataclass(frozen=True)
class TaxKeyChoice:
    """A DATEV tax key as a reviewer picks it, and the VAT rate and category that lead to it."""

    key: str
    label: str
    rate: Decimal
    category: str


#: The purchase-side keys (see `agents.booking.tax_keys`); "" is "no key": VAT-exempt.
TAX_KEY_CHOICES: tuple[TaxKeyChoice, ...] = (
    TaxKeyChoice("9", "9 · 19 % input VAT", Decimal(19), "S"),
    TaxKeyChoice("8", "8 · 7 % input VAT", Decimal(7), "S"),
    TaxKeyChoice("94", "94 · § 13b reverse charge", Decimal(0), "AE"),
    TaxKeyChoice("19", "19 · intra-EU acquisition", Decimal(0), "K"),
    TaxKeyChoice("", "none · VAT-exempt", Decimal(0), "E"),
)


def tax_key_choice(key: str) -> TaxKeyChoice | None:
    return next((c for c in TAX_KEY_CHOICES if c.key == key.strip()), None)


def line_values(form: dict[str, str]) -> dict[str, str | None]:
    """A line form's values as the invoice holds them (amounts in either notation, blanks as None)."""
    values: dict[str, str | None] = {}
    for name in LINE_FIELDS:
        raw = form.get(name, "").strip()
        if name in ("description", "tax_category"):
            values[name] = raw or None
        else:
            values[name] = amount_input(raw) if raw else None
    return values


def with_line(invoice: Invoice, index: int | None, values: dict[str, Any]) -> dict[str, Any]:
    """The corrections that set line `index` (None: a new line at the end) to `values`."""
    lines = _plain_lines(invoice)
    if index is None:
        lines.append({"line_id": str(len(lines) + 1), **values})
    else:
        _check_index(lines, index)
        lines[index] = {**lines[index], **values}
    return _with_breakdown(invoice, lines)


def without_line(invoice: Invoice, index: int) -> dict[str, Any]:
    lines = _plain_lines(invoice)
    _check_index(lines, index)
    del lines[index]
    return _with_breakdown(invoice, lines)


def with_tax_key(invoice: Invoice, line: ProposalLine, choice: TaxKeyChoice) -> dict[str, Any]:
    """Book proposal line `line` under `choice`: its invoice line (or VAT group) takes that rate and key."""
    lines = _plain_lines(invoice)
    matching = [i for i, item in enumerate(invoice.line_items) if _is(item, line)]
    if matching:
        for i in matching:
            lines[i] = {**lines[i], "tax_rate": str(choice.rate), "tax_category": choice.category}
        return _with_breakdown(invoice, lines)
    # Booked as a whole VAT group (no line items): the group's row changes.
    rows = [row.model_dump(mode="json") for row in invoice.tax_breakdown]
    if 0 <= line.tax_group < len(rows):
        rows[line.tax_group] = {**rows[line.tax_group], "rate": str(choice.rate), "category": choice.category}
    return {"tax_breakdown": rows}


def breakdown(before: list[LineItem], after: list[LineItem], rows: list[TaxBreakdown]) -> list[TaxBreakdown]:
    """The breakdown `rows` moved by what changed between the lines `before` and `after`.

    Only the VAT groups whose lines changed are recomputed: the rest may hold document-level allowances and
    charges that no line shows, and stay exactly as the invoice states them.
    """
    old, new = _net_by_group(before), _net_by_group(after)
    result = list(rows)
    for key in sorted(old.keys() | new.keys(), key=str):
        delta = new.get(key, Decimal(0)) - old.get(key, Decimal(0))
        if delta:
            result = _moved(result, key, delta, still_carried=key in new)
    return result


def _net_by_group(items: list[LineItem]) -> dict[tuple[Decimal, str | None], Decimal]:
    groups: dict[tuple[Decimal, str | None], Decimal] = defaultdict(Decimal)
    for item in items:
        if not item.informational and item.net_amount is not None and item.tax_rate is not None:
            groups[(item.tax_rate, item.tax_category)] += item.net_amount
    return groups


def _moved(
    rows: list[TaxBreakdown], key: tuple[Decimal, str | None], delta: Decimal, *, still_carried: bool
) -> list[TaxBreakdown]:
    rate, category = key
    index = next((i for i, r in enumerate(rows) if (r.rate, r.category) == key), None)
    if index is None:
        return [*rows, _row(rate, category, delta, None)]
    row = rows[index]
    taxable = (row.taxable_amount or Decimal(0)) + delta
    if not taxable and not still_carried:
        return rows[:index] + rows[index + 1 :]
    return [*rows[:index], _row(rate, category, taxable, row.exemption_reason), *rows[index + 1 :]]


def _row(rate: Decimal, category: str | None, taxable: Decimal, reason: str | None) -> TaxBreakdown:
    return TaxBreakdown(
        rate=rate,
        category=category,
        taxable_amount=taxable.quantize(CENT),
        tax_amount=(taxable * rate / 100).quantize(CENT),
        exemption_reason=reason,
    )


def _with_breakdown(invoice: Invoice, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The lines, and the breakdown moved with them (a line that is not valid yet leaves it be)."""
    try:
        items = [LineItem.model_validate(line) for line in lines]
    except ValueError:
        return {"line_items": lines}  # the invoice model reports the bad value
    rows = breakdown(invoice.line_items, items, invoice.tax_breakdown)
    return {"line_items": lines, "tax_breakdown": [row.model_dump(mode="json") for row in rows]}


def _plain_lines(invoice: Invoice) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in invoice.line_items]


def _is(item: LineItem, line: ProposalLine) -> bool:
    return (item.description or "") == line.description and item.net_amount == line.net_amount


def _check_index(lines: list[dict[str, Any]], index: int) -> None:
    if not 0 <= index < len(lines):
        raise NotFoundError(f"There is no line {index + 1}.")
