"""Line items from synthetic text layers (German, English, French, two pages) and a corpus floor."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from agents.extraction.lines import extract_line_items
from agents.extraction.lines_score import descriptions_match, match_line_items
from agents.extraction.lines_units import unit_code
from agents.reading.pdf import read_pdf
from schemas.document import Page, ReadResult, Word
from schemas.invoice import LineItem
from tests.corpus import corpus_dir

Cells = tuple[tuple[float, str], ...]

#: Points per character and between words, roughly a 9 pt font.
CHAR = 4.5
SPACE = 2.5


def words_at(top: float, cells: Cells) -> list[Word]:
    """Each (x0, text) cell becomes its words, set left to right from x0."""
    words: list[Word] = []
    for x0, text in cells:
        x = x0
        for part in text.split():
            width = CHAR * len(part)
            words.append(Word(text=part, x0=x, top=top, x1=x + width, bottom=top + 8))
            x += width + SPACE
    return words


def page(number: int, lines: Sequence[tuple[float, Cells]]) -> Page:
    words = [w for top, cells in lines for w in words_at(top, cells)]
    return Page(number=number, width=595, height=842, text="", words=words)


def read(*pages: Page) -> ReadResult:
    return ReadResult(kind="pdf", page_count=len(pages), pages=list(pages))


GERMAN = [
    (100.0, ((50, "Rechnung Nr. 4711"),)),
    (200.0, ((50, "Pos"), (80, "Bezeichnung"), (300, "Menge"), (340, "Einheit"), (390, "Einzelpreis"))),
    (200.0, ((460, "Betrag"), (520, "MwSt"))),
    (220.0, ((50, "1"), (80, "Schrauben M8"), (300, "100"), (340, "Stk."), (400, "0,25"), (460, "25,00"))),
    (220.0, ((525, "19%"),)),
    (230.0, ((80, "verzinkt"),)),
    (245.0, ((50, "2"), (80, "Montage"), (300, "2,5"), (340, "Std"), (400, "48,00"), (460, "120,00"))),
    (245.0, ((525, "19%"),)),
    (270.0, ((80, "Zwischensumme"), (460, "145,00"))),
    (285.0, ((80, "Versand 1 Pauschal 5,00"), (460, "5,00"))),
]


def test_german_table_reads_items_units_and_multiline_description() -> None:
    result = extract_line_items(read(page(1, GERMAN)))

    assert [i.description for i in result.items] == ["Schrauben M8 verzinkt", "Montage"]
    first, second = result.items
    assert (first.quantity, first.unit_code, first.unit_price) == (Decimal(100), "H87", Decimal("0.25"))
    assert (first.net_amount, first.tax_rate) == (Decimal("25.00"), Decimal(19))
    assert (second.quantity, second.unit_code, second.net_amount) == (
        Decimal("2.5"),
        "HUR",
        Decimal("120.00"),
    )
    assert result.confidence >= 0.9
    assert [page for page, _ in result.boxes] == [1, 1]


def test_totals_block_ends_the_table() -> None:
    result = extract_line_items(read(page(1, GERMAN)))

    assert all("Versand" not in (i.description or "") for i in result.items)


def test_english_table_with_two_word_labels() -> None:
    lines = [
        (150.0, ((50, "Description"), (260, "Qty"), (300, "Unit price"), (380, "VAT %"), (450, "Amount"))),
        (170.0, ((50, "Consulting services"), (265, "10"), (310, "95.00"), (390, "20"), (450, "950.00"))),
        (185.0, ((50, "Travel expenses"), (265, "1"), (310, "120.50"), (390, "20"), (450, "120.50"))),
        (210.0, ((300, "Subtotal"), (450, "1,070.50"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [(i.description, i.quantity, i.net_amount) for i in result.items] == [
        ("Consulting services", Decimal(10), Decimal("950.00")),
        ("Travel expenses", Decimal(1), Decimal("120.50")),
    ]
    assert result.items[0].tax_rate == Decimal(20)


def test_french_table_with_description_above_its_numbers() -> None:
    lines = [
        (150.0, ((50, "Désignation"), (250, "P.U. HT"), (320, "Qté"), (370, "Montant HT"), (450, "TVA"))),
        (170.0, ((50, "Prestation de conseil"),)),
        (178.0, ((255, "500,00"), (325, "3,00"), (375, "1.500,00"), (450, "20,00%"))),
        (200.0, ((50, "Frais de dossier"),)),
        (208.0, ((255, "50,00"), (325, "1,00"), (375, "50,00"), (450, "20,00%"))),
        (216.0, ((50, "forfait"),)),
        (240.0, ((300, "Total HT"), (375, "1.550,00"))),
    ]
    result = extract_line_items(read(page(1, lines)))

    assert [i.description for i in result.items] == ["Prestation de conseil", "Frais de dossier forfait"]
    assert [i.net_amount for i in result.items] == [Decimal("1500.00"), Decimal("50.00")]
    assert result.items[1].unit_price == Decimal("50.00")


def test_table_continues_on_the_next_page_under_a_repeated_header() -> None:
    header = ((50, "Artikel"), (300, "Menge"), (360, "Preis"), (460, "Gesamt"))
    first = page(
        1,
        [
            (200.0, header),
            (220.0, ((50, "Papier A4"), (300, "5"), (360, "4,00"), (460, "20,00"))),
            (800.0, ((300, "Übertrag"), (460, "20,00"))),
        ],
    )
    second = page(
        2,
        [
            (60.0, ((300, "Übertrag"), (460, "20,00"))),
            (80.0, header),
            (100.0, ((50, "Toner schwarz"), (300, "2"), (360, "35,00"), (460, "70,00"))),
            (130.0, ((300, "Summe"), (460, "90,00"))),
        ],
    )
    result = extract_line_items(read(first, second))

    assert [i.description for i in result.items] == ["Papier A4", "Toner schwarz"]
    assert [p for p, _ in result.boxes] == [1, 2]


def test_no_table_gives_no_items_and_no_confidence() -> None:
    result = extract_line_items(read(page(1, [(100.0, ((50, "Sehr geehrte Damen und Herren"),))])))

    assert result.items == []
    assert result.confidence == 0.0


def test_match_counts_hits_misses_and_extras() -> None:
    truth = [
        LineItem(description="Schrauben M8", quantity=Decimal(100), net_amount=Decimal(25)),
        LineItem(description="Montage", net_amount=Decimal(120)),
        LineItem(description="Info", net_amount=Decimal(0), informational=True),
    ]
    predicted = [
        LineItem(
            description="Schrauben M8 verzinkt", quantity=Decimal("100.00"), net_amount=Decimal("25.00")
        ),
        LineItem(description="Montage", net_amount=Decimal("121.00")),
    ]

    assert match_line_items(predicted, truth) == (1, 1, 1)


def test_descriptions_match_across_line_breaks_but_not_across_words() -> None:
    assert descriptions_match("Beamer- Deckenhalterung", "Beamer-Deckenhalterung")
    assert descriptions_match("Mineralwasser Medium 12 x 1,0l PET", "Mineralwasser Medium \n12 x 1,0l PET")
    assert not descriptions_match("Pfandflasche", "Leergut")


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Stück", "H87"),
        ("Stk.", "H87"),
        ("pcs", "H87"),
        ("h", "HUR"),
        ("kg", "KGM"),
        ("m²", "MTK"),
        ("XBC-", "XBC"),
    ],
)
def test_unit_words_map_to_rec20(word: str, code: str) -> None:
    assert unit_code(word) == code


#: A few corpus invoices of different layouts; the floor stays well below what they score.
CORPUS_SAMPLE = (
    "ZF1.0__ZUGFeRD_1p0_COMFORT_Rabatte",
    "ZF1.0__ZUGFeRD_1p0_EXTENDED_Kostenrechnung",
    "FX1.0.7__Facture_F20220023-LE_FOURNISSEUR-POUR-LE_CLIENT_EN_16931",
    "ZF2.x__103767-Invoice-2026-03-24-1",
    "ZF2.4__EXTENDED_Warenrechnung_fx",
    "ZF2.4__EN16931_Miete_fx",
)
CORPUS_F1_FLOOR = 0.75


def _corpus_f1(folder: Path) -> float:
    tp = fp = fn = 0
    for name in CORPUS_SAMPLE:
        truth = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))["line_items"]
        result = extract_line_items(read_pdf((folder / f"{name}.pdf").read_bytes()))
        hits, extra, missed = match_line_items(result.items, [LineItem.model_validate(t) for t in truth])
        tp, fp, fn = tp + hits, fp + extra, fn + missed
    return 2 * tp / (2 * tp + fp + fn)


def test_corpus_sample_stays_above_the_f1_floor() -> None:
    folder = corpus_dir() / "invoices"
    with (folder / "MANIFEST.csv").open(encoding="utf-8") as manifest:
        known = {row["id"] for row in csv.DictReader(manifest)}
    assert set(CORPUS_SAMPLE) <= known

    assert _corpus_f1(folder) >= CORPUS_F1_FLOOR
