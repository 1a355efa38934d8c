"""The body of a line-item table: its lines from the header to the totals block, across pages.

A table opens at a header, stays open across a page break (the next page may repeat the header,
which then takes over), skips carry-over lines ("Übertrag") and closes at the first line that opens
the totals block (Summe, Zwischensumme, Total HT, Subtotal ...) or the tax breakdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from agents.extraction.table_header import Header, Role, find_header, is_header
from agents.extraction.table_lines import DECIMAL_AMOUNT, TextLine, cell_number, has_decimal_amount
from agents.extraction.vocab import alternation
from schemas.document import Word

NUMERIC_ROLES: frozenset[Role] = frozenset({"qty", "price", "basis", "net", "tax", "gross", "allow"})

_TOTALS = re.compile(f"^(?:{alternation('table_end')})", re.IGNORECASE)
#: Document-level allowances/charges printed in the table ("REMISE : ... 5,00% sur 100,00 EUR").
DOCUMENT_ALLOWANCE = re.compile(
    r"^(remise|rabatt|nachlass|abschlag|zuschlag|skonto|discount|allowance|charge|frais|versand)\w*\s*:"
    r"|\d\s*%\s*(sur|von|of|on|auf)\s",
    re.IGNORECASE,
)
#: Points between two numbers that stand in different columns, not in one cell.
_COLUMN_APART = 40.0
_CARRY_OVER = re.compile(r"übertrag|carried forward|brought forward|report\b|à reporter", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    word: Word
    value: Decimal
    percent: bool
    role: Role


@dataclass(frozen=True)
class BodyLine:
    line: TextLine
    header: Header
    cells: tuple[Cell, ...]

    def roles(self) -> set[Role]:
        return {c.role for c in self.cells}

    def first(self, role: Role, *, percent: bool | None = False) -> Cell | None:
        for cell in self.cells:
            if cell.role == role and (percent is None or cell.percent == percent):
                return cell
        return None

    @property
    def is_anchor(self) -> bool:
        """A row's number line: an amount with a quantity or a price, or a quantity with a price."""
        roles = {c.role for c in self.cells if not c.percent}
        if DOCUMENT_ALLOWANCE.search(self.line.text):
            return False
        return ("net" in roles and bool(roles & {"qty", "price"})) or {"qty", "price"} <= roles


@dataclass
class Table:
    lines: list[BodyLine] = field(default_factory=list)
    #: Lines after the table (its totals block), where a printed subtotal may stand.
    after: list[TextLine] = field(default_factory=list)
    #: Where each group after a printed group subtotal starts (indexes into `lines`).
    section_starts: list[int] = field(default_factory=list)


def cells_of(line: TextLine, header: Header) -> tuple[Cell, ...]:
    """The line's numbers, each labelled with the role of the column it stands in."""
    cells: list[Cell] = []
    words = line.words
    for index, word in enumerate(words):
        parsed = cell_number(word.text)
        if parsed is None:
            continue
        value, percent = parsed
        if not percent and index + 1 < len(words) and words[index + 1].text == "%":
            percent = True
        cells.append(Cell(word, value, percent, header.role_of(word)))
    kept = [c for c in cells if c.role in NUMERIC_ROLES or c.role in {"pos", "other", "unit"}]
    return _rightmost_price_as_amount(kept)


def _rightmost_price_as_amount(cells: list[Cell]) -> tuple[Cell, ...]:
    """Two price columns and no amount column ("Unit Price ... Price"): the right one is the amount."""
    prices = [c for c in cells if c.role == "price" and not c.percent]
    if len(prices) < 2 or any(c.role == "net" for c in cells):
        return tuple(cells)
    last = prices[-1]
    if last.word.x0 - prices[-2].word.x1 < _COLUMN_APART or not DECIMAL_AMOUNT.match(last.word.text):
        return tuple(cells)
    return tuple(Cell(c.word, c.value, c.percent, "net") if c is last else c for c in cells)


def agrees(body: BodyLine) -> bool:
    """Whether the line's quantity times a price gives its amount (or its price is the amount)."""
    net = body.first("net")
    if net is None:
        return False
    prices = [c.value for c in body.cells if c.role == "price" and not c.percent]
    counts = [c.value for c in body.cells if c.role in {"qty", "pos", "other", "unit"} and not c.percent]
    tolerance = Decimal("0.011") + abs(net.value) * Decimal("0.0002")
    products = [p * q for p in prices for q in [*counts, Decimal(1)]]
    return any(abs(product - net.value) <= tolerance for product in products)


def find_tables(lines: list[TextLine]) -> list[Table]:
    """Every line-item table in the document, in reading order."""
    tables: list[Table] = []
    index = 0
    while (found := find_header(lines, index)) is not None:
        header, index = found
        table, index = _read_body(lines, index, header)
        tables.append(table)
    return tables


def _read_body(lines: list[TextLine], index: int, header: Header) -> tuple[Table, int]:
    table = Table()
    while index < len(lines):
        line = lines[index]
        if is_header(line) and not has_decimal_amount(line):
            repeated = find_header(lines, index)
            if repeated is not None:
                header, index = repeated
                continue
        body = BodyLine(line, header, cells_of(line, header))
        if _TOTALS.match(line.text.strip()) and not (body.is_anchor and agrees(body)):
            if _section_subtotal(table, body, lines[index + 1 : index + 4]):
                table.section_starts.append(len(table.lines))
                index += 1
                continue
            table.after = lines[index : index + 12]
            return table, index + 1
        if not _CARRY_OVER.search(line.text):
            table.lines.append(body)
        index += 1
    return table, index


def _section_subtotal(table: Table, body: BodyLine, following: list[TextLine]) -> bool:
    """A group's subtotal inside the table ("Summe Material: 1.224,90"), not the table's end.

    Its amount is the sum of the group's rows, and more rows whose numbers agree follow it on the
    same page, before any new table header.
    """
    amount = body.first("net")
    start = table.section_starts[-1] if table.section_starts else 0
    nets = [b.first("net") for b in table.lines[start:] if b.is_anchor]
    total = sum((c.value for c in nets if c is not None), Decimal(0))
    if amount is None or not nets or abs(total - amount.value) > Decimal("0.011"):
        return False
    for line in following:
        if line.page != body.line.page or is_header(line):
            return False  # a new page or a new table: this was the table's total
        later = BodyLine(line, body.header, cells_of(line, body.header))
        if later.is_anchor and agrees(later) and not _TOTALS.match(line.text.strip()):
            return True
    return False
