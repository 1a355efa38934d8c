"""Decimal separators Tesseract drops: `39.99` read as `3999` on a blurred scan of small print.

The dot of a small amount is two or three grey pixels, and the page reading (which sees it among the
whole line's noise) often leaves it out, confidently. Read alone, cut out of the levelled page with
a margin, the same word mostly keeps it. So each number of three or more bare digits is read again
as a single line; the second reading replaces it only when it holds exactly the same digits in the
same order, now as an amount with two decimals (`39.99`, `1.234,50`): a reading that adds, drops or
changes a digit is ignored, so this never invents a value, it only restores a separator.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PIL import Image

if TYPE_CHECKING:
    from agents.reading.ocr_words import OcrWord

_BARE = re.compile(r"^-?\d{3,}$")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:[.,' ]\d{3})+|\d+)[.,]\d{2}$")
#: Pixels of margin around the word's box.
MARGIN = 8
#: A second reading below this confidence (0-100) is not trusted.
MIN_CONFIDENCE = 50.0


def restore_decimals(words: list[OcrWord], levelled: Image.Image, line_api: Any) -> list[OcrWord]:
    """`words` with bare-digit numbers replaced by their second reading where that is the same digits
    as an amount with a decimal separator. `line_api` is a Tesseract instance in single-line mode."""
    result = []
    for word in words:
        if _BARE.match(word.text):
            word = _reread(word, levelled, line_api)
        result.append(word)
    return result


def _reread(word: OcrWord, levelled: Image.Image, api: Any) -> OcrWord:
    box = (
        max(0, int(word.x0) - MARGIN),
        max(0, int(word.top) - MARGIN),
        min(levelled.width, int(word.x1) + MARGIN),
        min(levelled.height, int(word.bottom) + MARGIN),
    )
    api.SetImage(levelled.crop(box))
    text = (api.GetUTF8Text() or "").strip()
    confidence = float(api.MeanTextConf())
    api.Clear()
    if confidence < MIN_CONFIDENCE or not _AMOUNT.match(text) or _digits(text) != _digits(word.text):
        return word
    sign = "-" if word.text.startswith("-") and not text.startswith("-") else ""
    return replace(word, text=sign + text, confidence=min(word.confidence, confidence))


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
