from decimal import Decimal

import pytest

from agents.extraction.numbers import find_amounts, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("CHF 1\u2019234.50", "1234.50"),
        ("-12,00", "-12.00"),
        ("12,00-", "-12.00"),
        ("€ 1.234,56", "1234.56"),
        ("1.234,56 EUR", "1234.56"),
        ("EUR -5,00", "-5.00"),
        ("1.234.567,89", "1234567.89"),
        ("0,5", "0.5"),
        ("100.00", "100.00"),
        ("(12.00)", "-12.00"),
        ("42", "42"),
    ],
)
def test_parse_amount_reads_german_english_french_and_swiss_notation(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "19 %", "12.03.2024", "DE123"])
def test_parse_amount_refuses_what_is_not_one_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_find_amounts_skips_dates_and_percentages() -> None:
    text = "Gesamt 1.234,56 EUR MwSt 19% 234,56 am 2024-03-12 oder 12.03.2024 Gutschrift 5,00-"
    values = [m.value for m in find_amounts(text)]
    assert values == [Decimal("1234.56"), Decimal("234.56"), Decimal("-5.00")]


def test_find_amounts_keeps_spans() -> None:
    text = "Total TTC : 104,90 €"
    (match,) = find_amounts(text)
    assert text[match.start : match.end].startswith("104,90")
