from datetime import date
from decimal import Decimal

from agents.extraction.candidates import labelled_candidates
from agents.extraction.identifiers import find_ibans, find_vat_ids
from agents.extraction.layout import build_layout
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


def test_only_checksum_valid_ibans_count() -> None:
    text = "IBAN DE89 3704 0044 0532 0130 00\nIBAN DE00 3704 0044 0532 0130 00\n"
    assert [f.value for f in find_ibans(build_layout(make_read(text)))] == ["DE89370400440532013000"]


def test_vat_ids_keep_a_failed_checksum_as_weaker_evidence() -> None:
    found = find_vat_ids(build_layout(make_read(GERMAN + "Ihre USt-IdNr.: DE123456789\n")))
    assert [(f.value, f.checksum_ok) for f in found] == [("DE136695976", True), ("DE123456789", False)]
