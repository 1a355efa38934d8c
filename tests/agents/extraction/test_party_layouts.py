"""Party and number bug classes seen on real layouts, each on a small page whose values this test defines."""

from __future__ import annotations

import pytest

from agents.extraction.agent import ExtractionAgent
from agents.extraction.candidates import labelled_candidates
from agents.extraction.layout import build_layout
from agents.extraction.letterhead import letterhead, sender_line, window_block
from agents.extraction.parties import name_candidates, party_zones
from tests.agents.extraction.factories import make_read


@pytest.mark.parametrize(
    ("headers", "label"),
    [
        ("Sprzedawca | Nabywca", "Nazwa"),
        ("Dodavatel | Odběratel", "Název"),
        ("Cedente | Cessionario", "Nome"),
    ],
)
def test_a_name_label_of_any_language_names_the_party_in_its_block(headers: str, label: str) -> None:
    ids = "NIP: 123-456-32-18 | NIP: 987-654-32-10"
    page = f"{headers}\n{ids}\n{label}: Alfa Serwis S.A. | {label}: Beta Handel S.A.\n"
    layout = build_layout(make_read(page))
    zones = party_zones(layout)
    assert name_candidates(layout, zones, "seller")[0].text == "Alfa Serwis S.A."
    assert name_candidates(layout, zones, "buyer")[0].text == "Beta Handel S.A."


def test_an_invoice_number_in_the_next_cell_after_a_number_sign() -> None:
    layout = build_layout(make_read("Invoice | NO. 4471-22\nDate: 02.05.2024\n"))
    values = [c.value for c in labelled_candidates(layout, "invoice_number", "ident")]
    assert "4471-22" in values
    assert (
        ExtractionAgent(None).extract(make_read("Invoice | NO. 4471-22\n")).invoice.invoice_number
        == "4471-22"
    )


def test_a_city_line_with_a_state_code_is_no_sender_line() -> None:
    city = build_layout(make_read("Acme Freight Inc.\n100 Harbor Drive\nSeattle, WA 98101, USA\n"))
    assert sender_line(city) == []
    sender = build_layout(make_read("Nordlicht Werkzeuge GmbH, Hafenweg 3, 20457 Hamburg\n"))
    assert [text for _, text, _ in sender_line(sender)] == ["Nordlicht Werkzeuge GmbH"]


#: The page opens with the issuer's own address block; the recipient's block follows further down.
SENDER_FIRST = (
    "RECHNUNG\n\n\n\nAlpha Werkzeuge GmbH\nHafenweg 3\n20457 Hamburg\n\n\n\n"
    "Beta Bau AG\nRingstraße 8\n80331 München\n"
)


def test_an_address_block_that_opens_the_page_is_the_senders_when_another_follows() -> None:
    layout = build_layout(make_read(SENDER_FIRST))
    assert [s.text for s in window_block(layout)] == ["Beta Bau AG", "Ringstraße 8", "80331 München"]
    invoice = ExtractionAgent(None).extract(make_read(SENDER_FIRST)).invoice
    assert invoice.seller_name == "Alpha Werkzeuge GmbH"
    assert invoice.buyer_name == "Beta Bau AG"


def test_an_address_in_the_footer_is_no_window() -> None:
    page = "Rechnung Nr. 12\n" + "\n" * 48 + "Gamma Spedition\nDorpsstraat 12\n6718 NV Ede\n"
    assert window_block(build_layout(make_read(page))) == []


@pytest.mark.parametrize("title", ["x CONCEPT FACTUUR", "FAKTURA VAT", "Fattura", "RECHNUNG"])
def test_a_title_line_in_any_language_is_no_letterhead_name(title: str) -> None:
    layout = build_layout(make_read(f"{title}\nVeldman Transport\nDorpsstraat 1\n"))
    assert letterhead(layout)[0][1] == "Veldman Transport"


def test_a_slashed_number_under_an_invoice_number_label_is_the_number_not_a_date() -> None:
    layout = build_layout(make_read("Numer faktury\n7/05/2024\nNumer KSeF: 5451824119-20240501-ABC\n"))
    assert labelled_candidates(layout, "invoice_number", "ident")[0].value == "7/05/2024"
    # A label that may name anything ("Nr.:") still takes no date for a number.
    weak = build_layout(make_read("Nr.: 12/03/2024\n"))
    assert [c.value for c in labelled_candidates(weak, "invoice_number", "ident")] == []
