"""Where a page draws text that is never painted: PDF text rendering modes 3 (invisible) and 7 (clip only).

pdfminer reads such text like any other and does not say its rendering mode, so PDFium is asked per
character. Boxes are in pdfplumber's coordinates (PDF points, top-left origin of the page).
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2
import pypdfium2.raw as pdfium_c

from agents.reading.pdfium import PDFIUM_LOCK

log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

#: Rendering modes that paint nothing: 3 neither fills nor strokes, 7 only adds to the clipping path.
UNPAINTED_MODES = frozenset({3, 7})


class RenderModes:
    """Invisible characters per page of one PDF; an unreadable PDF simply has none."""

    def __init__(self, document: pypdfium2.PdfDocument | None) -> None:
        self._document = document

    def invisible_boxes(self, index: int) -> list[Box]:
        """Boxes of the characters on page `index` (0-based) drawn in a mode that paints nothing."""
        if self._document is None or index >= len(self._document):
            return []
        with PDFIUM_LOCK:
            page = self._document[index]
            try:
                return _unpainted(page)
            finally:
                page.close()


@contextmanager
def render_modes(data: bytes) -> Iterator[RenderModes]:
    """Open `data` with PDFium for `RenderModes`; pdfplumber reports a broken file, not this."""
    try:
        with PDFIUM_LOCK:
            document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        log.debug("PDFium cannot open the file; rendering modes are not checked")
        yield RenderModes(None)
        return
    try:
        yield RenderModes(document)
    finally:
        with PDFIUM_LOCK:
            document.close()


def _unpainted(page: pypdfium2.PdfPage) -> list[Box]:
    text_page = page.get_textpage()
    try:
        # pdfplumber measures from the media box's top left corner, whatever the crop box.
        left, _, _, top = page.get_mediabox()
        boxes = []
        for i in range(pdfium_c.FPDFText_CountChars(text_page.raw)):
            obj = pdfium_c.FPDFText_GetTextObject(text_page.raw, i)
            if obj and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in UNPAINTED_MODES:
                x0, y0, x1, y1 = _char_box(text_page, i)
                boxes.append((x0 - left, top - y1, x1 - left, top - y0))
        return boxes
    finally:
        text_page.close()


def _char_box(text_page: pypdfium2.PdfTextPage, index: int) -> tuple[float, float, float, float]:
    x0, x1, y0, y1 = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(text_page.raw, index, x0, x1, y0, y1)
    return x0.value, y0.value, x1.value, y1.value
