"""A due date computed from printed payment terms, when no due date is printed.

"Zahlbar innerhalb von 14 Tagen" gives issue date + 14 days; "zahlbar sofort", "due on receipt" give
the issue date itself. The value is computed by this named rule from printed words, and points at
them; terms that name a different start ("14 Tage nach Lieferung") are not guessed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from agents.extraction.layout import BBox, Layout, Line, Segment
from agents.extraction.vocab import spelled_all

_DAYS = tuple(re.compile(p, re.IGNORECASE) for p in spelled_all("payment_days"))
_NOW = tuple(re.compile(p, re.IGNORECASE) for p in spelled_all("payment_now"))
#: Terms that count from something other than the invoice date: not computable from the page.
_OTHER_START = re.compile(
    r"nach\s+(?:lieferung|leistung|erhalt\s+der\s+ware)|after\s+(?:delivery|receipt\s+of\s+goods)|"
    r"fin\s+de\s+mois|end\s+of\s+month|ende\s+des\s+monats",
    re.IGNORECASE,
)
#: Longer terms than this are contract clauses, not due dates.
_MAX_DAYS = 120


@dataclass(frozen=True)
class DueFromTerms:
    value: date
    page: int
    bbox: BBox
    rule: str
    line: int


def due_from_terms(layout: Layout, issued: date) -> DueFromTerms | None:
    """The first payment term on the pages that fixes a due date relative to the issue date.

    A sentence may wrap: a term that starts in the last segment of a line may end on the next line
    ("innerhalb von 14 / Tagen ohne Abzug").
    """
    for line in layout.lines:
        if _OTHER_START.search(line.text):
            continue
        for segment in line.segments:
            text = segment.text + _wrapped(layout, line, segment)
            for pattern in _DAYS:
                match = pattern.search(text)
                if match is None or (days := _days(match, len(segment.text), text)) is None:
                    continue
                box = segment.span_bbox(match.start(), min(match.end(), len(segment.text)))
                return DueFromTerms(
                    issued + timedelta(days=days), line.page, box, "rule:issue_date+terms", line.index
                )
            for pattern in _NOW:
                if match := pattern.search(segment.text):
                    box = segment.span_bbox(match.start(), match.end())
                    return DueFromTerms(issued, line.page, box, "rule:due_on_receipt", line.index)
    return None


def _days(match: re.Match[str], starts_before: int, text: str) -> int | None:
    """The days of a term that starts in the segment, counts from the invoice date, is no contract clause."""
    if match.start() >= starts_before or _OTHER_START.search(text, match.start()):
        return None
    days = int(match["days"])
    return days if 0 < days <= _MAX_DAYS else None


def _wrapped(layout: Layout, line: Line, segment: Segment) -> str:
    """The next line's text, where `segment` ends its line and the next line follows on the same page."""
    after = layout.lines[line.index + 1] if line.index + 1 < len(layout.lines) else None
    if segment is not line.segments[-1] or after is None or after.page != line.page:
        return ""
    return " " + after.text
