"""The bug classes of real layouts, each on a small page whose values this test defines."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from agents.extraction import vocab
from agents.extraction.agent import ExtractionAgent, Us
from agents.extraction.layout import build_layout
from agents.extraction.money import money_tokens
from schemas.document import Word
from schemas.invoice import Invoice
from tests.agents.extraction.factories import make_read


def _extract(*pages: str, us: Us | None = None) -> Invoice:
    return ExtractionAgent(None, us=us).extract(make_read(*pages)).invoice


@pytest.mark.parametrize(
    "text",
    [
        "Seite 1",
        "Page 1 of 2",
        "Pos. 5",
        "Strona 2",
        "10115 Berlin",
        "Hauptstraße 12",
        "Tel. 0800 477",
        "Nr. 4711",
    ],
)
def test_numbers_that_belong_to_something_else_are_no_amounts(text: str) -> None:
    assert money_tokens(text) == []
    assert money_tokens(text, standing="labelled") == []


def test_a_year_is_never_an_amount_even_after_an_amount_label() -> None:
    found = money_tokens(" ON August 3, 2014 $4.11", standing="labelled")
    assert [m.value for m in found] == [Decimal("4.11")]


def test_money_shapes_count_anywhere() -> None:
    values = [m.value for m in money_tokens("17,00  € 40  1 234,56 zł  1'234.50 CHF  Kč 500")]
    assert values == [Decimal("17.00"), Decimal("40"), Decimal("1234.56"), Decimal("1234.50"), Decimal("500")]


def test_page_and_position_numbers_never_become_totals() -> None:
    invoice = _extract(
        """
Muster Handel GmbH | Seite 1
Rechnung Nr. 2503001 | Datum: 03.02.2025
Pos. 5 | Schrauben | 7,00
Gesamtbetrag | Seite 1
"""
    )
    assert invoice.gross_total not in {Decimal("1"), Decimal("5")}


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Rechnung Nr. 2503001", "2503001"),
        ("Invoice INV/2023/03/0008", "INV/2023/03/0008"),
        ("Faktura nr FV-1/2021", "FV-1/2021"),
        ("Factuurnummer: F-2026-0007", "F-2026-0007"),
        ("Numero fattura 2024/17", "2024/17"),
        ("Číslo faktury: 2021-0042", "2021-0042"),
        ("Nº factura: A-77", "A-77"),
        ("Rechnungsnummer 76253815-0004", "76253815-0004"),
        ("Facture n° | 1", "1"),
    ],
)
def test_invoice_numbers_under_inline_labels_keep_their_suffixes(line: str, number: str) -> None:
    invoice = _extract(f"Some Seller Ltd\n{line}\nDate: 05.03.2024\n")
    assert invoice.invoice_number == number


LANGUAGE_PAGES = {
    "nl": ("Factuurdatum: 14-12-2024", "Totaal incl. btw | € 121,00", "Subtotaal | € 100,00"),
    "it": ("Data fattura: 14/12/2024", "Totale documento | 121,00", "Imponibile | 100,00"),
    "es": ("Fecha de factura: 14/12/2024", "Total factura | 121,00 €", "Base imponible | 100,00 €"),
    "pl": ("Data wystawienia: 14.12.2024", "Razem brutto | 121,00 zł", "Razem netto | 100,00 zł"),
    "cs": ("Datum vystavení: 14. prosince 2024", "Celkem s DPH | 121,00 Kč", "Celkem bez DPH | 100,00 Kč"),
}


@pytest.mark.parametrize("language", sorted(LANGUAGE_PAGES))
def test_each_language_reads_date_and_totals(language: str) -> None:
    dated, gross, net = LANGUAGE_PAGES[language]
    invoice = _extract(f"Firma Beispiel\n{dated}\n{net}\n{gross}\n")
    assert invoice.issue_date == date(2024, 12, 14)
    assert invoice.gross_total == Decimal("121.00")
    assert invoice.net_total == Decimal("100.00")


def test_every_language_is_one_vocabulary_file() -> None:
    languages = {v.language for v in vocab.LANGUAGES}
    assert {"de", "en", "fr", "nl", "it", "es", "pl", "cs"} <= languages
    for v in vocab.LANGUAGES:
        for field in ("invoice_number", "issue_date", "gross_total"):
            assert v.labels.get(field), (v.language, field)
        assert v.seller_headers, v.language
        assert v.buyer_headers, v.language
        assert len(set(v.months.values())) == 12, v.language


DIN_LETTER = """
Nordlicht Werkzeuge GmbH, Hafenweg 3, 20457 Hamburg

Beispiel Kunde AG | Rechnungsnummer: RE-2024-117
Ringstraße 8 | Rechnungsdatum: 02.05.2024
80331 München
"""


def test_din_letter_window_is_the_buyer_and_the_sender_line_the_seller() -> None:
    invoice = _extract(DIN_LETTER.replace("\n\n", "\n" + "\n" * 8))
    assert invoice.buyer_name == "Beispiel Kunde AG"
    assert invoice.seller_name == "Nordlicht Werkzeuge GmbH"


def test_the_party_that_matches_our_company_is_the_buyer() -> None:
    page = """
Alpha Montage GmbH | Beta Bau GmbH
Rechnungsnummer: 55-1 | USt-IdNr. DE136695976
Rechnungsdatum: 02.05.2024
"""
    ours = _extract(page, us=Us(name="Alpha Montage GmbH", vat_id="DE136695976"))
    assert ours.buyer_name == "Alpha Montage GmbH"
    assert ours.seller_name != "Alpha Montage GmbH"
    assert ours.seller_vat_id is None


def test_totals_on_the_last_page_under_repeated_page_headers() -> None:
    header = "Muster Handel GmbH | Rechnung Nr. 4711 | Seite {n} von 2"
    first = f"{header.format(n=1)}\nRechnungsdatum: 02.05.2024\nPos. 1 | Beratung | 100,00\n"
    last = f"{header.format(n=2)}\nNettobetrag | 100,00\nMwSt 19 % | 19,00\nGesamtbetrag | 119,00\n"
    invoice = _extract(first, last)
    assert invoice.gross_total == Decimal("119.00")
    assert invoice.fields["gross_total"].page == 2
    assert invoice.invoice_number == "4711"


@pytest.mark.parametrize(
    ("terms", "days"),
    [
        ("Zahlbar innerhalb von 14 Tagen ohne Abzug.", 14),
        ("Payment terms: within 30 days", 30),
        ("Paiement à 45 jours.", 45),
        ("Payable on receipt.", 0),
        ("Zahlungstermin: sofort", 0),
        ("Bitte überweisen Sie innerhalb von 14\nTagen ohne Abzug.", 14),  # the sentence wraps
    ],
)
def test_due_date_computed_from_printed_terms(terms: str, days: int) -> None:
    invoice = _extract(f"Seller Ltd\nInvoice date: 10.01.2025\n{terms}\n")
    assert invoice.due_date == date(2025, 1, 10) + timedelta(days=days)
    assert invoice.fields["due_date"].kind == "rule"


def test_terms_counting_from_delivery_are_not_computed_even_when_they_wrap() -> None:
    invoice = _extract(
        "Seller Ltd\nInvoice date: 10.01.2025\nZahlbar innerhalb von 14 Tagen\nnach Lieferung.\n"
    )
    assert invoice.due_date is None


@pytest.mark.parametrize(
    "printed",
    [
        "Faelligkeitsdatum: 20.02.2025",  # an ASCII export spells out the umlaut
        "Falligkeit: 20.02.2025",  # a scan lost its dots
        "Payable jusqu'au: 20.02.2025",
        "Date d'échéance: 20\u201002\u20102025",  # typographic hyphens between the parts
        "Termin platnosci: 20.02.2025",  # Polish without its diacritics (ł, ś), as scans and ASCII print it
        "Date d'echeance: 20.02.2025",
    ],
)
def test_a_printed_due_date_under_other_spellings(printed: str) -> None:
    invoice = _extract(f"Seller Ltd\nInvoice date: 10.01.2025\n{printed}\n")
    assert invoice.due_date == date(2025, 2, 20)
    assert invoice.fields["due_date"].kind == "page"


def test_umlauts_in_vocabulary_match_their_plain_spellings_outside_character_classes() -> None:
    assert vocab.spelled("empfänger") == "empf(?:ä|ae|a)nger"
    assert vocab.spelled("stra[ßs]e") == "stra[ßs]e"
    assert vocab.spelled(r"\ß") == r"\ß"


def test_other_diacritics_in_vocabulary_match_their_base_letters() -> None:
    assert vocab.spelled("płatności") == "p(?:ł|l)atno(?:ś|s)ci"
    assert vocab.spelled("échéance") == "(?:é|e)ch(?:é|e)ance"
    assert vocab.spelled("[čc]íslo") == "[čc](?:í|i)slo"
    assert re.search(vocab.spelled("splatnosti|dič"), "DIC") is None  # case is the caller's flag
    assert re.search(vocab.spelled("dič"), "dic")


def test_amount_due_after_a_printed_prepayment() -> None:
    invoice = _extract(
        "Seller Ltd\nInvoice date: 10.01.2025\nNet total | 100,00\nVAT 19 % | 19,00\n"
        "Total incl. VAT | 119,00\nAmount paid | 50,00\nAmount due | 69,00\n"
    )
    assert invoice.amount_due == Decimal("69.00")
    assert invoice.prepaid_amount == Decimal("50.00")


def test_addresses_are_read_under_the_names_with_their_boxes() -> None:
    page = DIN_LETTER.replace("\n\n", "\n" + "\n" * 8)
    invoice = _extract(page)
    assert invoice.seller_address == "Hafenweg 3, 20457, Hamburg"
    assert invoice.buyer_address == "Ringstraße 8, 80331, München"
    assert invoice.fields["buyer_address"].bbox is not None
    assert invoice.fields["buyer_address"].page == 1


def test_delivery_date_only_when_printed() -> None:
    printed = _extract("Seller Ltd\nRechnungsdatum: 10.01.2025\nLeistungsdatum: 03.01.2025\n")
    assert printed.delivery_date == date(2025, 1, 3)
    assert _extract("Seller Ltd\nRechnungsdatum: 10.01.2025\n").delivery_date is None


@pytest.mark.parametrize(
    ("printed", "value"), [("NIP: 526-104-08-28", "526-104-08-28"), ("P.IVA 01234567897", "01234567897")]
)
def test_national_vat_numbers_after_their_label_are_the_sellers(printed: str, value: str) -> None:
    invoice = _extract(
        f"Sprzedawca || Nabywca\nFirma Alfa Sp. z o.o.\n{printed}\nData wystawienia: 14.12.2024\n".replace(
            "||", "|"
        )
    )
    assert invoice.seller_vat_id == value


def test_currency_words_of_other_languages() -> None:
    assert _extract("Firma\nRazem brutto | 121,00zł\n").currency == "PLN"
    assert _extract("Firma\nCelkem s DPH | 121,00 Kč\n").currency == "CZK"
    assert _extract("Firma\nRazem | 121,00\nSłownie: sto dwadzieścia jeden złotych\n").currency == "PLN"
    assert _extract("Firma\nCelkem | 121,00\nMěna: koruna česká\n").currency == "CZK"


def test_a_vat_id_after_a_label_that_looks_like_a_prefix_is_found() -> None:
    invoice = _extract(
        "Seller GmbH\nRechnungsdatum: 10.01.2025\nWeb www.seller.example | USt.-ID ATU13585627\n"
    )
    assert invoice.seller_vat_id == "ATU13585627"


def test_amount_due_after_down_payments_under_german_labels() -> None:
    invoice = _extract(
        "Seller GmbH\nRechnungsdatum: 10.01.2025\nNettobetrag | 1.000,00\nUSt. 20 % | 200,00\n"
        "Gesamtbetrag | 1.200,00\nSumme geleisteter Zahlungen brutto | 500,00 EUR\n"
    )
    assert invoice.prepaid_amount == Decimal("500.00")
    assert invoice.amount_due == Decimal("700.00")


def test_a_tax_word_in_parentheses_qualifies_another_amount() -> None:
    invoice = _extract(
        "Seller GmbH\nRechnungsdatum: 10.01.2025\nMwSt. 19 % | 19,00 €\nGesamtbetrag | 119,00 €\n"
        "Absetzbarer Anteil (inkl. MwSt) 1.190,00\n"
    )
    assert invoice.tax_total == Decimal("19.00")
    assert invoice.net_total == Decimal("100.00")


def test_a_large_title_is_read_and_a_sideways_margin_note_is_not() -> None:
    """A title set four times the body size stays; a word printed sideways (tall, narrow) is dropped."""
    read = make_read(
        "Seller Ltd\nRechnungsdatum: 10.01.2025\nNettobetrag | 100,00\nMwSt 19% | 19,00\nGesamt | 119,00\n"
    )
    page = read.pages[0]
    title = [
        Word(text="Rechnung", x0=300, top=80, x1=460, bottom=120),
        Word(text="4711", x0=470, top=80, x1=550, bottom=120),
    ]
    margin = Word(text="Nr.9999", x0=10, top=300, x1=20, bottom=380)
    read = read.model_copy(
        update={"pages": [page.model_copy(update={"words": [*page.words, *title, margin]})]}
    )
    invoice = ExtractionAgent(None).extract(read).invoice
    assert invoice.invoice_number == "4711"
    assert "9999" not in " ".join(line.text for line in build_layout(read).lines)
