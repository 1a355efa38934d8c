"""A due date computed from printed payment terms, when no due date is printed.

"Zahlbar innerhalb von 14 Tagen" gives issue date + 14 days; "zahlbar sofort", "due on receipt" give
the issue date itself. The value is computed by this named rule from printed words, and points at
them; terms that name a different start ("14 Tage nach Lieferung") are not guessed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from agents.extraction.layout import BBox, Layout
from agents.extraction.vocab import LANGUAGES

_DAYS = tuple(re.compile(p, re.IGNORECASE) for v in LANGUAGES for p in v.payment_days)
_NOW = tuple(re.compile(p, re.IGNORECASE) for v in LANGUAGES for p in v.payment_now)
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
    """The first payment term on the pages that fixes a due date relative to the issue date."""
    for line in layout.lines:
        text = line.text
        if _OTHER_START.search(text):
            continue
        for segment in line.segments:
            for pattern in _DAYS:
                if (match := pattern.search(segment.text)) and 0 < (days := int(match["days"])) <= _MAX_DAYS:
                    box = segment.span_bbox(match.start(), match.end())
                    return DueFromTerms(
                        issued + timedelta(days=days), line.page, box, "rule:issue_date+terms", line.index
                    )
            for pattern in _NOW:
                if match := pattern.search(segment.text):
                    box = segment.span_bbox(match.start(), match.end())
                    return DueFromTerms(issued, line.page, box, "rule:due_on_receipt", line.index)
    return None
