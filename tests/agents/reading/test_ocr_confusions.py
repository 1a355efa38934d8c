"""Look-alike characters in a VAT ID's country prefix, repaired only where the check digits prove it."""

from __future__ import annotations

import pytest
from stdnum.ie import vat as ie_vat

from agents.reading.confusions import repair_vat_prefix

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
