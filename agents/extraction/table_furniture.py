"""Page headers and footers that repeat on every page of a multi-page invoice.

A footer that runs through a multi-page item table ("Firma GmbH · FN 204823 · Seite 2 / 3") sits
between two rows of the table and would otherwise be read as a row, or glued to an item's
description. Such a line stands in the top or bottom band of its page and recurs, digits aside, at
the same height on most other pages. A repeated table header is kept: it re-labels the columns.
"""

from __future__ import annotations

import re

from agents.extraction.table_header import is_header
from agents.extraction.table_lines import TextLine
from schemas.document import ReadResult

#: Share of the page height at its top and bottom where running heads and footers stand.
_BAND = 0.15
#: Points two lines may differ in height on their pages and still be the same running line.
_SAME_HEIGHT = 3.0


def without_page_furniture(lines: list[TextLine], read: ReadResult) -> list[TextLine]:
    """The lines without running heads and footers (see the module docstring)."""
    heights = {page.number: page.height for page in read.pages}
    if len(heights) < 2:
        return lines
    banded = [line for line in lines if _in_band(line, heights.get(line.page, 0.0))]
    places: dict[str, list[tuple[int, float]]] = {}
    for line in banded:
        places.setdefault(_masked(line), []).append((line.page, line.top))
    furniture = {
        id(line)
        for line in banded
        if _recurs(line, places[_masked(line)], len(heights)) and not is_header(line)
    }
    return [line for line in lines if id(line) not in furniture]


def _in_band(line: TextLine, height: float) -> bool:
    return height > 0 and (line.top < _BAND * height or line.bottom > (1 - _BAND) * height)


def _recurs(line: TextLine, places: list[tuple[int, float]], pages: int) -> bool:
    """On more than half of the pages at this height: a document printed twice (ORIGINAL, COPY) is not."""
    same = {page for page, top in places if abs(top - line.top) <= _SAME_HEIGHT}
    return len(same) >= 2 and len(same) * 2 > pages


def _masked(line: TextLine) -> str:
    return re.sub(r"\d+", "#", "".join(line.text.casefold().split()))
