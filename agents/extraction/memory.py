"""Vendor layout memory: where a person's approved values stood on a vendor's earlier invoices.

A vendor prints every invoice from one template: the invoice number after the same label, the total
in the same box. Each approved invoice teaches the memory, per vendor (keyed by the seller's VAT ID,
IBANs and name key, as the vendor directory keys vendors), the place of each field's value
(`agents.extraction.places`). On the vendor's next invoice the value found at the best-matching
place replaces the rules' pick. Only what is printed on the new page can be recalled: a remembered
value is used only where the page prints it again (a vendor's own name, VAT ID, IBAN).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from math import hypot

from pydantic import BaseModel, Field

from agents.extraction.identifiers import find_ibans, find_vat_ids
from agents.extraction.layout import Layout, build_layout
from agents.extraction.places import (
    PLACED_FIELDS,
    Occurrence,
    Place,
    Relation,
    Sizes,
    kind_of,
    occurrences,
    occurrences_in,
    page_sizes,
    place_of,
    printed,
    shape_of,
    value_box,
)
from agents.validation.normalize import compact_id, company_key
from schemas.document import ReadResult
from schemas.invoice import FieldSource, Invoice

#: The most recent places kept per vendor and field, and per field of one invoice.
MAX_ANCHORS = 6
_PER_INVOICE = 3
#: How far (in page fractions) a value may have moved from where it stood: far under the same label
#: (totals move with the length of the item table), very little without one.
_LABELLED_REACH = 0.6
_UNLABELLED_REACH = 0.04
#: Identifiers whose canonical form has no spaces or dots.
_COMPACT_FIELDS = frozenset({"seller_vat_id", "buyer_vat_id", "iban", "payer_iban", "bic"})
SOURCE = "memory:vendor_layout"


class Anchor(BaseModel):
    label: str
    relation: Relation
    page: int
    #: Pages from the last page (0 on the last page): totals stand on the last page of any length.
    from_end: int
    box: tuple[float, float, float, float]
    #: For identifiers: the pattern of the printed value (`places.shape_of`).
    shape: str | None = None


class VendorLayout(BaseModel):
    keys: list[str]
    invoices: int = 0
    anchors: dict[str, list[Anchor]] = Field(default_factory=dict)
    #: Per identifier or name: the value every approved invoice had; None once two differed.
    constants: dict[str, str | None] = Field(default_factory=dict)


class LayoutMemory(BaseModel):
    vendors: list[VendorLayout] = Field(default_factory=list)

    def find(self, keys: set[str]) -> VendorLayout | None:
        """The vendor sharing the most keys with `keys` (the earliest on a tie), or None."""
        best = max(self.vendors, key=lambda v: len(keys & set(v.keys)), default=None)
        return best if best is not None and keys & set(best.keys) else None


@dataclass(frozen=True)
class Recalled:
    value: object
    found: Occurrence
    agreement: float


def vendor_keys(invoice: Invoice) -> set[str]:
    """The seller's identity as the vendor directory matches it: VAT ID, IBANs, name key."""
    keys = {f"iban:{compact_id(i)}" for i in {invoice.iban, *invoice.ibans} if i}
    if invoice.seller_vat_id:
        keys.add(f"vat:{compact_id(invoice.seller_vat_id)}")
    if invoice.seller_name and (name := company_key(invoice.seller_name)):
        keys.add(f"name:{name}")
    return keys


def _page_keys(layout: Layout) -> set[str]:
    """Every VAT ID and IBAN printed: finds the vendor even where the rules misread the seller."""
    keys = {f"vat:{compact_id(found.value)}" for found in find_vat_ids(layout)}
    return keys | {f"iban:{compact_id(found.value)}" for found in find_ibans(layout)}


def learn(memory: LayoutMemory, read: ReadResult, truth: Invoice) -> None:
    """Teach `memory` where the approved `truth` stood on `read`'s pages (in place)."""
    keys = vendor_keys(truth)
    if not keys or read.char_count == 0:
        return
    vendor = memory.find(keys)
    if vendor is None:
        vendor = VendorLayout(keys=[])
        memory.vendors.append(vendor)
    vendor.keys = sorted(set(vendor.keys) | keys)
    vendor.invoices += 1
    layout, sizes = build_layout(read), page_sizes(read)
    for field in sorted(PLACED_FIELDS):
        value = getattr(truth, field)
        if value is None or value == "":
            continue
        if anchors := _anchors(layout, sizes, read.page_count, field, value):
            vendor.anchors[field] = [*vendor.anchors.get(field, []), *anchors][-MAX_ANCHORS:]
        if kind_of(field) in ("ident", "name"):
            _note_constant(vendor, field, str(value))


def _note_constant(vendor: VendorLayout, field: str, value: str) -> None:
    if field not in vendor.constants:
        vendor.constants[field] = value if vendor.invoices == 1 else None
    elif vendor.constants[field] is not None and _folded(vendor.constants[field] or "") != _folded(value):
        vendor.constants[field] = None


def _anchors(layout: Layout, sizes: Sizes, pages: int, field: str, value: object) -> list[Anchor]:
    kind = kind_of(field)
    if kind in ("amount", "date"):
        wanted = Decimal(str(value)) if kind == "amount" else value
        found = [o for o in occurrences(layout, kind) if o.value == wanted]
    elif kind == "name":
        # A name is recalled as the text its segment holds after any label: learn only names that fill it.
        found = [o for o in printed(layout, str(value)) if _fills_segment(o)]
    else:
        found = list(printed(layout, str(value)))
    anchors = []
    for occurrence in found[:_PER_INVOICE]:
        place = place_of(layout, sizes, occurrence)
        shape = shape_of(str(occurrence.value)) if kind == "ident" else None
        anchors.append(_anchor(place, pages, shape))
    return anchors


def _fills_segment(found: Occurrence) -> bool:
    recalled = next(occurrences_in(found.segment, "name"), None)
    return recalled is not None and _folded(str(recalled.value)) == _folded(str(found.value))


def _anchor(place: Place, pages: int, shape: str | None) -> Anchor:
    return Anchor(
        label=place.label,
        relation=place.relation,
        page=place.page,
        from_end=pages - place.page,
        box=place.box,
        shape=shape,
    )


def recall(memory: LayoutMemory, read: ReadResult, invoice: Invoice) -> tuple[Invoice, list[str]]:
    """`invoice` with the values its vendor's places hold on `read`; and the fields that changed."""
    if read.char_count == 0 or not memory.vendors:
        return invoice, []
    layout = build_layout(read)
    vendor = memory.find(vendor_keys(invoice) | _page_keys(layout))
    if vendor is None:
        return invoice, []
    sizes = page_sizes(read)
    updates: dict[str, object] = {}
    sources = dict(invoice.fields)
    for field, anchors in sorted(vendor.anchors.items()):
        found = _constant(layout, vendor, field) or _recalled(layout, sizes, read.page_count, field, anchors)
        if found is None or _same(getattr(invoice, field), found.value):
            continue
        updates[field] = found.value
        sources[field] = FieldSource(
            confidence=round(0.6 + 0.3 * found.agreement, 3),
            kind="rule",
            source=SOURCE,
            page=found.found.segment.page,
            bbox=value_box(found.found),
        )
    if not updates:
        return invoice, []
    return invoice.model_copy(update={**updates, "fields": sources}), sorted(updates)


def _constant(layout: Layout, vendor: VendorLayout, field: str) -> Recalled | None:
    """The vendor's constant value of `field` (its name, VAT ID, IBAN), where this page prints it."""
    value = vendor.constants.get(field)
    if not value:
        return None
    found = next(printed(layout, value), None)
    return Recalled(_canonical(field, value), found, 1.0) if found is not None else None


def _recalled(layout: Layout, sizes: Sizes, pages: int, field: str, anchors: list[Anchor]) -> Recalled | None:
    """The value most of the field's anchors point at on this page."""
    votes: dict[str, float] = defaultdict(float)
    best: dict[str, Occurrence] = {}
    kind = kind_of(field)
    shapes = {a.shape for a in anchors} if kind == "ident" else {None}
    candidates = [(o, place_of(layout, sizes, o)) for s in shapes for o in occurrences(layout, kind, s)]
    for anchor in anchors:
        scored = [(s, o) for o, p in candidates if (s := _score(anchor, p, pages)) is not None]
        if not scored:
            continue
        score, occurrence = max(scored, key=lambda pair: pair[0])
        key = str(occurrence.value)
        votes[key] += score
        best.setdefault(key, occurrence)
    if not votes:
        return None
    winner = max(votes, key=lambda k: votes[k])
    found = best[winner]
    agreement = votes[winner] / sum(votes.values())
    return Recalled(_canonical(field, found.value), found, agreement)


def _score(anchor: Anchor, place: Place, pages: int) -> float | None:
    """How well `place` matches `anchor` (higher is better); None when it cannot be the same place."""
    if place.page != anchor.page and pages - place.page != anchor.from_end:
        return None
    distance = hypot(place.box[0] - anchor.box[0], place.box[1] - anchor.box[1])
    if anchor.label:
        if place.label != anchor.label or distance > _LABELLED_REACH:
            return None
        return 2.0 - distance + (0.2 if place.relation == anchor.relation else 0.0)
    return None if distance > _UNLABELLED_REACH else 1.0 - distance


def _canonical(field: str, value: object) -> object:
    if isinstance(value, str):
        return compact_id(value) if field in _COMPACT_FIELDS else " ".join(value.split())
    return value


def _same(current: object, value: object) -> bool:
    if current is None:
        return False
    if isinstance(value, Decimal):
        return Decimal(str(current)) == value
    return _folded(str(current)) == _folded(str(value))


def _folded(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())
