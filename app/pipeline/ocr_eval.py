"""Reading a corpus as degraded scans for `kontor eval --scan` (`agents.reading.degrade`).

`ScanReader(config, seed, rotate)` is a `Reader` for `agents.extraction.evaluate`: it turns each PDF
into a reproducible scan (JPEG pages, no text layer) and reads that the way the read step does, OCR
included. The same file gets the same scan on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from agents.reading.degrade import scan_pdf
from app.pipeline.ocr import OcrConfig, render_page
from app.pipeline.read import MAX_PAGES, read_pdf
from schemas.document import ReadResult


@dataclass(frozen=True)
class ScanReader:
    ocr: OcrConfig
    seed: int = 0
    #: Degrees clockwise the scanned pages are turned (0, 90, 180, 270).
    rotate: int = 0

    def scan(self, data: bytes, name: str) -> bytes:
        return scan_pdf(
            data, name, _render, min(_page_count(data), MAX_PAGES), seed=self.seed, rotate=self.rotate
        )

    def __call__(self, data: bytes, name: str) -> ReadResult:
        return read_pdf(self.scan(data, name), None, self.ocr)


def _render(data: bytes, index: int, dpi: int) -> Image.Image:
    return render_page(data, index, dpi)


def _page_count(data: bytes) -> int:
    import pypdfium2

    from app.pdfium import PDFIUM_LOCK

    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
