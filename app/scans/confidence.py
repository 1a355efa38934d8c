"""What an OCR'd value may be trusted with: a field is no surer than the words it was read from.

Measured on degraded scans (issue #13): at a Tesseract word confidence of 95 or more almost every
number was right; below 70 most were wrong. So a field read from OCR words is capped: no cap from 95
on, from 70 to 95 a cap rising from 0.5 to 1.0 (under the default review threshold of 0.6 up to a word
confidence of 75), below 70 a cap of 0.25. The weakest word decides: one misread digit spoils an amount.
"""

from __future__ import annotations

from schemas.document import ReadResult
from schemas.invoice import FieldSource, Invoice

SURE = 95.0
UNSURE = 70.0
CAP_AT_UNSURE = 0.5
CAP_BELOW_UNSURE = 0.25
#: A word belongs to a field's box when at least this share of the word lies inside it.
_OVERLAP = 0.5

Box = tuple[float, float, float, float]


def cap_for(word_confidence: float) -> float:
    """The most a field read from a word of this confidence (0-100) can be trusted (0-1)."""
    if word_confidence >= SURE:
        return 1.0
    if word_confidence < UNSURE:
        return CAP_BELOW_UNSURE
    return CAP_AT_UNSURE + (1.0 - CAP_AT_UNSURE) * (word_confidence - UNSURE) / (SURE - UNSURE)


def with_ocr_confidence(invoice: Invoice, read: ReadResult) -> Invoice:
    """`invoice` with every field that was read from OCR words capped by their weakest confidence."""
    ocr_words = _ocr_words_by_page(read)
    if not ocr_words:
        return invoice
    fields = {name: _capped(source, ocr_words) for name, source in invoice.fields.items()}
    return invoice.model_copy(update={"fields": fields})


def weakest_word(source: FieldSource, ocr_words: dict[int, list[tuple[Box, float]]]) -> float | None:
    """The lowest OCR confidence among the words under the field's box; None when it has none."""
    if source.page is None or source.bbox is None:
        return None
    inside = [
        conf for box, conf in ocr_words.get(source.page, []) if _share_inside(box, source.bbox) >= _OVERLAP
    ]
    return min(inside) if inside else None


def _capped(source: FieldSource, ocr_words: dict[int, list[tuple[Box, float]]]) -> FieldSource:
    weakest = weakest_word(source, ocr_words)
    if weakest is None:
        return source
    capped = min(source.confidence, round(cap_for(weakest), 3))
    return source if capped == source.confidence else source.model_copy(update={"confidence": capped})


def _ocr_words_by_page(read: ReadResult) -> dict[int, list[tuple[Box, float]]]:
    return {
        page.number: [
            ((w.x0, w.top, w.x1, w.bottom), w.confidence) for w in page.words if w.confidence is not None
        ]
        for page in read.pages
        if page.ocr is not None
    }


def _share_inside(word: Box, field: Box) -> float:
    width = max(0.0, min(word[2], field[2]) - max(word[0], field[0]))
    height = max(0.0, min(word[3], field[3]) - max(word[1], field[1]))
    area = max((word[2] - word[0]) * (word[3] - word[1]), 1e-6)
    return width * height / area
