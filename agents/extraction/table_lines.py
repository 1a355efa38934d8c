"""Words regrouped into visual lines, and the numbers a table cell can hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from agents.extraction.numbers import parse_amount
from schemas.document import Page, ReadResult, Word

BBox = tuple[float, float, float, float]

DECIMAL_AMOUNT = re.compile(r"^[-\u2212\u2013+]?\d[\d.,' \u00a0]*[.,]\d{1,4}%?$")
#: A currency printed against a cell's number ("43,08PLN", "1,99zł", "Kč 500", "€10,50").
_CURRENCY = re.compile(r"^(?:[A-Z]{3}|[€$£¥]|zł|kč|fr\.|Fr\.)\s*|\s*(?:[A-Z]{3}|[€$£¥]|zł|Kč|kč|,-|\.-)$")
#: Thousands written with a space ("1 089,00") reach us as two words: a 1-3 digit head and groups.
_HEAD = re.compile(r"^[-\u2212]?\d{1,3}$")
_PIECE = re.compile(r"^[.,]?\d[\d.,]*$")
_GROUPS = re.compile(r"^[.,'\u2019]?\d{3}(?:[ .,]\d{3})*(?:[.,]\d{1,4})?$")
_NOT_A_CELL = re.compile(r"[():/=]|\d{1,2}\.\d{1,2}\.\d{2,4}")


@dataclass(frozen=True)
class TextLine:
    """Words whose vertical extents overlap, left to right."""

    page: int
    top: float
    bottom: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def overlaps(a0: float, a1: float, b0: float, b1: float) -> bool:
    return a0 <= b1 and b0 <= a1


def union(words: list[Word] | tuple[Word, ...]) -> BBox:
    return (
        min(w.x0 for w in words),
        min(w.top for w in words),
        max(w.x1 for w in words),
        max(w.bottom for w in words),
    )


def document_lines(read: ReadResult) -> list[TextLine]:
    """Every page's lines, page by page, top to bottom."""
    return [line for page in read.pages for line in page_lines(page)]


def page_lines(page: Page) -> list[TextLine]:
    """Group words into lines: a word joins a line when its middle lies within the line's height.

    Rotated text (a vertical imprint in the margin) is left out: its tall box would swallow lines.
    """
    lines: list[list[Word]] = []
    for word in sorted(_upright(page.words), key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if lines and lines[-1][0].top <= middle <= lines[-1][0].bottom:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_line(page.number, words) for words in lines]


def _upright(words: list[Word]) -> list[Word]:
    heights = sorted(w.bottom - w.top for w in words)
    if not heights:
        return []
    limit = 2 * heights[len(heights) // 2]
    return [w for w in words if w.bottom - w.top <= limit and not _vertical(w)]


def _vertical(word: Word) -> bool:
    return len(word.text) >= 2 and word.x1 - word.x0 < 0.6 * (word.bottom - word.top)


def _line(page: int, words: list[Word]) -> TextLine:
    ordered = _join_groups(sorted(words, key=lambda w: w.x0))
    return TextLine(page, min(w.top for w in words), max(w.bottom for w in words), ordered)


def _join_groups(words: list[Word]) -> tuple[Word, ...]:
    """Rejoin a number the text layer split: "1" + "089,00" (thousands written with a space) or
    "9" + "00,00" (glyphs placed one by one, touching).

    Only a gap narrower than about one space character joins, so neighbouring cells stay apart.
    """
    joined: list[Word] = []
    for word in words:
        previous = joined[-1] if joined else None
        glue = _glue(previous, word) if previous is not None else None
        if previous is not None and glue is not None:
            joined[-1] = previous.model_copy(update={"text": previous.text + glue + word.text, "x1": word.x1})
            continue
        joined.append(word)
    return tuple(joined)


def _glue(previous: Word, word: Word) -> str | None:
    """What joins two words into one number ("" or " "), or None when they stay apart."""
    gap, height = word.x0 - previous.x1, word.bottom - word.top
    if not _HEAD.match(previous.text) or gap < -0.5:
        return None
    # Only an amount with decimals: "543 210" may as well be two numbers (a meter's from-to).
    if _GROUPS.match(word.text) and DECIMAL_AMOUNT.match(word.text) and gap <= 0.35 * height:
        return "" if word.text[0] in ".,'\u2019" else " "
    if _PIECE.match(word.text) and gap <= 0.05 * height:
        return ""
    return None


def cell_number(text: str) -> tuple[Decimal, bool] | None:
    """A table cell's number and whether it is a percentage; None for codes, dates and labels."""
    raw = text.strip()
    for _ in range(2):
        raw = _CURRENCY.sub("", raw).strip()
    percent = raw.endswith("%")
    raw = raw.rstrip("%").strip()
    if not raw or _NOT_A_CELL.search(raw) or not any(c.isdigit() for c in raw):
        return None
    if any(c.isalpha() for c in raw):
        return None
    value = parse_amount(raw)
    return None if value is None else (value, percent)


def has_decimal_amount(line: TextLine) -> bool:
    """Whether the line prints a number with decimals (a data row, never a header)."""
    return any(DECIMAL_AMOUNT.match(w.text.strip("€")) for w in line.words)
