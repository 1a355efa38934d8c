"""How one extracted invoice is compared with its truth file (both corpora's README conventions).

Amounts match to the cent, dates as ISO dates, identifiers and IBANs after dropping spaces, dots,
hyphens and case, names after folding case and whitespace. A null truth is not scored; a field the
truth lists in `uncertain` is scored apart, never in the headline figures. The hand-labelled set
names the document type (`invoice`/`credit_note`) and is compared as that pair; the e-invoice set's
UNTDID code is compared as a code. Addresses are scored by their parts (street, postcode, city).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from schemas.fields import FIELDS, ScoringRule
from schemas.invoice import Invoice, LineItem

#: How each field is compared with its truth: the scoring rule of `schemas.fields`.
RULES: dict[str, ScoringRule] = {spec.name: spec.scoring for spec in FIELDS}
ADDRESS_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS if spec.scoring == "address")
#: § 14 UStG fields reported apart from the header figure (kept comparable with earlier runs); on the
#: hybrid set their truth is the embedded XML, since the truth JSON does not carry them.
STATUTORY_FIELDS: tuple[str, ...] = (*ADDRESS_FIELDS, "delivery_date")
SCORED_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
#: Descriptions match when this similar (difflib ratio on folded text) or one contains the other.
DESCRIPTION_SIMILARITY = 0.6
_CREDIT_CODES = frozenset({"381", "261", "262", "396", "532"})
_TYPE_WORDS = frozenset({"invoice", "credit_note"})


@dataclass
class Marks:
    """Per scored field: right or wrong; and the confidence the agent gave each value it reported."""

    fields: dict[str, bool] = field(default_factory=dict)
    uncertain: dict[str, bool] = field(default_factory=dict)
    confidences: dict[str, float] = field(default_factory=dict)
    wrong: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def expected_values(truth: Mapping[str, Any]) -> dict[str, Any]:
    """The truth as field name → value, with the hand-labelled set's `document_type` as a type code."""
    values = {name: truth.get(name) for name in SCORED_FIELDS}
    if values.get("document_type_code") is None and truth.get("document_type") is not None:
        values["document_type_code"] = truth["document_type"]
    return {name: v for name, v in values.items() if v not in (None, "", [])}


def mark(invoice: Invoice, truth: Mapping[str, Any]) -> Marks:
    marks = Marks()
    uncertain = set(truth.get("uncertain") or [])
    if "document_type" in uncertain:
        uncertain.add("document_type_code")
    for name, expected in expected_values(truth).items():
        got = getattr(invoice, name, None)
        right = got is not None and same(name, got, expected)
        if name in uncertain:
            marks.uncertain[name] = right
            continue
        marks.fields[name] = right
        if (source := invoice.fields.get(name)) is not None and got is not None:
            marks.confidences[name] = source.confidence
        if not right:
            marks.wrong[name] = (str(expected), None if got is None else str(got))
    return marks


def same(name: str, got: object, expected: object) -> bool:
    rule = RULES.get(name, "exact")
    if rule == "document_type" and expected not in _TYPE_WORDS:
        return str(got) == str(expected)  # a UNTDID code in the truth is compared as a code
    if rule == "address":
        return _same_address(str(got), str(expected))
    return normalise(name, got) == normalise(name, expected)


def normalise(name: str, value: object) -> str:
    rule = RULES.get(name, "exact")
    if rule == "amount":
        try:
            return str(Decimal(str(value)).quantize(Decimal("0.01")))
        except InvalidOperation:
            return str(value)
    text = str(value)
    if rule == "document_type":
        return "credit_note" if text in _CREDIT_CODES or text == "credit_note" else "invoice"
    if rule == "identifier":
        return re.sub(r"[\s.\-]", "", text).upper()
    if rule == "name":
        return " ".join(text.casefold().split())
    return text.strip().upper()


def _same_address(got: str, expected: str) -> bool:
    """Every part of the expected address (street, postcode, city) is in the extracted one."""
    have = _fold(got)
    return all(_fold(part) in have for part in expected.split(",") if part.strip())


def _fold(text: str) -> str:
    text = text.casefold().replace("ß", "ss")
    text = re.sub(r"str(?:asse|\.)", "str", text)
    return " ".join(re.sub(r"[,.;]", " ", text).split())


def line_f1(invoice: Invoice, truth: Mapping[str, Any], *, described: bool = False) -> float | None:
    """F1 of line items matched on net amount (to the cent), and on description too when `described`.

    Informational rows and EXTENDED sub-lines are not scored.
    """
    expected = [
        item
        for item in truth.get("line_items") or []
        if not item.get("informational") and not item.get("parent_line_id")
    ]
    if not expected:
        return None
    got = [item for item in invoice.line_items if not item.informational]
    remaining = list(expected)
    hits = 0
    for item in got:
        match = next((t for t in remaining if _line_matches(item, t, described=described)), None)
        if match is not None:
            remaining.remove(match)
            hits += 1
    if hits == 0:
        return 0.0
    precision, recall = hits / len(got), hits / len(expected)
    return 2 * precision * recall / (precision + recall)


def _line_matches(item: LineItem, truth: Mapping[str, Any], *, described: bool) -> bool:
    if item.net_amount is None or _cents(truth.get("net_amount")) != _cents(item.net_amount):
        return False
    return not described or similar_description(item.description, truth.get("description"))


def similar_description(got: str | None, expected: object) -> bool:
    if not isinstance(expected, str) or not expected.strip():
        return True
    if not got:
        return False
    a, b = " ".join(got.casefold().split()), " ".join(expected.casefold().split())
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= DESCRIPTION_SIMILARITY


def _cents(value: object) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))
