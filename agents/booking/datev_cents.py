"""Splitting one tax group's gross amount over several accounts so that DATEV's VAT matches the invoice.

DATEV books a row with a tax key as a gross amount and derives its VAT itself, per row:
VAT = gross * rate / (100 + rate), rounded half up to the cent (away from zero). Split proportionally,
the rows' derived VAT can miss the invoice's VAT by a cent. `exact_split` moves cents of gross between
the rows until every row's derived VAT is the VAT it carries; where no such split exists (an invoice that
rounded VAT per line, a single row) it keeps the rows DATEV-consistent and returns the remaining difference,
which is booked explicitly on the input VAT account. All amounts are integer cents.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from typing import NamedTuple


class Split(NamedTuple):
    nets: list[int]
    vats: list[int]
    #: Invoice VAT minus the VAT DATEV derives from the rows: booked without tax key.
    rounding: int


def datev_vat(gross: int, rate: Decimal) -> int:
    """The VAT DATEV derives from `gross` cents booked with a tax key of `rate` percent."""
    share = Fraction(rate) / (100 + Fraction(rate))
    vat = floor(abs(gross) * share + Fraction(1, 2))
    return vat if gross >= 0 else -vat


def gross_range(vat: int, rate: Decimal) -> tuple[int, int]:
    """The smallest and largest non-negative gross (cents) from which DATEV derives `vat` (>= 0)."""
    factor = (100 + Fraction(rate)) / Fraction(rate)
    low = max(0, ceil((vat - Fraction(1, 2)) * factor))
    high = ceil((vat + Fraction(1, 2)) * factor) - 1
    return low, high


def exact_split(nets: list[int], vats: list[int], rate: Decimal) -> Split:
    """Rows (net, VAT) with the same totals as `nets`/`vats` whose VAT DATEV derives from net + VAT."""
    if rate <= 0 or not nets:
        return Split(nets, vats, 0)
    if all(datev_vat(n + v, rate) == v for n, v in zip(nets, vats, strict=True)):
        return Split(nets, vats, 0)
    if min(nets) >= 0 and min(vats) >= 0:
        moved = _move_cents(nets, vats, rate)
        if moved is not None:
            return Split(moved, vats, 0)
    return _consistent_rows(nets, vats, rate)


def _move_cents(nets: list[int], vats: list[int], rate: Decimal) -> list[int] | None:
    """Gross per row inside the range that yields its VAT, same total; None where that is impossible."""
    ranges = [gross_range(v, rate) for v in vats]
    gross = [min(max(n + v, low), high) for n, v, (low, high) in zip(nets, vats, ranges, strict=True)]
    missing = sum(nets) + sum(vats) - sum(gross)
    for i in sorted(range(len(gross)), key=lambda i: -abs(nets[i])):  # big rows absorb the cents first
        low, high = ranges[i]
        step = min(missing, high - gross[i]) if missing > 0 else max(missing, low - gross[i])
        gross[i] += step
        missing -= step
    if missing != 0:
        return None
    return [g - v for g, v in zip(gross, vats, strict=True)]


def _consistent_rows(nets: list[int], vats: list[int], rate: Decimal) -> Split:
    """Each row's VAT as DATEV derives it from its net; the rest of the invoice VAT is the rounding."""
    derived = [_vat_of_net(n, rate) for n in nets]
    return Split(nets, derived, sum(vats) - sum(derived))


def _vat_of_net(net: int, rate: Decimal) -> int:
    # net * rate / 100 rounded half up is a fixed point: DATEV derives exactly it back from net + VAT.
    vat = floor(abs(net) * Fraction(rate) / 100 + Fraction(1, 2))
    return vat if net >= 0 else -vat
