"""Line extents of OCR words, and a two-column page read the same turned any way as upright."""

from __future__ import annotations

import pytest
from PIL import Image

from agents.extraction.layout import build_layout
from agents.reading.ocr import OcrEngine, OcrWord, engine_problem, find_tessdata, read_image
from agents.reading.ocr_lines import line_extents
from agents.reading.scanned import render_page
from schemas.document import Page, ReadResult, Word
from tests.pdf_builder import PageSpec, build_pdf

DPI = 300


def _word(text: str, x0: float, top: float, *, width: float = 60.0, height: float = 20.0) -> OcrWord:
    return OcrWord(text, x0, top, x0 + width, top + height, confidence=95.0, line=0)


def test_words_of_one_row_get_the_line_box() -> None:
    words = [_word("Menge", 10, 102), _word("1,00", 400, 100), _word("Stk.", 480, 104)]
    extended = line_extents(words, {0: (98.0, 128.0)})
    assert {(w.top, w.bottom) for w in extended} == {(98.0, 128.0)}


def test_two_columns_joined_into_one_line_keep_their_own_rows() -> None:
    # The sender's name and, far right and 30 px lower, the invoice number: Tesseract made one line.
    words = [_word("Max", 10, 100), _word("Muster", 80, 100), _word("Nr.", 900, 130), _word("4711", 970, 131)]
    extended = line_extents(words, {0: (100.0, 151.0)})
    assert [(w.top, w.bottom) for w in extended] == [(100.0, 120.0)] * 2 + [(130.0, 151.0)] * 2


def test_a_wide_gap_on_one_row_is_still_one_band() -> None:
    words = [_word("Summe", 10, 100), _word("16,68", 900, 101)]
    extended = line_extents(words, {0: (99.0, 122.0)})
    assert {(w.top, w.bottom) for w in extended} == {(99.0, 122.0)}


LEFT = ["Anna Beispiel", "Lindenweg 12", "12345 Musterdorf"]
RIGHT = ["Rechnungs-Nr. 2024-117", "Kunden-Nr. 5512", "Datum 03.05.2024"]


def _two_columns() -> bytes:
    """A sender block on the left and the invoice's numbers on the right, a little lower: Tesseract
    reads each row of both as one text line."""
    page = PageSpec().lines(60, 700, LEFT, size=11, leading=16).lines(340, 696, RIGHT, size=11, leading=16)
    page.lines(60, 600, ["Wir berechnen Ihnen die folgenden Leistungen im Monat Mai."], size=11)
    return build_pdf([page])


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    tessdata = find_tessdata(None)
    assert tessdata is not None, engine_problem(None, "deu+eng")
    return OcrEngine(tessdata, "deu+eng")


@pytest.fixture(scope="module")
def upright_page() -> Image.Image:
    return render_page(_two_columns(), 0, DPI)


def _segments(image: Image.Image, engine: OcrEngine, turned: int) -> list[str]:
    page = read_image(image, engine)
    assert page.rotation == turned
    words = [Word(text=w.text, x0=w.x0, top=w.top, x1=w.x1, bottom=w.bottom) for w in page.words]
    read = ReadResult(
        kind="pdf", page_count=1, pages=[Page(number=1, width=1, height=1, text="", words=words)]
    )
    return [s.text for s in build_layout(read).segments()]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_two_column_page_reads_as_upright(
    engine: OcrEngine, upright_page: Image.Image, turn: int
) -> None:
    upright = _segments(upright_page, engine, 0)
    # Turned clockwise, as a page fed in sideways or upside down.
    turned = _segments(upright_page.rotate(-turn, expand=True, fillcolor=255), engine, turn)
    assert turned == upright
    for left in LEFT:
        assert left in upright  # each column's line stands alone, not joined with the other's
    assert "Rechnungs-Nr. 2024-117" in upright
