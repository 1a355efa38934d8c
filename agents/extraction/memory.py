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
from agents.extraction.labels import LABELS
from agents.extraction.layout import Layout, build_layout
from agents.extraction.places import (
    PLACED_FIELDS,
    Kind,
    Occurrence,
    Place,
    Relation,
    Sizes,
    kind_of,
    occurrences,
    page_sizes,
    place_of,
    printed,
    remainder,
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
_RELATION_RANK: dict[Relation, int] = {"inline": 0, "left": 0, "above": 1, "none": 2}
_SHARED = 1
_ANOTHER_FIELD = 2
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
    #: The value filled the rest of its segment after the label: recall that text (`places.remainder`).
    fills: bool = False
    #: Dates printed month first (US order) at this place.
    day_first: bool = True
    #: Learned under another field's label that had the same value (a gross total under "amount due").
    shared: bool = False
    #: Approved invoices that had the value at this place: a template's place recurs, a coincidence not.
    hits: int = 1


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
        if anchors := _anchors(layout, sizes, read.page_count, field, truth):
            vendor.anchors[field] = _merged(vendor.anchors.get(field, []), anchors)
        if kind_of(field) in ("ident", "name"):
            _note_constant(vendor, field, str(value))


def _note_constant(vendor: VendorLayout, field: str, value: str) -> None:
    if field not in vendor.constants:
        vendor.constants[field] = value if vendor.invoices == 1 else None
    elif vendor.constants[field] is not None and _folded(vendor.constants[field] or "") != _folded(value):
        vendor.constants[field] = None


def _anchors(layout: Layout, sizes: Sizes, pages: int, field: str, truth: Invoice) -> list[Anchor]:
    kind = kind_of(field)
    value = getattr(truth, field)
    day_first = True
    if kind == "amount":
        found = [o for o in occurrences(layout, kind) if o.value == Decimal(str(value))]
    elif kind == "date":
        found = [o for o in occurrences(layout, kind) if o.value == value]
        if not found:  # printed month first: a US date the rules read day first
            day_first = False
            found = [o for o in occurrences(layout, kind, day_first=False) if o.value == value]
    else:
        found = list(printed(layout, str(value)))
    placed = [(o, place_of(layout, sizes, o)) for o in found]
    ranked = [(_rank(field, p, truth), o, p) for o, p in placed]
    # Where the value is printed more than once, the places its own labels announce come first, then
    # other labelled places; a place another field's label announces holds it by coincidence (a net
    # total that equals a line's amount) unless that field has the same value (gross = amount due).
    best = min((rank for rank, _, _ in ranked), default=None)
    chosen = [(o, p) for rank, o, p in ranked if rank == best and rank[0] < _ANOTHER_FIELD][:_PER_INVOICE]
    return [
        _anchor(o, p, pages, kind, day_first).model_copy(update={"shared": rank[0] == _SHARED})
        for rank, o, p in ranked
        if (o, p) in chosen
    ]


def _merged(known: list[Anchor], new: list[Anchor]) -> list[Anchor]:
    """`known` with `new` counted in: a place seen again gains a hit (and its latest box)."""
    merged = list(known)
    for anchor in new:
        same = next((i for i, old in enumerate(merged) if _same_place(old, anchor)), None)
        if same is None:
            merged.append(anchor)
        else:
            merged[same] = anchor.model_copy(update={"hits": merged[same].hits + 1})
    # The most confirmed places first; among equals the latest.
    ranked = sorted(enumerate(merged), key=lambda pair: (pair[1].hits, pair[0]), reverse=True)
    return [anchor for _, anchor in ranked[:MAX_ANCHORS]]


def _same_place(a: Anchor, b: Anchor) -> bool:
    return (a.label, a.relation, a.from_end, a.shape, a.fills, a.day_first) == (
        b.label,
        b.relation,
        b.from_end,
        b.shape,
        b.fills,
        b.day_first,
    )


def _rank(field: str, place: Place, truth: Invoice) -> tuple[int, int]:
    """How surely `place` is the field's own: (0 its label, 1 no known label or the label of a field
    with the same value, 2 another field's label; then labelled beside, above, unlabelled)."""
    named = {known.field for known in LABELS if known.pattern.search(place.label)} if place.label else set()
    if field in named:
        vocabulary = 0
    elif not named:
        vocabulary = 1
    elif any(_same(getattr(truth, other, None), getattr(truth, field)) for other in named):
        vocabulary = _SHARED
    else:
        vocabulary = _ANOTHER_FIELD
    return vocabulary, _RELATION_RANK[place.relation]


def _anchor(found: Occurrence, place: Place, pages: int, kind: Kind, day_first: bool) -> Anchor:
    rest = remainder(found.segment, place.label, place.relation) if kind in ("ident", "name") else None
    fills = rest is not None and _folded(str(rest.value)) == _folded(str(found.value))
    return Anchor(
        label=place.label,
        relation=place.relation,
        page=place.page,
        from_end=pages - place.page,
        box=place.box,
        shape=shape_of(str(found.value)) if kind == "ident" and not fills else None,
        fills=fills,
        day_first=day_first,
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
    month_first = any(not a.day_first for anchors in vendor.anchors.values() for a in anchors)
    updates: dict[str, object] = {}
    sources = dict(invoice.fields)
    # Where totals coincided (gross = amount due) they coincide again only without a prepayment.
    prepaid = bool(invoice.prepaid_amount)
    for field, learned in sorted(vendor.anchors.items()):
        usable = [a for a in learned if not (prepaid and a.shared)]
        # A vendor that printed one date month first prints them all so (its country's order).
        anchors = [a.model_copy(update={"day_first": False}) for a in usable] if month_first else usable
        current = getattr(invoice, field)
        found = _constant(layout, vendor, field) or _recalled(
            layout, sizes, read.page_count, field, anchors, current
        )
        if found is None or _same(current, found.value):
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


def _recalled(
    layout: Layout, sizes: Sizes, pages: int, field: str, anchors: list[Anchor], current: object
) -> Recalled | None:
    """The value the field's places hold on this page, if they hold it more than the rules' value.

    Each place votes, by its hits, for the values printed there; the rules' value stands unless the
    remembered places support another one more.
    """
    kind = kind_of(field)
    support: dict[str, float] = defaultdict(float)
    best: dict[str, tuple[float, Occurrence]] = {}
    for anchor in anchors:
        candidates = _candidates(layout, sizes, kind, anchor)
        scored = [(s, o) for o, p in candidates if (s := _score(anchor, o, p, pages)) is not None]
        if len({_key(o.value) for _, o in scored}) != 1:
            continue  # nothing there, or a row label (an item table's) that stands before many values
        score, occurrence = max(scored, key=lambda pair: pair[0])
        key = _key(occurrence.value)
        if key not in best or score > best[key][0]:
            best[key] = (score, occurrence)
        voted = {key}
        if current is not None and any(_same(current, o.value) for _, o in scored):
            voted.add(_key(current))  # the rules' value stands at this place too
        for value in voted:
            support[value] += anchor.hits
    if not best:
        return None
    winner = max(best, key=lambda k: (support[k], best[k][0]))
    if current is not None and support[_key(current)] >= support[winner]:
        return None
    return Recalled(
        _canonical(field, best[winner][1].value), best[winner][1], support[winner] / sum(support.values())
    )


def _candidates(layout: Layout, sizes: Sizes, kind: Kind, anchor: Anchor) -> list[tuple[Occurrence, Place]]:
    """What could stand at the anchor's place on this page, read the way the anchor's value was."""
    if anchor.fills:
        rests = (remainder(s, anchor.label, anchor.relation) for s in layout.segments())
        found = [
            r for r in rests if r is not None and (kind != "ident" or any(c.isdigit() for c in str(r.value)))
        ]
    else:
        found = list(occurrences(layout, kind, anchor.shape, day_first=anchor.day_first))
    return [(o, place_of(layout, sizes, o)) for o in found]


def _key(value: object) -> str:
    return str(Decimal(str(value)).normalize()) if isinstance(value, Decimal) else _folded(str(value))


def _score(anchor: Anchor, found: Occurrence, place: Place, pages: int) -> float | None:
    """How well `place` matches `anchor` (higher is better); None when it cannot be the same place."""
    if place.page != anchor.page and pages - place.page != anchor.from_end:
        return None
    if not found.shaped and place.relation not in ("inline", "left"):
        return None  # a bare number is an amount only right after its label
    distance = hypot(place.box[0] - anchor.box[0], place.box[1] - anchor.box[1])
    if anchor.label:
        if (place.label, place.relation) != (anchor.label, anchor.relation) or distance > _LABELLED_REACH:
            return None
        return 2.0 - distance
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
