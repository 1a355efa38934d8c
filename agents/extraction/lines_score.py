"""Line-item matching for evaluation: how many predicted items are right, wrong or missing.

A predicted item matches a truth item when
- their net amounts are equal to the cent (both must be present);
- their descriptions agree after folding case, whitespace and surrounding punctuation: equal, or
  the shorter (at least 3 characters) stands inside the longer, at word boundaries or once all
  spaces are removed (a page prints a description over more or fewer lines than the XML holds,
  and may break a word at a line end);
- their quantities are equal where both are present;
- the predicted unit price equals the truth's unit price or its gross unit price, to the cent,
  where both are present (pages print either the gross or the net price).
Truth items marked `informational` or carrying a `parent_line_id` are not scored. Pairs are taken
greedily in truth order; each item matches at most once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from schemas.invoice import LineItem

_CENT = Decimal("0.005")
_SPACE = re.compile(r"\s+")


def scored_truth(truth: Sequence[LineItem]) -> list[LineItem]:
    """The truth items a score counts: no informational lines, no sub-lines."""
    return [t for t in truth if not t.informational and t.parent_line_id is None]


def match_line_items(predicted: Sequence[LineItem], truth: Sequence[LineItem]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of `predicted` against `truth`."""
    remaining = list(predicted)
    wanted = scored_truth(truth)
    hits = 0
    for item in wanted:
        match = next((p for p in remaining if items_match(p, item)), None)
        if match is not None:
            remaining.remove(match)
            hits += 1
    return hits, len(remaining), len(wanted) - hits


def items_match(predicted: LineItem, truth: LineItem) -> bool:
    if predicted.net_amount is None or truth.net_amount is None:
        return False
    if abs(predicted.net_amount - truth.net_amount) > _CENT:
        return False
    if not descriptions_match(predicted.description, truth.description):
        return False
    if predicted.quantity is not None and truth.quantity is not None and predicted.quantity != truth.quantity:
        return False
    return _price_matches(predicted.unit_price, truth)


def _price_matches(price: Decimal | None, truth: LineItem) -> bool:
    options = [p for p in (truth.unit_price, truth.gross_unit_price) if p is not None]
    if price is None or not options:
        return True
    return any(abs(price - option) < _CENT for option in options)


def fold(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").casefold()).strip(" .,;:-")


def descriptions_match(predicted: str | None, truth: str | None) -> bool:
    left, right = fold(predicted), fold(truth)
    if left == right:
        return True
    shorter, longer = sorted((left, right), key=len)
    if len(shorter) < 3:
        return False
    pattern = rf"(?<!\w){re.escape(shorter)}(?!\w)"
    if re.search(pattern, longer) is not None:
        return True
    # A page may break a word over two lines ("Versicher-/ung"): compare without any spaces too.
    return shorter.replace(" ", "") in longer.replace(" ", "")
