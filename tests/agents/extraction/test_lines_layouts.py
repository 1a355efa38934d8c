"""Line items on the table layouts real invoices print: one test per bug class seen on `real/`.

Every table here is synthetic (made-up words and numbers); the assertions are about structure:
which lines become items, that quantity x price gives the amount, that nothing is read twice.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from agents.extraction.evaluate import strip_embedded_xml
from agents.extraction.lines import extract_line_items
from agents.extraction.table_lines import page_lines
from agents.reading import read_pdf
from schemas.document import Page, ReadResult, Word
from tests.agents.extraction.test_lines import Cells, page, read, words_at
from tests.corpus import corpus_dir

#: One item table per language: header labels, two rows, the word that opens the totals block.
LANGUAGES = {
    "de": (("Pos", "Bezeichnung", "Menge", "Einzelpreis", "Betrag"), "Summe"),
    "en": (("#", "Description", "Qty", "Unit price", "Amount"), "Subtotal"),
    "fr": (("N°", "Désignation", "Quantité", "Prix unitaire", "Montant HT"), "Total HT"),
    "nl": (("Nr", "Omschrijving", "Aantal", "Prijs", "Totaal"), "Subtotaal"),
    "it": (("N.", "Descrizione", "Quantità", "Prezzo", "Importo"), "Totale"),
    "es": (("Línea", "Concepto", "Cantidad", "Precio", "Importe"), "Subtotal"),
    "pl": (("Lp.", "Nazwa", "Ilość", "Cena", "Wartość"), "Razem"),
    "cs": (("Č.", "Položka", "Počet", "Cena", "Celkem"), "Celkem"),
}
COLUMNS = (50, 80, 300, 370, 470)


def _table(labels: tuple[str, ...], end: str) -> list[tuple[float, Cells]]:
    return [
        (200.0, tuple(zip(COLUMNS, labels, strict=True))),
        (220.0, tuple(zip(COLUMNS, ("1", "Alpha widget", "3", "12,50", "37,50"), strict=True))),
        (235.0, tuple(zip(COLUMNS, ("2", "Beta service", "2", "40,00", "80,00"), strict=True))),
        (260.0, ((300, end), (470, "117,50"))),
    ]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_item_table_is_read_in_every_language(language: str) -> None:
    labels, end = LANGUAGES[language]
    result = extract_line_items(read(page(1, _table(labels, end))))

    assert [i.description for i in result.items] == ["Alpha widget", "Beta service"]
    for item in result.items:
        assert item.quantity is not None
        assert item.unit_price is not None
        assert item.quantity * item.unit_price == item.net_amount
    assert result.confidence >= 0.9  # rows agree and the printed subtotal is their sum


def test_currency_printed_against_the_number_is_not_part_of_it() -> None:
    lines = [
        (200.0, ((50, "Lp."), (80, "Nazwa"), (300, "Ilość"), (370, "Cena"), (470, "Wartość"))),
        (220.0, ((50, "1"), (80, "Ser"), (300, "2"), (370, "1,99zł"), (470, "3,98zł"))),
        (235.0, ((50, "2"), (80, "Mleko"), (300, "4"), (370, "43,08PLN"), (470, "172,32PLN"))),
        (250.0, ((50, "3"), (80, "Kawa"), (300, "1"), (370, "Kč 500"), (470, "Kč 500"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.net_amount for i in result.items] == [Decimal("3.98"), Decimal("172.32"), Decimal(500)]


def _word(text: str, x0: float, x1: float, top: float = 220.0) -> Word:
    return Word(text=text, x0=x0, top=top, x1=x1, bottom=top + 9)


def test_numbers_the_text_layer_split_are_joined_again() -> None:
    """ "1 089,00" with a thin space, "9" and "00,00" placed glyph by glyph; "543 210" stays apart."""
    words = [
        _word("1", 400.0, 404.5),
        _word("089,00", 406.0, 430.0),
        _word("9", 450.0, 454.5),
        _word("00,00", 454.5, 475.0),
        _word("543", 500.0, 513.5),
        _word("210", 515.0, 528.5),
    ]
    line = page_lines(Page(number=1, width=595, height=842, text="", words=words))[0]

    assert [w.text for w in line.words] == ["1 089,00", "900,00", "543", "210"]


def test_table_without_quantities_reads_each_described_amount() -> None:
    lines = [
        (200.0, ((50, "Lp."), (80, "Nazwa"), (300, "Ilość"), (370, "Cena"), (470, "Wartość netto"))),
        (220.0, ((50, "1"), (80, "Energia czynna"), (305, "-"), (375, "-"), (470, "18,00"))),
        (235.0, ((50, "2"), (80, "Dystrybucja"), (305, "-"), (375, "-"), (470, "25,60"))),
        (260.0, ((300, "Suma netto:"), (470, "43,60"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [(i.description, i.quantity, i.unit_price) for i in result.items] == [
        ("Energia czynna", None, None),
        ("Dystrybucja", None, None),
    ]


def test_a_lone_price_column_holds_the_amount() -> None:
    lines = [
        (200.0, ((60, "Pos."), (90, "Beschreibung"), (450, "Preis"))),
        (220.0, ((60, "1."), (90, "Erste Leistung"), (445, "200,00€"))),
        (235.0, ((60, "2."), (90, "Zweite Leistung"), (445, "150,20€"))),
        (255.0, ((400, "Summe:"), (445, "350,20€"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.net_amount for i in result.items] == [Decimal("200.00"), Decimal("150.20")]


def test_description_and_amount_alone_make_a_table() -> None:
    lines = [
        (200.0, ((220, "Description"), (490, "Total"))),
        (220.0, ((46, "Premium plan - monthly"), (470, "USD $50.00"))),
        (240.0, ((46, "Promotional code - recurring discount"), (470, "USD $-12.50"))),
        (265.0, ((400, "Sub Total"), (470, "USD $37.50"))),
        (280.0, ((420, "Credit"), (470, "USD $0.00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.net_amount for i in result.items] == [Decimal("50.00"), Decimal("-12.50")]
    assert all(i.description for i in result.items)


HEADER: Cells = ((50, "Pos"), (80, "Bezeichnung"), (300, "Menge"), (370, "Preis"), (470, "Betrag"))


def _row(top: float, number: int, name: str, qty: int, price: str, amount: str) -> tuple[float, Cells]:
    return top, ((50, str(number)), (80, name), (300, str(qty)), (370, price), (470, amount))


def _page_with_footer(number: int, body: list[tuple[float, Cells]]) -> Page:
    footer = (800.0, ((50, "Muster GmbH"), (150, f"FN 20{number}823"), (300, "12000"), (470, "52110")))
    return page(number, [*body, footer])


def test_a_running_footer_inside_a_multi_page_table_is_not_a_row() -> None:
    pages = [
        _page_with_footer(1, [(180.0, HEADER), _row(200.0, 1, "Tisch", 1, "200,00", "200,00")]),
        _page_with_footer(2, [(60.0, HEADER), _row(80.0, 2, "Stuhl", 4, "50,00", "200,00")]),
        _page_with_footer(
            3, [(60.0, HEADER), _row(80.0, 3, "Regal", 2, "75,00", "150,00"), (120.0, ((300, "Summe"),))]
        ),
    ]
    result = extract_line_items(read(*pages))

    assert [i.description for i in result.items] == ["Tisch", "Stuhl", "Regal"]
    assert [p for p, _ in result.boxes] == [1, 2, 3]


def _copy(number: int, mark: str) -> Page:
    return page(
        number,
        [
            (60.0, ((400, mark),)),
            (180.0, HEADER),
            _row(200.0, 1, "Tisch", 1, "200,00", "200,00"),
            _row(215.0, 2, "Stuhl", 4, "50,00", "200,00"),
            (240.0, ((300, "Summe"), (470, "400,00"))),
        ],
    )


def test_an_invoice_printed_twice_is_read_once() -> None:
    result = extract_line_items(read(_copy(1, "ORIGINAL"), _copy(2, "KOPIE")))

    assert [i.description for i in result.items] == ["Tisch", "Stuhl"]


def test_rows_repeated_inside_one_table_are_all_kept() -> None:
    rows = [_row(200.0 + 15 * i, i + 1, "Beratung", 2, "60,00", "120,00") for i in range(4)]
    result = extract_line_items(read(page(1, [(180.0, HEADER), *rows])))

    assert len(result.items) == 4


def test_a_totals_word_starts_a_row_only_when_its_numbers_agree() -> None:
    lines = [
        (200.0, ((63, "Omschrijving"), (285, "Aantal"), (390, "Prijs"), (500, "Totaal"))),
        (220.0, ((63, "Rit 123456"), (300, "8.5"), (385, "€ 38.00"), (495, "€ 323.00"))),
        (240.0, ((63, "Totaal KM"), (295, "1000"), (385, "€ 0.38"), (495, "€ 380.00"))),
        (265.0, ((63, "Totaal"), (300, "21"), (385, "€ 100.00"), (495, "€ 121.00"))),
        (280.0, ((63, "Later row"), (300, "1"), (385, "€ 5.00"), (495, "€ 5.00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.description for i in result.items] == ["Rit 123456", "Totaal KM"]


def test_group_subtotals_inside_a_table_do_not_end_it() -> None:
    lines = [
        (180.0, HEADER),
        (200.0, ((50, "1."), (80, "Material"))),
        _row(215.0, 11, "Farbe weiss", 10, "7,00", "70,00"),
        _row(230.0, 12, "Farbe blau", 10, "5,00", "50,00"),
        (245.0, ((300, "Summe Material:"), (470, "120,00"))),
        (260.0, ((50, "2."), (80, "Arbeit"))),
        _row(275.0, 21, "Arbeitsstunde", 3, "50,00", "150,00"),
        (290.0, ((300, "Summe Arbeit:"), (470, "150,00"))),
        (310.0, ((300, "Summe:"), (470, "270,00"))),
        (325.0, ((300, "Rabatt:"), (470, "-27,00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.description for i in result.items] == ["Farbe weiss", "Farbe blau", "Arbeitsstunde"]


def test_a_discount_row_under_an_agreeing_item_is_an_item_of_its_own() -> None:
    lines = [
        (180.0, HEADER),
        _row(200.0, 1, "Kühlbox", 1, "349,99", "349,99"),
        (215.0, ((80, "Rabatt"), (470, "-83,42"))),
        (240.0, ((300, "Summe"), (470, "266,57"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [(i.description, i.net_amount) for i in result.items] == [
        ("Kühlbox", Decimal("349.99")),
        ("Rabatt", Decimal("-83.42")),
    ]


def test_three_decimal_quantities_and_prices_are_read_at_price_basis_one() -> None:
    lines = [
        (200.0, ((59, "Kód"), (105, "Předmět"), (272, "Množství"), (330, "Cena za MJ"), (470, "Celkem"))),
        (220.0, ((59, "000001"), (105, "Zboží A"), (273, "1,000"), (328, "100,000"), (470, "100,00"))),
        (235.0, ((59, "000002"), (105, "Zboží B"), (273, "2,000"), (328, "150,500"), (470, "301,00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [(i.quantity, i.unit_price, i.price_basis_quantity) for i in result.items] == [
        (Decimal(1), Decimal(100), None),
        (Decimal(2), Decimal("150.5"), None),
    ]


def test_the_right_one_of_two_price_columns_is_the_amount() -> None:
    lines = [
        (200.0, ((100, "Item #"), (175, "Description"), (349, "Qty"), (464, "Unit Price"), (686, "Price"))),
        (220.0, ((99, "1"), (175, "Item one"), (439, "5"), (520, "500,00"), (739, "2.500,00"))),
        (235.0, ((99, "2"), (175, "Item two"), (433, "10"), (520, "100,00"), (739, "1.000,00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [(i.quantity, i.net_amount) for i in result.items] == [
        (Decimal(5), Decimal("2500.00")),
        (Decimal(10), Decimal("1000.00")),
    ]


def test_descriptions_starting_left_of_a_centred_label_are_kept() -> None:
    lines = [
        (200.0, ((126, "Artikel"), (282, "Aantal"), (364, "Prijs per stuk"), (495, "Totaal"))),
        (220.0, ((31, "Laptop"), (294, "1"), (406, "€ 999.99"), (520, "€ 999.99"))),
        (235.0, ((31, "Muis"), (294, "2"), (413, "€ 25.00"), (526, "€ 50.00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.description for i in result.items] == ["Laptop", "Muis"]


def test_the_wider_of_two_description_labels_names_the_column() -> None:
    lines = [
        (
            200.0,
            ((100, "Item"), (129, "#"), (175, "Description"), (349, "Qty"), (420, "Price"), (500, "Amount")),
        ),
        (220.0, ((99, "A-17"), (175, "Garden hose"), (352, "2"), (420, "15,00"), (500, "30,00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.description for i in result.items] == ["Garden hose"]


def test_a_printed_line_discount_keeps_the_printed_quantity() -> None:
    lines = [
        (180.0, HEADER),
        _row(200.0, 1, "Schreibtisch", 1, "2.021,00", "1.151,97"),
        (214.0, ((80, "Farbe: Schwarz"), (420, "(Rabatt"), (445, "43%"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [(i.quantity, i.unit_price, i.net_amount) for i in result.items] == [
        (Decimal(1), Decimal("2021.00"), Decimal("1151.97"))
    ]


def test_every_item_keeps_its_page_and_box() -> None:
    labels, end = LANGUAGES["de"]
    result = extract_line_items(read(page(1, _table(labels, end))))

    assert len(result.boxes) == len(result.items)
    for number, (x0, top, x1, bottom) in result.boxes:
        assert number == 1
        assert 0 <= x0 < x1 <= 595
        assert 0 <= top < bottom <= 842


def test_words_at_sets_words_left_to_right() -> None:
    """The helper this module builds on: one word per part, in order (guards the fixtures)."""
    words = words_at(100.0, ((50, "a b"), (200, "c")))
    assert [w.text for w in words] == ["a", "b", "c"]
    assert words[0].x1 < words[1].x0 < words[2].x0


def _multi_page_real() -> list[tuple[str, ReadResult]]:
    folder = corpus_dir() / "real"
    with (folder / "MANIFEST.csv").open(encoding="utf-8") as handle:
        names = [row["id"] for row in csv.DictReader(handle) if int(row["pages"]) > 1]
    return [(name, read_pdf(strip_embedded_xml((folder / f"{name}.pdf").read_bytes()))) for name in names]


def test_real_multi_page_invoices_read_no_running_footer_as_an_item() -> None:
    """On every multi-page layout of `real/`, items stand above the page's footer band, and no item
    that prints a quantity and a unit price is worth more than their product (a discount may lower it)."""
    checked = 0
    for name, result in _multi_page_real():
        heights = {p.number: p.height for p in result.pages}
        lines = extract_line_items(result)
        for number, (_, top, _, bottom) in lines.boxes:
            assert 0 < top < bottom < 0.96 * heights[number], name
        for item in lines.items:
            if item.quantity is not None and item.unit_price is not None and item.net_amount is not None:
                basis = item.price_basis_quantity or Decimal(1)
                assert item.net_amount <= item.quantity * item.unit_price / basis + Decimal("0.01"), name
        checked += bool(lines.items)
    assert checked >= 5
