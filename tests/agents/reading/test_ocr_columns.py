"""A page with two columns side by side reads the same turned any way as upright."""

from __future__ import annotations

import pytest
from PIL import Image

from agents.extraction.layout import build_layout
from agents.reading.ocr import OcrEngine, engine_problem, find_tessdata, read_image
from agents.reading.scanned import render_page
from schemas.document import Page, ReadResult, Word
from tests.pdf_builder import PageSpec, build_pdf

DPI = 300


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
