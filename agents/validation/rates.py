"""VAT rates per country, in percent.

Germany is dated exactly (the rate depends on the date of supply); for other countries the
current and recent rates are listed so that an unusual rate is only a warning.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple


class DatedRate(NamedTuple):
    rate: Decimal
    valid_from: date
    valid_to: date


def _d(value: str) -> Decimal:
    return Decimal(value)


_BEGIN = date(1900, 1, 1)
_END = date(9999, 12, 31)
_CUT_START = date(2020, 7, 1)  # Zweites Corona-Steuerhilfegesetz: 16 % / 5 % for six months
_CUT_END = date(2020, 12, 31)

GERMAN_RATES: tuple[DatedRate, ...] = (
    DatedRate(_d("0"), _BEGIN, _END),
    DatedRate(_d("16"), _BEGIN, date(2006, 12, 31)),
    DatedRate(_d("19"), date(2007, 1, 1), date(2020, 6, 30)),
    DatedRate(_d("16"), _CUT_START, _CUT_END),
    DatedRate(_d("19"), date(2021, 1, 1), _END),
    DatedRate(_d("7"), _BEGIN, date(2020, 6, 30)),
    DatedRate(_d("5"), _CUT_START, _CUT_END),
    DatedRate(_d("7"), date(2021, 1, 1), _END),
)

OTHER_RATES: dict[str, frozenset[Decimal]] = {
    country: frozenset(_d(r) for r in rates.split())
    for country, rates in {
        "AT": "20 13 10 5 0",
        "BE": "21 12 6 0",
        "BG": "20 9 0",
        "CH": "8.1 7.7 3.8 3.7 2.6 2.5 0",
        "CY": "19 9 5 3 0",
        "CZ": "21 15 12 10 0",
        "DK": "25 0",
        "EE": "24 22 20 13 9 5 0",
        "ES": "21 10 5 4 0",
        "FI": "25.5 24 14 13.5 10 0",
        "FR": "20 10 8.5 5.5 2.1 0",
        "GB": "20 5 0",
        "GR": "24 17 13 9 6 4 0",
        "HR": "25 13 5 0",
        "HU": "27 18 5 0",
        "IE": "23 13.5 9 4.8 0",
        "IT": "22 10 5 4 0",
        "LT": "21 9 5 0",
        "LU": "17 16 14 13 8 7 3 0",
        "LV": "21 12 5 0",
        "MT": "18 7 5 0",
        "NL": "21 9 6 0",
        "NO": "25 15 12 0",
        "PL": "23 8 5 0",
        "PT": "23 22 16 13 12 9 6 5 4 0",
        "RO": "21 19 11 9 5 0",
        "SE": "25 12 6 0",
        "SI": "22 9.5 5 0",
        "SK": "23 20 19 10 5 0",
    }.items()
}


def german_rates_on(day: date) -> frozenset[Decimal]:
    return frozenset(r.rate for r in GERMAN_RATES if r.valid_from <= day <= r.valid_to)


def german_rates_ever() -> frozenset[Decimal]:
    return frozenset(r.rate for r in GERMAN_RATES)
