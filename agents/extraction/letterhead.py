"""Party names where no block header names them: the letterhead (seller) and the address window (buyer).

Both are weak evidence, offered beside the header-based candidates so that the model (or arithmetic
of strengths) can choose; neither invents text that is not on the first page.
"""

from __future__ import annotations

import re

from agents.extraction.dates import find_dates
from agents.extraction.layout import Layout, Segment

#: A title or page line, not a name: "Logo", "Seite 1", or a document title word anywhere on the line
#: ("RECHNUNG", "n CONCEPT FACTUUR" with a logo glyph in front, "Faktura VAT").
_TITLE = re.compile(
    r"^(?:logo|seite|page|strona|strana|pagina|página)(?!\w)|(?<!\w)(?:\w*rechnung|invoice|facture|factuur|"
    r"fattura|factura|faktura|avoir|gutschrift|credit\s+note|creditnota|dobropis|korekta)(?!\w)",
    re.I,
)
#: A postcode opening an address line: DE/AT/CH/FR/IT/ES (4-5 digits), NL (1234 AB), PL (00-001), CZ (747 05).
POSTCODE = r"(?:[A-Z]{1,2}[\s-])?(?:\d{4}\s?[A-Z]{2}(?![a-z])|\d{2}-\d{3}|\d{3}\s\d{2}(?!\d)|\d{4,5})"
_POSTAL_START = re.compile(rf"^{POSTCODE}(?:\s+\S|$)")
_SALUTATION = re.compile(r"^(?:herrn?|frau|firma|mr\.?|mrs\.?|ms\.?|m\.|mme|monsieur|madame)$", re.I)
_LEGAL_FORM = re.compile(r"\b(?:GmbH|AG|KG|a\.\s?G\.|SARL|SAS|SA|Ltd|Inc|e\.\s?V\.|mbH)(?!\w)")
#: What separates the parts of a one-line sender address.
_SENDER_SEPARATORS = re.compile(r"\s[|•·\u2022\u00b7\u2013-]\s|,\s?(?=\S)")
_HOUSE_NUMBER_END = re.compile(r"[\s.]\d+\s?[a-zA-Z]?(?:\s*[-/]\s*\d+[a-zA-Z]?)?,?$")
_SENDER_LABEL = re.compile(r"^(?:abs\.?|absender|von|from|expéditeur)\s*:?\s*", re.IGNORECASE)
#: Lines of one address block sit this close (points) under each other.
_BLOCK_GAP = 6.0
#: The top of page 1 (a share of its height) holds the letterhead, never the recipient's window.
_TOP_STRIP = 0.11


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


def window_block(layout: Layout) -> list[Segment]:
    """The recipient's address block (DIN 5008 window): lines above the first postal line in the left
    half of page 1, below the letterhead's top strip (a letterhead address there is the sender's)."""
    blocks = _postal_blocks(layout)
    left = [b for b in blocks if b[0].bbox[0] <= 300]
    if left and left[0][0].line <= 1 and any(b[0].bbox[1] > left[0][-1].bbox[3] for b in blocks):
        # The page opens with an address and another one follows: the first is the sender's own.
        return next(b for b in [*left[1:], *blocks] if b[0].bbox[1] > left[0][-1].bbox[3])
    return left[0] if left else []


def _postal_blocks(layout: Layout) -> list[list[Segment]]:
    """Address blocks (two lines or more ending in a postal line) in the upper half of page 1, under its
    top strip, in reading order (a footer's address is not the window's)."""
    height = layout.page_heights.get(1, 842.0)
    blocks: list[list[Segment]] = []
    for segment in layout.segments():
        if segment.page != 1 or segment.bbox[1] > height / 2 or not _POSTAL_START.match(segment.text):
            continue
        block = _block_above(layout, segment)
        if len(block) >= 2 and block[0].bbox[1] >= _TOP_STRIP * height:
            blocks.append(block)
    return blocks


def address_window(layout: Layout) -> list[tuple[Segment, str, float]]:
    """The window's first line names the buyer (after a salutation line, the line below it)."""
    block = window_block(layout)
    if block:
        segment = block[-1]
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
    """The lines aligned with the postal line above it; lines of a column beside the window are skipped."""
    block = [postal]
    for line in reversed(layout.lines[max(0, postal.line - 10) : postal.line]):
        aligned = [s for s in line.segments if abs(s.bbox[0] - block[0].bbox[0]) < 3]
        if line.page != postal.page:
            break
        if not aligned:
            continue
        if block[0].bbox[1] - aligned[0].bbox[3] > _BLOCK_GAP or _SENDER_SEPARATORS.search(aligned[0].text):
            break
        block.insert(0, aligned[0])
    return block


def sender_line(layout: Layout) -> list[tuple[Segment, str, float]]:
    """The one-line sender address above the window ("Muster GmbH · Hauptstr. 1 · 10115 Berlin").

    Its first part names the seller.
    """
    for line in layout.lines[:40]:
        if line.page != 1:
            break
        for segment in line.segments:
            parts = [p.strip() for p in _SENDER_SEPARATORS.split(segment.text) if p.strip()]
            first = parts[0] if parts else ""
            if (
                len(parts) >= 3
                # name, street, then the postcode: "Seattle, WA 98101, USA" is a city line, not a sender line
                and any(_POSTAL_START.match(p) for p in parts[2:])
                and first[:1].isalpha()
                and not _HOUSE_NUMBER_END.search(first)  # a street, not a name
            ):
                return [(segment, _SENDER_LABEL.sub("", parts[0]).rstrip(","), 0.75)]
    return []


def _aligned_below(layout: Layout, segment: Segment) -> Segment | None:
    if segment.line + 1 >= len(layout.lines):
        return None
    for below in layout.lines[segment.line + 1].segments:
        if abs(below.bbox[0] - segment.bbox[0]) < 3 and below.bbox[1] - segment.bbox[3] < _BLOCK_GAP:
            return below
    return None
