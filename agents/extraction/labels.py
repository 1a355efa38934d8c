"""The label lexicon of all languages in `agents.extraction.vocab`: which printed words announce which field.

Each pattern carries a strength in (0, 1]: how surely the label names that field rather than a
neighbour (`Nettobetrag` is also a column header; `Total HT` is not). Patterns are matched case-
insensitively against one segment's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from agents.extraction.vocab import compiled, field_patterns, label_fields


@dataclass(frozen=True)
class Label:
    field: str
    pattern: re.Pattern[str]
    strength: float


#: Section headers that open a party block; a header fills its segment ("Lieferant GmbH" is a name).
_HEADER_END = r"\s*(?:[:/].*|\s(?:trade\s+)?name.*|\s*\(.*)?$"

PARTY_HEADERS: dict[str, re.Pattern[str]] = {
    "seller": compiled("seller_headers", "^{}" + _HEADER_END),
    "buyer": compiled("buyer_headers", "^{}" + _HEADER_END),
}

#: Words next to an identifier that say it belongs to the buyer ("your VAT ID").
BUYER_HINT = compiled("buyer_hints", r"(?<!\w){}(?!\w)")

VAT_LABEL = compiled("vat_labels")

LABELS: tuple[Label, ...] = tuple(
    Label(field, re.compile(pattern, re.IGNORECASE), strength)
    for field in label_fields()
    for pattern, strength in field_patterns(field)
)


@cache
def labels_for(field: str) -> tuple[Label, ...]:
    return tuple(label for label in LABELS if label.field == field)
