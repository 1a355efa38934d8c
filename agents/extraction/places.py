"""Where a value stands on a page, described so that the same place can be found on another invoice.

A place is the text that announces the value (the words before it in its segment, the segment to its
left, or the nearest segment above it), how that label relates to the value, and the value's box as a
fraction of the page. Two invoices from one vendor's template put their values at the same places,
whatever the values are. The vendor layout memory (`agents.extraction.memory`) is built from places.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from agents.extraction.dates import find_dates
from agents.extraction.layout import BBox, Layout, Segment
from agents.extraction.money import money_tokens
from schemas.document import ReadResult
from schemas.invoice import AMOUNT_FIELDS, DATE_FIELDS

Kind = Literal["amount", "date", "ident", "name"]
Relation = Literal["inline", "left", "above", "none"]

#: Fields whose place is learned: the ones a person reads off the page (codes and countries are derived).
IDENT_FIELDS = frozenset(
    {"invoice_number", "seller_vat_id", "buyer_vat_id", "seller_tax_number", "iban", "payer_iban"}
    | {"bic", "purchase_order"}
)
NAME_FIELDS = frozenset({"seller_name", "buyer_name"})
PLACED_FIELDS = AMOUNT_FIELDS | DATE_FIELDS | IDENT_FIELDS | NAME_FIELDS
#: How many lines above a value its column label may stand.
_ABOVE_LINES = 4
_LABEL_CHARS = 40
#: What may stand between the characters of a printed identifier or name ("DE 123.456", "A & B").
_SEPARATORS = "[\\s.,&'\\-/]*"
_LEAD = " :#.°-"


@dataclass(frozen=True)
class Occurrence:
    """A value of a field's kind printed in `segment` at `start:end`."""

    segment: Segment
    start: int
    end: int
    value: Decimal | date | str
    #: For amounts: money by its own shape (cents or a currency), not only by standing after a label.
    shaped: bool = True


@dataclass(frozen=True)
class Place:
    label: str
    relation: Relation
    page: int
    #: The value's box divided by the page's width and height (x0, top, x1, bottom).
    box: BBox


def kind_of(field: str) -> Kind:
    if field in AMOUNT_FIELDS:
        return "amount"
    if field in DATE_FIELDS:
        return "date"
    return "name" if field in NAME_FIELDS else "ident"


def occurrences(
    layout: Layout, kind: Kind, shape: str | None = None, *, day_first: bool = True
) -> Iterator[Occurrence]:
    """Every value of `kind` on the pages; identifiers of `shape` (see `shape_of`) only."""
    for segment in layout.segments():
        yield from occurrences_in(segment, kind, shape, day_first=day_first)


def occurrences_in(
    segment: Segment, kind: Kind, shape: str | None = None, *, day_first: bool = True
) -> Iterator[Occurrence]:
    text = segment.text
    if kind == "amount":
        shaped = {(m.start, m.end) for m in money_tokens(text)}
        for m in money_tokens(text, standing="labelled"):
            yield Occurrence(segment, m.start, m.end, m.value, (m.start, m.end) in shaped)
    elif kind == "date":
        for d in find_dates(text, day_first=day_first):
            yield Occurrence(segment, d.start, d.end, d.value)
    elif kind == "ident" and shape:
        for match in re.finditer(shape, text):
            yield Occurrence(segment, match.start(), match.end(), match.group(0))
    elif kind == "name":
        start = len(text) - len(_after_label(text))
        if start < len(text):
            yield Occurrence(segment, start, len(text), text[start:].strip())


def printed(layout: Layout, text: str) -> Iterator[Occurrence]:
    """Where `text` is printed, spaces, dots, dashes and slashes between its characters ignored."""
    chars = [re.escape(c) for c in text if c.isalnum()]
    if not chars:
        return
    pattern = re.compile(r"(?<![^\W_])" + _SEPARATORS.join(chars) + r"(?![^\W_])", re.IGNORECASE)
    for segment in layout.segments():
        for match in pattern.finditer(segment.text):
            yield Occurrence(segment, match.start(), match.end(), match.group(0))


def remainder(segment: Segment, label: str, relation: Relation) -> Occurrence | None:
    """The text after the label, where a value fills the rest of its segment ("Rechnung Nr. RE 4711")."""
    start = 0
    if relation == "inline":
        starts = [o for o in segment.offsets if normalise_label(segment.text[:o]) == label and o > 0]
        if not starts:
            return None
        start = starts[-1]
    else:
        start = len(segment.text) - len(_after_label(segment.text))
    text = segment.text[start:]
    skipped = len(text) - len(text.lstrip(_LEAD))
    value = text[skipped:].strip()
    return Occurrence(segment, start + skipped, len(segment.text), value) if value else None


def shape_of(text: str) -> str:
    """A pattern for identifiers built like `text`: "RE-2023/0042" → letters, dash, digits, slash, digits."""
    parts: list[str] = []
    for run in re.findall(r"[^\W\d_]+|\d+|\s+|.", text):
        if run.isdigit():
            part = r"\d+"
        elif run.isalpha():
            part = r"[^\W\d_]+"
        elif run.isspace():
            part = r"\s"
        else:
            part = re.escape(run)
        if not parts or parts[-1] != part:
            parts.append(part)
    return r"(?<![\w/.-])" + "".join(parts) + r"(?![\w/])"


Sizes = dict[int, tuple[float, float]]


def page_sizes(read: ReadResult) -> Sizes:
    return {page.number: (max(page.width, 1.0), max(page.height, 1.0)) for page in read.pages}


def place_of(layout: Layout, sizes: Sizes, found: Occurrence) -> Place:
    segment = found.segment
    box = segment.span_bbox(found.start, found.end)
    label, relation = _label(layout, segment, found.start, box)
    width, height = sizes.get(segment.page, (595.0, 842.0))
    relative = (box[0] / width, box[1] / height, box[2] / width, box[3] / height)
    return Place(label, relation, segment.page, relative)


def value_box(found: Occurrence) -> BBox:
    return found.segment.span_bbox(found.start, found.end)


def _label(layout: Layout, segment: Segment, start: int, box: BBox) -> tuple[str, Relation]:
    if inline := normalise_label(segment.text[:start]):
        return inline, "inline"
    line = layout.lines[segment.line]
    left = [s for s in line.segments if s.bbox[2] <= box[0]]
    if left and (text := normalise_label(left[-1].text)):
        return text, "left"
    if above := _above(layout, segment, box):
        return above, "above"
    return "", "none"


def _above(layout: Layout, segment: Segment, box: BBox) -> str:
    """The label of the nearest segment above that overlaps the value's column."""
    for index in range(segment.line - 1, max(segment.line - _ABOVE_LINES, 0) - 1, -1):
        line = layout.lines[index]
        if line.page != segment.page:
            break
        overlaps = [(_overlap(other.bbox, box), other) for other in line.segments]
        labelled = [(width, o) for width, o in overlaps if width > 0 and normalise_label(o.text)]
        if labelled:
            # The column header is the one most over the value, not the first the line begins with.
            return normalise_label(max(labelled, key=lambda pair: pair[0])[1].text)
    return ""


def _overlap(a: BBox, b: BBox) -> float:
    return min(a[2], b[2]) - max(a[0], b[0])


def normalise_label(text: str) -> str:
    """The words of a label, lower case, without digits or punctuation, its last characters only."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return " ".join(words)[-_LABEL_CHARS:]


def _after_label(text: str) -> str:
    """A name printed after "Label:" keeps only what follows the colon."""
    head, colon, tail = text.partition(":")
    return tail.strip() if colon and tail.strip() and len(head) <= _LABEL_CHARS else text
