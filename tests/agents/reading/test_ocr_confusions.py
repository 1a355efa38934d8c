"""Look-alike characters in a VAT ID's country prefix, repaired only where the check digits prove it."""

from __future__ import annotations

import pytest
from stdnum.ie import vat as ie_vat

from agents.reading.confusions import repair_thousands_mark, repair_vat_prefix

BODY = "1234567"
#: A valid Irish VAT ID made here (its check letter computed), so no value of a real invoice is needed.
VALID = f"IE{BODY}{ie_vat.calc_check_digit(BODY)}"
WRONG_CHECK = f"IE{BODY}{'A' if VALID[-1] != 'A' else 'B'}"


@pytest.mark.parametrize("read", [f"1E{VALID[2:]}", f"1£{VALID[2:]}", f"l€{VALID[2:]}"])
def test_a_country_prefix_read_as_look_alikes_is_repaired(read: str) -> None:
    assert repair_vat_prefix(read) == VALID
    assert repair_vat_prefix(read + ",") == VALID + ","


@pytest.mark.parametrize(
    "read",
    [
        f"1E{WRONG_CHECK[2:]}",  # the check letter does not hold: no proof
        VALID,  # already right
        "5112345678",  # a plain number stays a number
        "1EE2026002338961",  # not a VAT ID's shape
        "INV-12345678",
    ],
)
def test_words_the_checksum_does_not_prove_are_left_alone(read: str) -> None:
    assert repair_vat_prefix(read) == read


@pytest.mark.parametrize(
    ("read", "meant"),
    [("2°250.00", "2'250.00"), ("1\u00b4234°567.80", "1'234'567.80"), ("-12\u2018000", "-12'000")],
)
def test_a_thousands_apostrophe_read_as_a_look_alike_is_repaired(read: str, meant: str) -> None:
    assert repair_thousands_mark(read) == meant


@pytest.mark.parametrize("read", ["12°C", "2°25", "2°2500", "Nr°123", "1\u2019250.00", "N°"])
def test_a_degree_sign_that_groups_no_thousands_is_left_alone(read: str) -> None:
    assert repair_thousands_mark(read) == read
