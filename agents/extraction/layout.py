"""Words regrouped as a reader sees them: lines, split into segments at wide gaps (columns).

Every value the agent reports points back to words here, so provenance is always a page and the
bounding box of the words that spelled it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from schemas.document import ReadResult, Word

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Segment:
    """A run of words on one line with no column-wide gap inside."""

    page: int
    line: int  # index into the document's lines
    words: tuple[Word, ...]
    text: str
    #: Start offset of each word in `text`.
    offsets: tuple[int, ...]

    @property
    def bbox(self) -> BBox:
        return _union(self.words)

    def span_bbox(self, start: int, end: int) -> BBox:
        """Box of the words that characters `start:end` of `text` fall in."""
        chosen = [
            w
            for w, off in zip(self.words, self.offsets, strict=True)
            if off < end and start < off + len(w.text)
        ]
        return _union(chosen or self.words)


@dataclass(frozen=True)
class Line:
    page: int
    index: int
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "  ".join(s.text for s in self.segments)

    @property
    def top(self) -> float:
        return min(s.bbox[1] for s in self.segments)


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]
    page_heights: dict[int, float]

    def segments(self) -> list[Segment]:
        return [s for line in self.lines for s in line.segments]


def build_layout(read: ReadResult) -> Layout:
    """Lines in reading order, page by page, top to bottom."""
    lines: list[Line] = []
    for page in read.pages:
        for row in _rows(_upright(page.words)):
            index = len(lines)
            segments = tuple(_segment(page.number, index, run) for run in _split_columns(row))
            lines.append(Line(page.number, index, segments))
    return Layout(tuple(lines), {p.number: p.height for p in read.pages})


def _rows(words: list[Word]) -> list[list[Word]]:
    """Group words that overlap the vertical extent of a row's first word by at least half a height."""
    rows: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        height = max(word.bottom - word.top, 1.0)
        for i in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            top, bottom = spans[i]
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap >= 0.5 * min(height, bottom - top):
                rows[i].append(word)
                break
        else:
            rows.append([word])
            spans.append((word.top, word.bottom))
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _upright(words: list[Word]) -> list[Word]:
    """Drop words read sideways (rotated stamps, margin notes): far taller than the text around them and
    taller than wide. A large title is tall too, but wider than high ("Rechnung 10" set in 24 pt)."""
    if not words:
        return words
    heights = sorted(w.bottom - w.top for w in words)
    limit = heights[len(heights) // 2] * 2.5
    return [w for w in words if w.bottom - w.top <= max(limit, 1.5 * (w.x1 - w.x0))]


def _split_columns(row: list[Word]) -> list[list[Word]]:
    """Cut a row where the gap between words is wider than about two character widths."""
    runs: list[list[Word]] = [[row[0]]]
    for prev, word in itertools.pairwise(row):
        height = max(prev.bottom - prev.top, 4.0)
        if word.x0 - prev.x1 > height * 1.1:
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


def _segment(page: int, line: int, words: list[Word]) -> Segment:
    offsets: list[int] = []
    cursor = 0
    for word in words:
        offsets.append(cursor)
        cursor += len(word.text) + 1
    return Segment(page, line, tuple(words), " ".join(w.text for w in words), tuple(offsets))


def _union(words: tuple[Word, ...] | list[Word]) -> BBox:
    return (
        round(min(w.x0 for w in words), 2),
        round(min(w.top for w in words), 2),
        round(max(w.x1 for w in words), 2),
        round(max(w.bottom for w in words), 2),
    )
