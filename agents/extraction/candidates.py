"""Candidate values for header fields: typed tokens printed next to (or under) a known label.

A candidate always points at the words it was read from, so it cannot name a value that is not on
the page. Where a label sits makes its value more or less certain: the same segment beats the next
segment on the line, which beats the cell underneath.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from agents.extraction.dates import find_dates
from agents.extraction.labels import Label, labels_for
from agents.extraction.layout import BBox, Layout, Line, Segment
from agents.extraction.money import money_tokens
from agents.extraction.vocab import alternation

ValueKind = Literal["amount", "date", "ident"]
Value = Decimal | date | str

#: How far under a label (in lines and points) a column value may sit.
_BELOW_LINES = 6
_BELOW_POINTS = 90.0
_IDENT = re.compile(r"(?<![\w/.-])([A-Z0-9][A-Za-z0-9/_.\-]*[A-Za-z0-9]|\d)(?![\w/])")
_LEAD = re.compile(r"^[\s:#.°/-]*")
#: A label this sure names the invoice number outright ("Numer faktury", "Invoice number").
_SURE_LABEL = 0.9
#: A number sign between a label and its value in the next cell: "No.", "Nr.", "N°", "#", "č.".
_NUMBER_SIGN = re.compile(r"\s*(?:n[or]\.?|n[°º]\.?|#|č\.)\s*:?\s*", re.IGNORECASE)
_CURRENCY_ONLY = re.compile(r"^\s*(?:[€$£¥]|EUR|USD|CHF|GBP|PLN|CZK|Kč|zł)\s*$", re.IGNORECASE)
#: A row that opens with a sum word ("Summe", "Razem:", "Celkem") holds a column's total.
_TOTAL_ROW = re.compile(rf"^\s*(?:{alternation('total_rows')})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Sighting:
    """Printed text that may be a field's value: where it stands, what found it, and how surely."""

    text: str
    page: int
    bbox: BBox
    #: The label text that announced the value, or the rule that found it.
    source: str
    strength: float
    line: int


@dataclass(frozen=True, kw_only=True)
class Candidate(Sighting):
    """A typed value for `field`, read from `text`."""

    field: str
    value: Value


@dataclass(frozen=True)
class _Hit:
    value: Value
    start: int
    end: int
    text: str


Finder = Callable[[str], list[_Hit]]


def labelled_candidates(layout: Layout, field: str, kind: ValueKind) -> list[Candidate]:
    """Every value of `kind` that a label for `field` points at, strongest first."""
    found: list[Candidate] = []
    for segment in layout.segments():
        for label in labels_for(field):
            for match in label.pattern.finditer(segment.text):
                candidate = _value_for(layout, segment, match, label, kind)
                if candidate is not None:
                    found.append(candidate)
    found.sort(key=lambda c: (-c.strength, c.line))
    return found


def unlabelled_dates(layout: Layout, field: str, *, page: int = 1) -> list[Candidate]:
    """Every date on `page`, in reading order: the fallback when no label names the field."""
    found: list[Candidate] = []
    for segment in layout.segments():
        if segment.page != page:
            continue
        for hit in _dates(segment.text):
            found.append(_candidate(field, segment, hit, "rule:first_date_on_page", 0.3))
    return found


def printed_amounts(layout: Layout) -> list[Candidate]:
    """Every amount on the pages, weakest evidence of all: only arithmetic can promote one."""
    found: list[Candidate] = []
    for segment in layout.segments():
        for hit in _money(segment.text):
            found.append(_candidate("printed", segment, hit, "rule:printed_amount", 0.05))
    return found


def _value_for(
    layout: Layout, segment: Segment, match: re.Match[str], label: Label, kind: ValueKind
) -> Candidate | None:
    finder = _finder(kind, label)
    source = f"label:{match.group(0).strip()}"
    rest = segment.text[match.end() :]
    offset = match.end() + len(_LEAD.match(rest).group(0))  # type: ignore[union-attr]
    hits = [h for h in finder(segment.text[offset:]) if not _other_label_between(segment.text, offset, h)]
    if hits:
        hit = _pick(hits, kind)
        shifted = _Hit(hit.value, hit.start + offset, hit.end + offset, hit.text)
        return _candidate(label.field, segment, shifted, source, label.strength)
    right = _right_neighbour(layout, segment)
    if right is not None and (hits := finder(right.text)) and _starts_near(hits[0], kind, right.text):
        return _candidate(label.field, right, _pick(hits, kind), source, label.strength * 0.9)
    return _below(layout, segment, match, label, kind, source)


def _finder(kind: ValueKind, label: Label) -> Finder:
    return _numbers if kind == "ident" and label.strength >= _SURE_LABEL else _FINDERS[kind]


def _pick(hits: list[_Hit], kind: ValueKind) -> _Hit:
    # "zzgl. USt 7% von 129,37 9,06": the amount a label announces is the last on its row.
    return hits[-1] if kind == "amount" else hits[0]


def _starts_near(hit: _Hit, kind: ValueKind, text: str) -> bool:
    """The value opens the neighbouring cell, after at most a number sign ("Invoice | NO. 1989")."""
    return kind == "amount" or hit.start <= 2 or bool(_NUMBER_SIGN.fullmatch(text[: hit.start]))


def _other_label_between(text: str, offset: int, hit: _Hit) -> bool:
    """True when words that are not part of the value separate it from the label (another label's value)."""
    between = text[offset : offset + hit.start]
    return len(re.findall(r"[A-Za-zÀ-ÿ]{4,}", between)) > 2


def _right_neighbour(layout: Layout, segment: Segment) -> Segment | None:
    """The next segment right of `segment` on its line, skipping a lone currency sign ("TOTAL | $ | 9,00")."""
    line = layout.lines[segment.line]
    after = [s for s in line.segments if s.bbox[0] > segment.bbox[2] and not _CURRENCY_ONLY.match(s.text)]
    return after[0] if after else None


def _below(
    layout: Layout, segment: Segment, match: re.Match[str], label: Label, kind: ValueKind, source: str
) -> Candidate | None:
    """The value under a column label: the column's sum row where the table has one, else the first value."""
    x0, _top, x1, bottom = segment.span_bbox(match.start(), match.end())
    finder = _money if kind == "amount" else _finder(kind, label)
    first: Candidate | None = None
    for line in layout.lines[segment.line + 1 : segment.line + 1 + _BELOW_LINES]:
        if line.page != segment.page or line.top - bottom > _BELOW_POINTS:
            break
        hit = _column_hit(line, finder, x0, x1)
        if hit is None:
            continue
        below, value = hit
        if kind == "amount" and _TOTAL_ROW.match(line.segments[0].text):
            return _candidate(label.field, below, value, f"{source} (sum row)", label.strength * 0.85)
        first = first or _candidate(label.field, below, value, source, label.strength * 0.8)
        if kind != "amount":
            break
    return first


def _column_hit(line: Line, finder: Finder, x0: float, x1: float) -> tuple[Segment, _Hit] | None:
    for below in line.segments:
        for hit in finder(below.text):
            bx0, _, bx1, _ = below.span_bbox(hit.start, hit.end)
            if bx0 <= x1 + 4 and x0 - 4 <= bx1:
                return below, hit
    return None


def _candidate(field: str, segment: Segment, hit: _Hit, source: str, strength: float) -> Candidate:
    bbox = segment.span_bbox(hit.start, hit.end)
    return Candidate(
        field=field,
        value=hit.value,
        text=hit.text,
        page=segment.page,
        bbox=bbox,
        source=source,
        strength=strength,
        line=segment.line,
    )


def _amounts(text: str) -> list[_Hit]:
    """Amounts right after a label: a bare number counts there (not a year, page or position)."""
    return [_Hit(m.value, m.start, m.end, m.text) for m in money_tokens(text, standing="labelled")]


def _money(text: str) -> list[_Hit]:
    """Amounts anywhere else: only what prints cents or a currency."""
    return [_Hit(m.value, m.start, m.end, m.text) for m in money_tokens(text)]


def _dates(text: str) -> list[_Hit]:
    return [_Hit(m.value, m.start, m.end, m.text) for m in find_dates(text)]


def _idents(text: str, *, slashed_dates: bool = False) -> list[_Hit]:
    hits = []
    for match in _IDENT.finditer(text):
        token = match.group(1)
        if any(c.isdigit() for c in token) and (not find_dates(token) or (slashed_dates and "/" in token)):
            hits.append(_Hit(token, match.start(1), match.end(1), token))
    return hits


def _numbers(text: str) -> list[_Hit]:
    """Identifiers where a label names the number outright: "2/11/2023" there is a number (month/year
    counters, common in Polish and Italian numbering), not a date."""
    return _idents(text, slashed_dates=True)


_FINDERS: dict[ValueKind, Finder] = {"amount": _amounts, "date": _dates, "ident": _idents}


def with_strength(candidate: Candidate, strength: float) -> Candidate:
    return replace(candidate, strength=strength)
