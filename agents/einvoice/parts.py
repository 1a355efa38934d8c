"""The canonical invoice's header values and parts (a line, a VAT breakdown, an allowance or charge), one
reader each for CII and UBL: where each value stands is the syntax's table in `paths.toml`, not code."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import TypeAdapter

from agents.einvoice.values import Document, Element
from agents.tables import read_table
from schemas.invoice import AllowanceCharge, LineItem, TaxBreakdown

Kind = Literal["text", "code", "amount", "date", "indicator"]
#: One value: how it is read, the element its path starts from (by name), the path.
Source = tuple[Kind, str, str]
Sources = dict[str, Source]
#: The elements that a part's paths start from, by name.
Anchors = Mapping[str, Element | None]

_TABLE = read_table(__name__.rpartition(".")[0], "paths.toml")
#: Syntax (`cii`, `ubl`) → dialect → container name → element name.
DIALECTS: dict[str, dict[str, dict[str, str]]] = _TABLE.pop("dialects")
#: Syntax → part (`line`, `tax`, ...) → field → where it stands.
SOURCES = TypeAdapter(dict[str, dict[str, Sources]]).validate_python(_TABLE)


def read_values(
    doc: Document, sources: Sources, anchors: Anchors, names: Mapping[str, str]
) -> dict[str, Any]:
    """Each field's value; `{name}` in a path is the dialect's container `name`."""
    return {field: value for field, _, value in _read(doc, sources, anchors, names)}


def put_values(doc: Document, sources: Sources, anchors: Anchors, names: Mapping[str, str]) -> None:
    """Each field's value into the header, with the element it was read from."""
    for field, element, value in _read(doc, sources, anchors, names):
        doc.put(field, element, value)


def _read(
    doc: Document, sources: Sources, anchors: Anchors, names: Mapping[str, str]
) -> list[tuple[str, Element | None, Any]]:
    read = {
        "text": doc.text,
        "code": doc.code,
        "amount": doc.amount,
        "date": doc.date,
        "indicator": doc.indicator,
    }
    found = [
        (field, kind, doc.find(anchors[anchor], path.format_map(names)))
        for field, (kind, anchor, path) in sources.items()
    ]
    return [(field, element, read[kind](element)) for field, kind, element in found]


def line_item(
    doc: Document, sources: Sources, anchors: Anchors, names: Mapping[str, str], **given: Any
) -> LineItem:
    """A line; `anchors["quantity"]` is the quantity element, which also carries the unit."""
    quantity = anchors["quantity"]
    unit_code = quantity.get("unitCode") if quantity is not None else None
    return LineItem(**read_values(doc, sources, anchors, names), unit_code=unit_code, **given)


def tax_breakdown(
    doc: Document, sources: Sources, anchors: Anchors, names: Mapping[str, str]
) -> TaxBreakdown:
    return TaxBreakdown(**read_values(doc, sources, anchors, names))


def allowance_charge(
    doc: Document, sources: Sources, charge: Element, names: Mapping[str, str], **given: Any
) -> AllowanceCharge:
    values = {**read_values(doc, sources, {"charge": charge}, names), **given}
    return AllowanceCharge(**{**values, "amount": values["amount"] or Decimal(0)})
