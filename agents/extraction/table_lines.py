"""Words regrouped into visual lines, and the numbers a table cell can hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from agents.extraction.numbers import parse_amount
from schemas.document import Page, ReadResult, Word

BBox = tuple[float, float, float, float]

_DECIMAL_AMOUNT = re.compile(r"^[-\u2212\u2013+]?\d[\d.,'\u00a0]*[.,]\d{1,4}%?$")
_CURRENCY_MARKS = ("€", "EUR", "$", "£", "CHF")
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
    ordered = tuple(sorted(words, key=lambda w: w.x0))
    return TextLine(page, min(w.top for w in words), max(w.bottom for w in words), ordered)


def cell_number(text: str) -> tuple[Decimal, bool] | None:
    """A table cell's number and whether it is a percentage; None for codes, dates and labels."""
    raw = text.strip()
    for mark in _CURRENCY_MARKS:
        raw = raw.removesuffix(mark).removeprefix(mark).strip()
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
    return any(_DECIMAL_AMOUNT.match(w.text.strip("€")) for w in line.words)
