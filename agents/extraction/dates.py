"""Dates as invoices print them: numeric (EU day-first by default), ISO, and month names in every
language of `agents.extraction.vocab`.

`parse_date` reads one date phrase; `find_dates` scans free text and keeps character spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from agents.extraction.vocab import MONTHS, fold

_MONTH = r"[^\W\d_]{3,12}\.?"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")),
    (
        "dmy",
        re.compile(r"(?<![\d.])(?P<d>\d{1,2})\s?[./-]\s?(?P<m>\d{1,2})\s?[./-]\s?(?P<y>\d{4}|\d{2})(?![\d])"),
    ),
    (
        "d_month_y",
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|er|st|nd|rd|th)?(?:\s+|-)(?P<mn>{_MONTH})(?:\s+|-)(?P<y>\d{{4}})"
        ),
    ),
    ("month_d_y", re.compile(rf"(?P<mn>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})")),
    ("compact", re.compile(r"(?<!\d)(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")),
)


#: Typographic hyphens and dashes that word processors put between day, month and year.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int
    end: int
    text: str


def parse_date(text: str, *, day_first: bool = True) -> date | None:
    """The date `text` spells (surrounding words allowed), or None."""
    for match in find_dates(text, day_first=day_first, compact=True):
        return match.value
    return None


def find_dates(text: str, *, day_first: bool = True, compact: bool = False) -> list[DateMatch]:
    """Every valid date in `text`, in order of position, never two overlapping."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    plain = text.translate(_DASHES)
    for kind, pattern in _PATTERNS:
        if kind == "compact" and not compact:
            continue
        for match in pattern.finditer(plain):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            value = _build(kind, match, day_first)
            if value is not None:
                found.append(DateMatch(value, match.start(), match.end(), text[match.start() : match.end()]))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def _build(kind: str, match: re.Match[str], day_first: bool) -> date | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if year < 100:
        year += 2000
    if "mn" in groups and groups["mn"] is not None:
        month = _month_number(groups["mn"])
        day = int(groups["d"])
    else:
        day, month = int(groups["d"]), int(groups["m"])
        if kind == "dmy" and (not day_first or month > 12) and day <= 12:
            day, month = month, day  # US order, or an unmistakable month/day
    if month is None or not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(name: str) -> int | None:
    return MONTHS.get(fold(name.rstrip(".")))
