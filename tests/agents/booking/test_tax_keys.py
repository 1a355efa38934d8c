from __future__ import annotations

from decimal import Decimal

import pytest

from agents.booking.tax_keys import tax_key, treatment


@pytest.mark.parametrize(
    ("rate", "category", "expected", "key"),
    [
        ("19", "S", "standard", "9"),
        ("19.00", None, "standard", "9"),
        ("7", "S", "standard", "8"),
        ("0", "Z", "exempt", None),
        ("0", "E", "exempt", None),
        ("0", "O", "exempt", None),
        ("0", "AE", "reverse_charge", "94"),
        ("0", "K", "intra_eu", "19"),
        ("20", "S", "foreign", None),
        ("21", "S", "foreign", None),
    ],
)
def test_each_vat_case_gets_its_treatment_and_datev_key(
    rate: str, category: str | None, expected: str, key: str | None
) -> None:
    kind = treatment(Decimal(rate), category)
    assert kind == expected
    assert tax_key(kind, Decimal(rate)) == key
