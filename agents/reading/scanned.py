"""OCR for the pages of a PDF that have no usable text layer (scans, photos, outlined text).

`ocr_pages` runs inside the read sandbox after pdfplumber: a page whose text layer has fewer than
`min_chars` letters and digits, or is mostly unreadable (U+FFFD, `(cid:n)`, private-use glyphs), is
rendered with PDFium at `dpi` and read by Tesseract (`agents.reading.ocr`); of more than `max_pages`
such pages, the first ones and the last two are read. Its words replace the text layer's when they
hold more letters and digits; the page is marked with `Page.ocr`.
Tesseract runs in this process on one thread (the bundled libtesseract has no OpenMP; the sandbox
child sets OMP_THREAD_LIMIT=1 as well, for a build that does).
"""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PIL import Image

from agents.reading.ocr import OcrEngine, OcrPage, engine_problem, find_tessdata, read_image
from agents.reading.pdfium import PDFIUM_LOCK
from schemas.document import OcrInfo, Page, Word

log = logging.getLogger(__name__)

_GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
#: Of a document with more pages to OCR than `OcrConfig.max_pages`, this many last pages are read too.
LAST_PAGES = 2


@dataclass(frozen=True)
class OcrConfig:
    """What the sandboxed reader needs to OCR (plain, picklable data)."""

    tessdata: Path | None
    languages: str
    dpi: int = 300
    max_pages: int = 10
    min_chars: int = 30


def needs_ocr(page: Page, min_chars: int) -> bool:
    """No usable text: too few letters and digits, or mostly glyphs without a Unicode mapping."""
    text = page.text
    garbage = sum(len(m) for m in _GARBAGE.findall(text))
    visible = sum(1 for c in text if not c.isspace())
    if visible and garbage / visible > 0.3:
        return True
    return _usable_chars(text) < min_chars


def ocr_pages(data: bytes, pages: list[Page], config: OcrConfig) -> tuple[list[Page], str | None]:
    """The pages with OCR'd words where the text layer is unusable, and why OCR could not run (or None)."""
    wanted = pages_to_read(
        [i for i, page in enumerate(pages) if needs_ocr(page, config.min_chars)], config.max_pages
    )
    if not wanted:
        return pages, None
    tessdata = find_tessdata(config.tessdata)
    problem = engine_problem(tessdata, config.languages)
    if problem is not None or tessdata is None:
        log.warning("pages without text not read: %s", problem)
        return pages, problem
    engine = OcrEngine(tessdata, config.languages)
    result = list(pages)
    for index in wanted:
        image = render_page(data, pages[index].number - 1, config.dpi)
        try:
            read = _to_page(pages[index], read_image(image, engine), config)
        except RuntimeError as exc:  # tesserocr raises on a page it finds nothing on (a blank page)
            log.info("page %d: OCR found no text (%s)", pages[index].number, exc)
            continue
        if _usable_chars(read.text) > _usable_chars(pages[index].text):
            result[index] = read
    return result, None


def pages_to_read(wanted: list[int], limit: int) -> list[int]:
    """At most `limit` of the `wanted` pages: the first ones and the last `LAST_PAGES` (a long invoice
    has its totals and payment terms at its end)."""
    if len(wanted) <= limit:
        return wanted
    last = min(LAST_PAGES, limit // 2)
    return wanted[: limit - last] + wanted[len(wanted) - last :]


def render_page(data: bytes, index: int, dpi: int) -> Image.Image:
    """Page `index` (0-based) as an 8-bit grey image at `dpi`, tagged with its resolution."""
    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(data)
        try:
            image: Image.Image = pdf[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        finally:
            pdf.close()
    image.info["dpi"] = (dpi, dpi)
    return image


def straightened_image(data: bytes, page: Page) -> Image.Image:
    """The image an OCR'd page's word boxes refer to (see `OcrInfo`): boxes in points * dpi / 72."""
    if page.ocr is None:
        raise ValueError(f"page {page.number} was not read by OCR")
    image = render_page(data, page.number - 1, page.ocr.dpi)
    if page.ocr.rotation:
        image = image.rotate(page.ocr.rotation, expand=True, fillcolor=255)
    if page.ocr.skew:
        image = image.rotate(page.ocr.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return image


def _to_page(original: Page, read: OcrPage, config: OcrConfig) -> Page:
    scale = 72 / config.dpi
    words = [
        Word(
            text=w.text,
            x0=round(w.x0 * scale, 2),
            top=round(w.top * scale, 2),
            x1=round(w.x1 * scale, 2),
            bottom=round(w.bottom * scale, 2),
            confidence=w.confidence,
        )
        for w in read.words
    ]
    lines: dict[int, list[str]] = {}
    for w in read.words:
        lines.setdefault(w.line, []).append(w.text)
    confidences = [w.confidence for w in read.words]
    return Page(
        number=original.number,
        width=round(read.width * scale, 2),
        height=round(read.height * scale, 2),
        text="\n".join(" ".join(line) for line in lines.values()),
        words=words,
        hidden=original.hidden,
        ocr=OcrInfo(
            dpi=config.dpi,
            rotation=read.rotation,
            skew=round(read.skew, 3),
            languages=read.languages or config.languages,
            confidence=round(statistics.fmean(confidences), 1) if confidences else None,
        ),
    )


def _usable_chars(text: str) -> int:
    return sum(1 for c in _GARBAGE.sub("", text) if c.isalnum())
