"""The vertical extent OCR words get from their text line, without Tesseract's joins of two columns.

OCR boxes hug the ink; the layout logic (`agents.extraction.layout`) expects boxes that span the
line height, as a text layer's font boxes do, so every word gets its line's extent. But Tesseract's
layout analysis sometimes joins two columns that stand side by side into one text line (a sender's
address beside the invoice number, a little lower), and whether it does changes with a few pixels
of noise: the same page turned and turned back may be cut either way. The joined line's extent
spans both columns' rows, and its words would then group with the wrong rows. So a line is cut into
runs at gaps wider than `COLUMN_GAP` heights of its ink, runs that share a row (overlap by half a
height) form a band, and each band gets its own extent. A line that is one band, as almost every
line is, keeps Tesseract's line box as well.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agents.reading.ocr import OcrWord

#: A gap between two words of a line wider than this many times the line's median ink height
#: separates columns (word gaps are about half an ink height).
COLUMN_GAP = 2.0
#: Runs overlapping vertically by at least this share of the smaller one's height share a row.
SAME_ROW = 0.5

Extent = tuple[float, float]


def line_extents(words: list[OcrWord], line_boxes: dict[int, Extent]) -> list[OcrWord]:
    """Each word with the extent of its line's band (see the module): the union of the band's ink
    boxes, and of the line's box where the line is a single band. `line_boxes` maps a line to the
    top and bottom of Tesseract's line box; words carry their own ink boxes."""
    lines: dict[int, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    extents: dict[int, Extent] = {}
    for line, members in lines.items():
        bands = _bands(_runs(members))
        box = line_boxes.get(line)
        for band in bands:
            extent = _union(band)
            if len(bands) == 1 and box is not None:
                extent = (min(extent[0], box[0]), max(extent[1], box[1]))
            extents.update((id(w), extent) for w in band)
    return [replace(w, top=extents[id(w)][0], bottom=extents[id(w)][1]) for w in words]


def _runs(words: list[OcrWord]) -> list[list[OcrWord]]:
    """The line's words left to right, cut where the gap is a column's."""
    ordered = sorted(words, key=lambda w: w.x0)
    limit = COLUMN_GAP * statistics.median(max(w.bottom - w.top, 1.0) for w in ordered)
    runs = [[ordered[0]]]
    for before, word in itertools.pairwise(ordered):
        if word.x0 - before.x1 > limit:
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


def _bands(runs: list[list[OcrWord]]) -> list[list[OcrWord]]:
    """Runs grouped by the row they stand in."""
    bands: list[list[OcrWord]] = []
    for run in runs:
        top, bottom = _union(run)
        for band in bands:
            band_top, band_bottom = _union(band)
            overlap = min(bottom, band_bottom) - max(top, band_top)
            if overlap >= SAME_ROW * min(bottom - top, band_bottom - band_top):
                band.extend(run)
                break
        else:
            bands.append(list(run))
    return bands


def _union(words: list[OcrWord]) -> Extent:
    return min(w.top for w in words), max(w.bottom for w in words)
