from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from agents.extraction.candidates import labelled_candidates
from agents.extraction.identifiers import Found, find_ibans, find_vat_ids
from agents.extraction.layout import Layout, build_layout
from tests.agents.extraction.factories import make_read

GERMAN = """
Lieferant GmbH | Rechnungsnummer: RE-2024/0815
Hauptstraße 1 | Rechnungsdatum: 12.03.2024
80333 München
Nettobetrag | 1.000,00 EUR
MwSt 19% | 190,00 EUR
Gesamtbetrag | 1.190,00 EUR
Zahlbar bis 11.04.2024
IBAN: DE89 3704 0044 0532 0130 00 | USt-IdNr.: DE136695976
"""


def test_label_on_the_same_line_gives_the_value_beside_it() -> None:
    layout = build_layout(make_read(GERMAN))
    (number, *_) = labelled_candidates(layout, "invoice_number", "ident")
    assert number.value == "RE-2024/0815"
    assert number.page == 1
    assert number.bbox[0] > 100  # the value's own words, right of the label


def test_dates_and_amounts_follow_their_labels() -> None:
    layout = build_layout(make_read(GERMAN))
    assert labelled_candidates(layout, "issue_date", "date")[0].value == date(2024, 3, 12)
    assert labelled_candidates(layout, "due_date", "date")[0].value == date(2024, 4, 11)
    assert labelled_candidates(layout, "gross_total", "amount")[0].value == Decimal("1190.00")
    assert labelled_candidates(layout, "net_total", "amount")[0].value == Decimal("1000.00")


def test_value_under_a_column_label_is_found() -> None:
    text = "TOTAL HT | TOTAL TVA | TOTAL TTC\n100,00 | 20,00 | 120,00\n"
    layout = build_layout(make_read(text))
    assert labelled_candidates(layout, "net_total", "amount")[0].value == Decimal("100.00")
    assert labelled_candidates(layout, "gross_total", "amount")[0].value == Decimal("120.00")


def test_french_and_english_labels() -> None:
    text = "FACTURE N° : F2024-17\nDate d'échéance : 02/03/2022\nInvoice No. INV-99\nAmount due | 12.50\n"
    layout = build_layout(make_read(text))
    numbers = {c.value for c in labelled_candidates(layout, "invoice_number", "ident")}
    assert numbers == {"F2024-17", "INV-99"}
    assert labelled_candidates(layout, "due_date", "date")[0].value == date(2022, 3, 2)
    assert labelled_candidates(layout, "amount_due", "amount")[0].value == Decimal("12.50")


def _read(finder: Callable[[Layout], list[Found]], text: str) -> list[tuple[str, bool]]:
    return [(f.value, f.checksum_ok) for f in finder(build_layout(make_read(text)))]


@pytest.mark.parametrize(
    ("finder", "text", "expected"),
    [
        # A labelled IBAN failing only its check digits is kept, marked as failing.
        (
            find_ibans,
            "IBAN DE89 3704 0044 0532 0130 00\nIBAN: DE00 3704 0044 0532 0130 00\n",
            [("DE89370400440532013000", True), ("DE00370400440532013000", False)],
        ),
        # No IBAN label before it; a German account one digit short; a letter where Germany has digits
        # that looks like none.
        (
            find_ibans,
            "Referenz DE00 3704 0044 0532 0130 00\n"
            "IBAN DE00 3704 0044 0532 0130 0\n"
            "IBAN DE00 37X4 0044 0532 0130 00\n",
            [],
        ),
        # Groups split by dots, a space after the country code.
        (
            find_ibans,
            "IBAN : NL91 ABNA 0417.164.300\nIBAN: DE 89370400440532013000\n",
            [("NL91ABNA0417164300", True), ("DE89370400440532013000", True)],
        ),
        # Look-alikes OCR reads are read as the country's format wants them at their place (digits in a
        # German account, letters in a Dutch bank code), when the checksum then holds.
        (
            find_ibans,
            "IBAN DE89 37O4 0044 0532 O13O 00\n"
            "Konto NL91 A8NA 0417 1643 00\n"
            "IBAN: DEB9 3704 0044 0532 0130 01\n",
            [
                ("DE89370400440532013000", True),
                ("NL91ABNA0417164300", True),
                ("DE89370400440532013001", False),
            ],
        ),
        # A failed checksum is weaker evidence, not no evidence.
        (
            find_vat_ids,
            GERMAN + "Ihre USt-IdNr.: DE123456789\n",
            [("DE136695976", True), ("DE123456789", False)],
        ),
        # Swiss numbers with or without their suffix.
        (
            find_vat_ids,
            "Nº de TVA: CHE-123.456.788 TVA\nUID CHE-112.233.445\nMWST-Nr. CHE-123.456.789 MWST\n",
            [("CHE123456788TVA", True), ("CHE112233445", True), ("CHE123456789MWST", False)],
        ),
    ],
)
def test_identifiers_by_shape_and_checksum(
    finder: Callable[[Layout], list[Found]], text: str, expected: list[tuple[str, bool]]
) -> None:
    assert _read(finder, text) == expected


def test_a_vat_id_followed_by_another_label_on_its_line_is_found() -> None:
    text = "St.-Nr.: 23/123/456/789UID: DE136695976 IBAN: DE89 3704 0044 0532 0130 00\n"
    layout = build_layout(make_read(text))
    assert [(f.value, f.checksum_ok) for f in find_vat_ids(layout)] == [("DE136695976", True)]
    assert [f.value for f in find_ibans(layout)] == ["DE89370400440532013000"]
