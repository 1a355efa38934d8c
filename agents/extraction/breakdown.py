"""Rows the totals are made of: VAT breakdown rows (rate x base = tax), document allowance and charge rows.

A VAT row is recognised by arithmetic alone: a rate (with `%`, or a whole number) and two amounts on
one line such that base x rate rounds to tax. Their sums are candidates for the tax and net totals.
Where no line holds such a row, the common single-rate form ("zzgl. 19 % MwSt 35,53" under a net
line) gives one: a printed percentage that turns the solved net total into the solved tax total.
Allowance and charge rows are recognised by keyword ("Rabatt", "Remise", "Frais", "Versandkosten")
with one signed amount that is not the rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import combinations

from agents.extraction.candidates import Candidate
from agents.extraction.layout import Layout, Line, Segment
from agents.extraction.money import money_tokens
from agents.extraction.numbers import AmountMatch
from schemas.invoice import TaxBreakdown

_RATE_NUMBER = r"(?<![\d,.])(\d{1,2}(?:[.,]\d{1,2})?)\s?"
_RATE = re.compile(_RATE_NUMBER + "(%?)")
_PERCENT = re.compile(_RATE_NUMBER + "%")
#: No VAT rate in use is higher (Hungary's 27 %).
_MAX_RATE = 27
_CENT = Decimal("0.01")
_CENTS = re.compile(r"[.,]\d{2}\b")
_PRICED = re.compile(r"[€$£]|EUR|USD|CHF|GBP|PLN|CZK|zł|Kč", re.IGNORECASE)
_ALLOWANCE = re.compile(
    r"\b(?:remise|rabatt|nachlass|sondernachlass|discount|allowance|abzgl\.?|réduction)\b", re.IGNORECASE
)
_CHARGE = re.compile(
    r"\b(?:charge|frais|zuschlag|versandkosten|fracht|porto|shipping|surcharge|zzgl\.?\s+(?!u(?:msatz)?st|mwst))",
    re.IGNORECASE,
)
_TOTAL_WORDS = re.compile(r"\b(?:summe|total|gesamt|montant)\b", re.IGNORECASE)


@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    base: Decimal
    tax: Decimal
    line: int


def vat_rows(layout: Layout) -> list[VatRow]:
    """Distinct VAT breakdown rows, in reading order."""
    rows: dict[tuple[Decimal, Decimal, Decimal], VatRow] = {}
    for line in layout.lines:
        row = _vat_row(line)
        if row is not None:
            rows.setdefault((row.rate, row.base, row.tax), row)
    return list(rows.values())


#: At most this many rows are searched for the ones that make up the totals (a breakdown has few).
_MAX_ROWS = 12
_MAX_RATES = 4


def rows_of_totals(rows: list[VatRow], net: object, tax: object) -> list[VatRow]:
    """The rows that add up to the solved tax total (and net total, where known).

    Item lines can satisfy base x rate = tax too ("2 x 10,00 = 20,00" beside a price): rows whose
    sums miss the totals are not the breakdown. The smallest set of rows with distinct rates that
    meets the totals is; when none does, no row is trusted and no rate is stated.
    """
    if not isinstance(tax, Decimal) or not rows:
        return rows
    known_net = net if isinstance(net, Decimal) else None
    if _meets(rows, known_net, tax):
        return rows
    if len(rows) > _MAX_ROWS:
        return []
    for size in range(1, min(len(rows), _MAX_RATES) + 1):
        for subset in combinations(rows, size):
            if len({r.rate for r in subset}) == size and _meets(list(subset), known_net, tax):
                return list(subset)
    return []


def _meets(rows: list[VatRow], net: Decimal | None, tax: Decimal) -> bool:
    slack = _CENT * len(rows)
    if abs(sum((r.tax for r in rows), Decimal("0")) - tax) > slack:
        return False
    return net is None or abs(sum((r.base for r in rows), Decimal("0")) - net) <= slack


def printed_rate_row(layout: Layout, net: object, tax: object) -> VatRow | None:
    """The single VAT rate printed as a percentage that turns the net total into the tax total.

    Only when exactly one rate value fits: a page with two rates and no breakdown rows gives none,
    and a zero tax takes a printed "0 %" only (an exemption without a rate stays unstated).
    """
    if not isinstance(net, Decimal) or not isinstance(tax, Decimal) or net <= 0 or tax < 0:
        return None
    fitting: dict[Decimal, VatRow] = {}
    for line in layout.lines:
        for match in _PERCENT.finditer(line.text):
            rate = _rate_value(match)
            # To the cent, as validation recomputes it; a zero tax fits only a printed zero rate.
            if rate <= _MAX_RATE and (_fits(rate, net, tax) or rate == tax == 0):
                fitting.setdefault(rate, VatRow(rate, net, tax, line.index))
    return next(iter(fitting.values())) if len(fitting) == 1 else None


def breakdown(rows: list[VatRow]) -> list[TaxBreakdown]:
    return [TaxBreakdown(rate=r.rate, taxable_amount=r.base, tax_amount=r.tax) for r in rows]


def row_sums(rows: list[VatRow], layout: Layout) -> dict[str, list[Candidate]]:
    """Σ tax and Σ base of the breakdown as candidates for the tax and net totals."""
    if not rows:
        return {}
    first = layout.lines[rows[0].line]
    bbox = first.segments[0].bbox
    tax = sum((r.tax for r in rows), Decimal("0"))
    base = sum((r.base for r in rows), Decimal("0"))
    return {
        field: [
            Candidate(
                field=field,
                value=total,
                text=str(total),
                page=first.page,
                bbox=bbox,
                source="rule:sum_of_vat_breakdown",
                strength=strength,
                line=first.index,
            )
        ]
        for field, total, strength in (("tax_total", tax, 0.75), ("net_total", base, 0.6))
    }


def adjustment_rows(layout: Layout) -> dict[str, list[Candidate]]:
    """Allowance and charge rows, each alone and all summed, as candidates for their totals."""
    found: dict[str, list[Candidate]] = {"allowance_total": [], "charge_total": []}
    for line in layout.lines:
        text = line.text
        if _TOTAL_WORDS.search(text) or re.search(r"ust|mwst|tva|vat|steuer", text, re.IGNORECASE):
            continue
        field = (
            "allowance_total" if _ALLOWANCE.search(text) else "charge_total" if _CHARGE.search(text) else None
        )
        if field is None or (hit := _row_amount(line)) is None:
            continue
        segment, amount = hit
        value = -abs(amount.value) if field == "allowance_total" else amount.value
        bbox = segment.span_bbox(amount.start, amount.end)
        found[field].append(
            Candidate(
                field=field,
                value=value,
                text=amount.text,
                page=line.page,
                bbox=bbox,
                source="rule:row",
                strength=0.3,
                line=line.index,
            )
        )
    return {field: _with_sum(rows) for field, rows in found.items() if rows}


def _row_amount(line: Line) -> tuple[Segment, AmountMatch] | None:
    """The row's last amount with cents: "40 €" in legal small print or a bare VAT rate is no adjustment."""
    found = [
        (segment, a)
        for segment in line.segments
        for a in money_tokens(segment.text)
        if not _is_percent(segment.text, a) and _CENTS.search(a.text)
    ]
    return found[-1] if found else None


def _with_sum(rows: list[Candidate]) -> list[Candidate]:
    """The rows of one field, led by their sum where there are several."""
    if len(rows) < 2:
        return rows
    total = sum((r.value for r in rows if isinstance(r.value, Decimal)), Decimal("0"))
    # The sum stands where the first row does.
    summed = replace(rows[0], value=total, text=str(total), source="rule:sum_of_rows", strength=0.45)
    return [summed, *rows]


def _vat_row(line: Line) -> VatRow | None:
    text = line.text
    amounts = [a for a in money_tokens(text) if not _is_percent(text, a)]
    if len(amounts) < 2:
        return None
    for rate in _rates(text, amounts):
        for i, base in enumerate(amounts):
            for tax in amounts[i + 1 :]:
                if _fits(rate, base.value, tax.value):
                    return VatRow(rate, base.value, tax.value, line.index)
    return None


def _rates(text: str, amounts: list[AmountMatch]) -> list[Decimal]:
    """Numbers that may be a VAT rate: not a whole amount with its currency ("3 $" is a price, not 3 %)."""
    rates = []
    for match in _RATE.finditer(text):
        if any(a.start <= match.start(1) < a.end and _priced_count(a.text) for a in amounts):
            continue
        value = _rate_value(match)
        # Without its `%` a rate is a whole number ("19", "19,00"): "22,99" is a price.
        if 0 < value <= _MAX_RATE and (match.group(2) or value == value.to_integral_value()):
            rates.append(value)
    return rates


def _rate_value(match: re.Match[str]) -> Decimal:
    return Decimal(match.group(1).replace(",", "."))


def _fits(rate: Decimal, base: Decimal, tax: Decimal) -> bool:
    if base == 0 or tax == 0 or abs(tax) >= abs(base):
        return False
    return abs((base * rate / 100).quantize(_CENT) - tax) <= _CENT


def _priced_count(text: str) -> bool:
    return bool(_PRICED.search(text)) and not _CENTS.search(text)


def _is_percent(text: str, amount: AmountMatch) -> bool:
    return text[amount.end : amount.end + 2].strip().startswith("%")
