"""Line items of a text-layer invoice, read deterministically from the page's item table.

`extract_line_items` SHALL find the item table(s) by their header row, read one item per number
line, and report how far the numbers agree with each other: quantity x unit price (per price
basis, after line allowances) against the line amount, and the sum of line amounts against a
printed subtotal. It never raises on an unfamiliar layout; it returns no items with confidence 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel

from agents.extraction.lines_units import unit_code
from agents.extraction.table_furniture import without_page_furniture
from agents.extraction.table_lines import BBox, cell_number, document_lines, union
from agents.extraction.table_rows import DOCUMENT_ALLOWANCE, BodyLine, Cell, Table, agrees, find_tables
from agents.extraction.table_segments import Row, desc_words, rows_of
from schemas.document import ReadResult, Word
from schemas.invoice import LineItem

#: Document-level allowances and charges printed inside the table are not items.
_ALLOWANCE_ROW = re.compile(r"^(remise|rabatt|nachlass|abschlag|skonto|discount|allowance)\b", re.IGNORECASE)
_ADJUSTMENT = re.compile(r"rabatt|abzgl|zzgl|nachlass|zuschlag|remise|discount|surcharge|allowance", re.I)
#: Words that attach an allowance or charge to the row above ("abzgl. 5 % Rabatt", "zzgl. Fracht").
_LINE_ADJUSTMENT = re.compile(r"^(abzgl|zzgl|abzüglich|zuzüglich|less|plus|moins)\b", re.IGNORECASE)
_BASES = (Decimal(1), Decimal(10), Decimal(100), Decimal(1000))
_CENT = Decimal("0.011")
_AMBIGUOUS_GROUP = re.compile(r"^-?\d{1,3}[.,]\d{3}$")
_SUB_POSITION = re.compile(r"^\d+(\.\d+)*$")


class LineItemsResult(BaseModel):
    items: list[LineItem]
    #: Page (1-based) and box (x0, top, x1, bottom in points) of each item, in item order.
    boxes: list[tuple[int, tuple[float, float, float, float]]]
    #: 0..1: how far the printed numbers confirm the items (arithmetic per row, subtotal overall).
    confidence: float


@dataclass(frozen=True)
class _Draft:
    item: LineItem
    page: int
    bbox: BBox
    consistent: bool


def extract_line_items(read: ReadResult) -> LineItemsResult:
    tables = find_tables(without_page_furniture(document_lines(read), read))
    drafts: list[_Draft] = []
    subtotal_found = False
    seen: list[list[tuple[Decimal | None, Decimal | None, Decimal | None]]] = []
    for table in tables:
        found = [d for row in _main_rows(rows_of(table)) for d in _drafts(row)]
        key = [(d.item.net_amount, d.item.quantity, d.item.unit_price) for d in found]
        if len(key) > 1 and key in seen:
            continue  # the same table again: a copy of the invoice (ORIGINAL / COPY) or a repeated page
        seen.append(key)
        drafts.extend(found)
        subtotal_found = subtotal_found or _subtotal_agrees(table, found)
    return LineItemsResult(
        items=[d.item for d in drafts],
        boxes=[(d.page, d.bbox) for d in drafts],
        confidence=_confidence(drafts, subtotal_found),
    )


def _confidence(drafts: list[_Draft], subtotal_found: bool) -> float:
    if not drafts:
        return 0.0
    share = sum(d.consistent for d in drafts) / len(drafts)
    return round(min(1.0, 0.3 + 0.5 * share + (0.2 if subtotal_found else 0.0)), 3)


def _subtotal_agrees(table: Table, drafts: list[_Draft]) -> bool:
    if not drafts:
        return False
    total = sum((d.item.net_amount or Decimal(0) for d in drafts), Decimal(0))
    for line in table.after[:8]:
        for word in line.words:
            parsed = cell_number(word.text)
            if parsed is not None and not parsed[1] and abs(parsed[0] - total) < _CENT:
                return True
    return False


def _main_rows(rows: list[Row]) -> list[Row]:
    """Drop sub-lines ("01.02" under "01"): their parent already carries the amount."""
    kept: list[Row] = []
    numbers: set[str] = set()
    for row in rows:
        number = _position(row)
        parent = number.rpartition(".")[0] if number else ""
        if parent and parent in numbers:
            continue
        numbers.add(number)
        kept.append(row)
    return kept


def _position(row: Row) -> str:
    cell = row.anchor.first("pos")
    return cell.word.text.strip() if cell is not None and _SUB_POSITION.match(cell.word.text) else ""


def _drafts(row: Row) -> list[_Draft]:
    """The row's item, and a discount printed as a row of its own right under it."""
    main = _draft(row)
    discounts = [
        _Draft(
            LineItem(description=_text(desc_words(line)), net_amount=cell.value),
            line.line.page,
            union(line.line.words),
            False,
        )
        for line in _discount_lines(row)
        if (cell := line.first("net")) is not None
    ]
    return ([main] if main is not None else []) + discounts


def _text(words: tuple[Word, ...]) -> str | None:
    return " ".join(w.text for w in words) or None


def _discount_lines(row: Row) -> list[BodyLine]:
    """Negative amounts under a row whose own numbers already agree: discount rows, not allowances.

    "Rabatt -83,42" under "1 x 349,99 = 349,99" is an item of its own; "abzgl. 10 % -2,00" under a
    row, or a discount the row's amount already includes, belongs to the row.
    """
    if not agrees(row.anchor):
        return []
    position = row.lines.index(row.anchor)
    return [line for line in row.lines[position + 1 :] if _standalone_discount(line)]


def _standalone_discount(line: BodyLine) -> bool:
    cell = line.first("net")
    text = line.line.text
    if cell is None or cell.value >= 0 or line.is_anchor or "%" in text or _LINE_ADJUSTMENT.match(text):
        return False
    return bool(desc_words(line)) and not DOCUMENT_ALLOWANCE.search(text)


def _draft(row: Row) -> _Draft | None:
    anchor = row.anchor
    net = anchor.first("net") or _wrapped_net(row)
    description = row.description
    if net is None or _ALLOWANCE_ROW.search(description or anchor.line.text):
        return None
    qty, price, basis = _quantity_and_price(row, net.value)
    consistent = basis is not None
    item = LineItem(
        description=description,
        quantity=qty.value if qty else None,
        unit_code=_unit(anchor, qty),
        unit_price=price.value if price else None,
        price_basis_quantity=basis if basis is not None and basis != 1 else None,
        net_amount=net.value + _adjustments(row),
        tax_rate=_tax_rate(anchor),
    )
    words = [*row.description_words, *anchor.line.words]
    return _Draft(item, anchor.line.page, union(words), consistent)


def _wrapped_net(row: Row) -> Cell | None:
    """An amount printed on the line under its row's numbers (a wrapped cell)."""
    position = row.lines.index(row.anchor)
    for line in row.lines[position + 1 : position + 2]:
        if not line.is_anchor and line.first("net") is not None:
            return line.first("net")
    return None


def _quantity_and_price(row: Row, net: Decimal) -> tuple[Cell | None, Cell | None, Decimal | None]:
    """Quantity, unit price and the price basis that makes them agree with the amount (None if none)."""
    anchor = row.anchor
    allow = sum(
        (c.value for line in row.lines for c in line.cells if c.role == "allow" and not c.percent), Decimal(0)
    )
    basis_cell = anchor.first("basis")
    prices = [
        c for line in row.lines for c in line.cells if c.role == "price" and not c.percent and c.value >= 0
    ]
    prices += [_thousandths(c) for c in prices if _AMBIGUOUS_GROUP.match(c.word.text)]
    prices.sort(key=lambda c: c.word.top != anchor.line.top)
    quantities = [c for c in [anchor.first("qty")] if c is not None]
    quantities += [_thousandths(c) for c in quantities if _AMBIGUOUS_GROUP.match(c.word.text)]
    quantities += [c for c in anchor.cells if c.role in {"pos", "other", "unit"} and not c.percent]
    # Every reading at price basis 1 first: "1,000 x 100,000" is one at 100, not 1000 at 100 per 1000.
    for bases in _bases(basis_cell):
        for qty in quantities:
            for price in prices:
                basis = _basis(qty.value, price.value, net, allow, bases)
                if basis is not None:
                    return qty, price, basis
    printed = anchor.first("qty")
    if printed is not None and prices and _discounted(row, printed.value * prices[0].value, net):
        return printed, prices[0], None
    if printed is not None and prices and (exact := _unrounded(printed, prices[0].value, net)) is not None:
        return exact, prices[0], Decimal(1)
    return printed, prices[0] if prices else None, None


def _discounted(row: Row, gross: Decimal, net: Decimal) -> bool:
    """Whether a percentage on the row explains the amount: a line discount, not a rounded quantity."""
    tolerance = _CENT + abs(net) * Decimal("0.0002")
    rates = [c.value for line in row.lines for c in line.cells if c.percent and 0 < c.value < 100]
    return any(abs(gross * (1 - rate / 100) - net) <= tolerance for rate in rates)


def _unrounded(printed: Cell, price: Decimal, net: Decimal) -> Cell | None:
    """The quantity amount / price gives, when the page prints it rounded (27.5 shown as "28")."""
    if price <= 0:
        return None
    exact = (net / price).quantize(Decimal("0.0001"))
    if abs(exact - printed.value) > Decimal("0.5") or exact != exact.quantize(Decimal("0.01")):
        return None
    return Cell(printed.word, exact.normalize(), False, "qty")


def _thousandths(cell: Cell) -> Cell:
    """The other reading of "5,000": five with three decimals, not five thousand."""
    return Cell(cell.word, cell.value / 1000, cell.percent, cell.role)


def _bases(cell: Cell | None) -> list[tuple[Decimal, ...]]:
    """The price bases to try, in turn: a printed one, then 1, then 10, 100 and 1000."""
    printed = [(cell.value,)] if cell is not None and cell.value > 0 else []
    return [*printed, _BASES[:1], _BASES[1:]]


def _basis(
    qty: Decimal, price: Decimal, net: Decimal, allow: Decimal, bases: tuple[Decimal, ...]
) -> Decimal | None:
    for basis in bases:
        value = qty * price / basis
        tolerance = _CENT + abs(net) * Decimal("0.0002")
        if abs(value - net) <= tolerance or abs(value + allow - net) <= tolerance:
            return basis
    return None


def _adjustments(row: Row) -> Decimal:
    """Line allowances/charges printed in the amount column under the row ("abzgl. 10% Rabatt -2,00")."""
    position = row.lines.index(row.anchor)
    total = Decimal(0)
    discounts = {id(line) for line in _discount_lines(row)}
    for line in row.lines[position + 1 :]:
        if id(line) in discounts:
            continue
        cell = line.first("net")
        text = line.line.text
        if (
            cell is not None
            and not line.is_anchor
            and _ADJUSTMENT.search(text)
            and not DOCUMENT_ALLOWANCE.search(text)
        ):
            total += cell.value
    return total


def _tax_rate(anchor: BodyLine) -> Decimal | None:
    cell = anchor.first("tax", percent=None)
    if cell is None or not Decimal(0) <= cell.value <= Decimal(100):
        return None
    return cell.value.normalize() if cell.value == cell.value.to_integral() else cell.value


def _unit(anchor: BodyLine, qty: Cell | None) -> str | None:
    """The unit word in the unit column, or printed right after the quantity."""
    numeric = {id(c.word) for c in anchor.cells}
    for word in anchor.line.words:
        if id(word) in numeric:
            continue
        in_column = anchor.header.role_of(word) == "unit"
        after_qty = qty is not None and 0 <= word.x0 - qty.word.x1 <= 12
        if (in_column or after_qty) and (code := unit_code(word.text)) is not None:
            return code
    return None
