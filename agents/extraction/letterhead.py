"""Party names where no block header names them: the letterhead (seller) and the address window (buyer).

Both are weak evidence, offered beside the header-based candidates so that the model (or arithmetic
of strengths) can choose; neither invents text that is not on the first page.
"""

from __future__ import annotations

import re

from agents.extraction.dates import find_dates
from agents.extraction.layout import Layout, Segment

_TITLE = re.compile(
    r"^(?:logo\b|\w*rechnung\b|invoice\b|facture\b|avoir\b|gutschrift\b|seite\b|page\b)", re.I
)
_POSTAL_START = re.compile(r"^(?:[A-Z]{2}[\s-])?\d{4,5}\s+\S")
_SALUTATION = re.compile(r"^(?:herrn?|frau|firma|mr\.?|mrs\.?|ms\.?|m\.|mme|monsieur|madame)$", re.I)
_LEGAL_FORM = re.compile(r"\b(?:GmbH|AG|KG|a\.\s?G\.|SARL|SAS|SA|Ltd|Inc|e\.\s?V\.|mbH)(?!\w)")
#: Lines of one address block sit this close (points) under each other.
_BLOCK_GAP = 6.0


def letterhead(layout: Layout) -> list[tuple[Segment, str, float]]:
    """The first name-like line of page 1, joined with the next line when that one carries the legal form."""
    for line in layout.lines[:6]:
        first = line.segments[0]
        if (
            line.page != 1
            or _TITLE.search(first.text)
            or find_dates(first.text)
            or not first.text[:1].isalpha()
        ):
            continue
        below = _aligned_below(layout, first)
        if below is not None and _LEGAL_FORM.search(below.text) and not _LEGAL_FORM.search(first.text):
            return [(first, f"{first.text} {below.text}", 0.5), (first, first.text, 0.3)]
        return [(first, first.text, 0.35)]
    return []


def address_window(layout: Layout) -> list[tuple[Segment, str, float]]:
    """The block above the first postal line in the left half of page 1; its first line names the buyer."""
    for segment in layout.segments():
        if segment.page != 1 or segment.bbox[0] > 300 or not _POSTAL_START.match(segment.text):
            continue
        block = _block_above(layout, segment)
        if len(block) < 2:
            continue
        top, second = block[0], block[1]
        if _SALUTATION.match(top.text.strip()) and second is not segment:
            return [(top, f"{top.text} {second.text}", 0.5), (second, second.text, 0.35)]
        return [(top, top.text, 0.45)]
    return []


def address_block(layout: Layout) -> list[Segment]:
    """Every line of the address window's block on page 1, including lines set close under the postal line."""
    for segment in layout.segments():
        if segment.page != 1 or segment.bbox[0] > 300 or not _POSTAL_START.match(segment.text):
            continue
        block = _block_above(layout, segment)
        if len(block) < 2:
            continue
        below = _aligned_below(layout, block[-1])
        while below is not None and len(block) < 10:
            block.append(below)
            below = _aligned_below(layout, below)
        return block
    return []


def _block_above(layout: Layout, postal: Segment) -> list[Segment]:
    block = [postal]
    for line in reversed(layout.lines[max(0, postal.line - 5) : postal.line]):
        aligned = [s for s in line.segments if abs(s.bbox[0] - block[0].bbox[0]) < 3]
        if line.page != postal.page or not aligned or block[0].bbox[1] - aligned[0].bbox[3] > _BLOCK_GAP:
            break
        block.insert(0, aligned[0])
    return block


def _aligned_below(layout: Layout, segment: Segment) -> Segment | None:
    if segment.line + 1 >= len(layout.lines):
        return None
    for below in layout.lines[segment.line + 1].segments:
        if abs(below.bbox[0] - segment.bbox[0]) < 3 and below.bbox[1] - segment.bbox[3] < _BLOCK_GAP:
            return below
    return None
