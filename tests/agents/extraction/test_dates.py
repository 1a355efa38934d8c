from datetime import date

import pytest

from agents.extraction.dates import find_dates, parse_date


@pytest.mark.parametrize(
    "text",
    [
        "12.03.2024",
        "12/03/2024",
        "2024-03-12",
        "March 12, 2024",
        "12 mars 2024",
        "12. März 2024",
        "12 Mar 2024",
        "12-03-2024",
        "12.03.24",
        "Rechnungsdatum: 12.03.2024",
        "12\u201003\u20102024",
        "12\u201303\u20132024",
    ],
)
def test_parse_date_reads_common_invoice_formats(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 12)


def test_parse_date_reads_french_first_of_month() -> None:
    assert parse_date("1er janvier 2024") == date(2024, 1, 1)


def test_parse_date_swaps_an_unmistakable_month_day_order() -> None:
    assert parse_date("03/31/2024") == date(2024, 3, 31)


def test_parse_date_honours_us_order_when_asked() -> None:
    assert parse_date("03/12/2024", day_first=False) == date(2024, 3, 12)


@pytest.mark.parametrize("text", ["", "31.02.2024", "99.99.9999", "Rechnung 4711"])
def test_parse_date_refuses_impossible_dates(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_returns_all_dates_in_order() -> None:
    found = find_dates("Datum 05.11.2023, fällig am 20. Dezember 2023")
    assert [m.value for m in found] == [date(2023, 11, 5), date(2023, 12, 20)]
