"""What the scorer sees of one candidate: numbers on where and how a value stands, not what it says.

Every feature is language-independent: which label announced a value enters only through the rule's
prior (the label lexicon's strength) and the label's geometry (same segment, right of, above the value,
and how far); the value enters through its shape (length, digits, letters, separators, legal form), its
place on the page (zone, reading order, font height against the body text), and how often it repeats.
Nothing keys on a vendor, a file or a value.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from agents.extraction.candidates import Sighting
from agents.extraction.layout import BBox, Layout, Segment
from agents.extraction.letterhead import window_block

#: The header fields whose choice the scorer makes (each goes through `Record._take`).
FIELDS: tuple[str, ...] = (
    "invoice_number",
    "issue_date",
    "due_date",
    "delivery_date",
    "seller_name",
    "buyer_name",
)

#: Where a candidate came from, by the prefix of its `source`; unknown sources are kind 0.
SOURCE_KINDS: tuple[str, ...] = (
    "other",
    "label:Name",
    "label:",
    "beside:",
    "block:",
    "rule:letterhead",
    "rule:sender_line",
    "rule:legal_form",
    "rule:address_window",
    "rule:first_date_on_page",
    "rule:our_company",
)

FEATURES: tuple[str, ...] = (
    "field",
    "source_kind",
    "prior",
    "prior_rank",
    "prior_gap",
    "options",
    "page_first",
    "page_last",
    "x_rel",
    "y_rel",
    "line_rel",
    "height_ratio",
    "height_rank",
    "in_window",
    "label_dir",
    "label_dx",
    "label_dy",
    "label_len",
    "length",
    "digits",
    "letters",
    "upper",
    "separators",
    "tokens",
    "legal_form",
    "repeats",
    "domain_match",
    "date_rank",
    "date_span",
)

#: Direction from a label to its value: none found, same segment, right on its line, above it.
LABEL_DIRECTIONS = ("none", "same segment", "left of value", "above value")
_LEGAL_FORM = re.compile(
    r"\b(?:GmbH|mbH|AG|KG|OHG|UG|GbR|SE|SARL|SAS|SA|EURL|Ltd|Limited|Inc|LLC|PLC|plc|Corp|BV|NV|SRL|SpA|"
    r"S\.A\.|s\.r\.o\.|a\.s\.|Sp\.\s?z\s?o\.o\.|sp\.\s?z\s?o\.o\.|e\.\s?K\.|e\.\s?V\.)(?!\w)"
)
_DOMAIN = re.compile(r"(?:www\.|@|https?://)([a-z0-9-]{3,})\.", re.IGNORECASE)
_LABEL_ABOVE_LINES = 6


@dataclass(frozen=True, kw_only=True)
class Option(Sighting):
    """One candidate as the scorer sees it: its text as the model would read it, and its value."""

    value: object


class Page:
    """Per-document facts the features of every option share (computed once per layout)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    @cached_property
    def body_height(self) -> float:
        heights = [w.bottom - w.top for s in self.layout.segments() for w in s.words]
        return statistics.median(heights) if heights else 10.0

    @cached_property
    def heights(self) -> list[float]:
        """Distinct word heights on page 1, tallest first (the title and letterhead stand out)."""
        first = [w.bottom - w.top for s in self.layout.segments() if s.page == 1 for w in s.words]
        return sorted({round(h, 1) for h in first}, reverse=True)

    @cached_property
    def widths(self) -> dict[int, float]:
        right: dict[int, float] = {}
        for segment in self.layout.segments():
            right[segment.page] = max(right.get(segment.page, 1.0), segment.bbox[2])
        return right

    @cached_property
    def last_page(self) -> int:
        return max((line.page for line in self.layout.lines), default=1)

    @cached_property
    def window(self) -> set[int]:
        return {s.line for s in window_block(self.layout)}

    @cached_property
    def folded(self) -> str:
        return " ".join(line.text.casefold() for line in self.layout.lines)

    @cached_property
    def domains(self) -> set[str]:
        return {m.group(1).casefold() for line in self.layout.lines for m in _DOMAIN.finditer(line.text)}

    def page_lines(self, page: int) -> tuple[int, int]:
        indices = [line.index for line in self.layout.lines if line.page == page]
        return (min(indices), max(indices)) if indices else (0, 0)


def source_kind(source: str) -> int:
    for index, prefix in enumerate(SOURCE_KINDS):
        if index and source.startswith(prefix):
            return index
    return 0


def featurize(page: Page, field: str, options: Sequence[Option]) -> list[list[float]]:
    """One feature row (in `FEATURES` order) per option of one field decision."""
    priors = [o.strength for o in options]
    top = max(priors, default=0.0)
    dates = sorted({o.value for o in options if isinstance(o.value, date)})
    return [
        [
            float(FIELDS.index(field)),
            float(source_kind(o.source)),
            o.strength,
            float(sorted(priors, reverse=True).index(o.strength)),
            top - o.strength,
            float(len(options)),
            *_place(page, o),
            *_label(page, o),
            *_shape(o.text),
            float(page.folded.count(o.text.casefold())) if o.text.strip() else 0.0,
            float(_domain_match(page, o.text)),
            *_date_place(o.value, dates),
        ]
        for o in options
    ]


def _place(page: Page, o: Option) -> list[float]:
    height = page.layout.page_heights.get(o.page, 842.0) or 842.0
    first, last = page.page_lines(o.page)
    word_height = o.bbox[3] - o.bbox[1]
    rank = next((i for i, h in enumerate(page.heights) if h <= round(word_height, 1)), len(page.heights))
    return [
        float(o.page == 1),
        float(o.page == page.last_page),
        o.bbox[0] / page.widths.get(o.page, 595.0),
        o.bbox[1] / height,
        (o.line - first) / max(last - first, 1),
        word_height / page.body_height,
        float(min(rank, 10)),
        float(o.line in page.window and o.page == 1),
    ]


def _label(page: Page, o: Option) -> list[float]:
    """Direction and distance (points) from the label that announced the value to the value."""
    if not o.source.startswith("label:") or o.source == "label:Name":
        return [0.0, 0.0, 0.0, 0.0]
    label = o.source[len("label:") :].strip()
    found = label_place(page.layout, o, label)
    if found is None:
        return [0.0, 0.0, 0.0, float(len(label))]
    direction, box = found
    return [float(direction), o.bbox[0] - box[2], o.bbox[1] - box[1], float(len(label))]


def label_place(layout: Layout, o: Option, label: str) -> tuple[int, BBox] | None:
    """Where `label` is printed relative to the option: (direction index, label box), nearest first."""
    folded = label.casefold()
    if not folded:
        return None
    line = layout.lines[o.line] if o.line < len(layout.lines) else None
    if line is not None:
        for segment in line.segments:
            if (at := segment.text.casefold().find(folded)) >= 0:
                box = segment.span_bbox(at, at + len(folded))
                same = segment.bbox[0] <= o.bbox[0] <= segment.bbox[2]
                return (1 if same else 2), box
    for above in reversed(layout.lines[max(0, o.line - _LABEL_ABOVE_LINES) : o.line]):
        for segment in above.segments:
            if (at := segment.text.casefold().find(folded)) >= 0:
                return 3, _box(segment, at, len(folded))
    return None


def _box(segment: Segment, at: int, length: int) -> BBox:
    return segment.span_bbox(at, at + length)


def _shape(text: str) -> list[float]:
    length = max(len(text), 1)
    letters = sum(c.isalpha() for c in text)
    return [
        float(len(text)),
        sum(c.isdigit() for c in text) / length,
        letters / length,
        sum(c.isupper() for c in text) / max(letters, 1),
        float(sum(c in "-/._" for c in text)),
        float(len(text.split())),
        float(bool(_LEGAL_FORM.search(text))),
    ]


def _domain_match(page: Page, text: str) -> bool:
    """The name shares a word with a web or e-mail domain printed on the page (the issuer's own)."""
    words = set(re.findall(r"[a-z0-9]{3,}", text.casefold()))
    return any(w in domain or domain in w for w in words for domain in page.domains)


def _date_place(value: object, dates: list[date]) -> list[float]:
    if not isinstance(value, date) or not dates:
        return [-1.0, 0.0]
    return [float(dates.index(value)), float((value - dates[0]).days)]
