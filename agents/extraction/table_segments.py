"""A table body cut into rows: one number line (anchor) each, with the description lines that belong to it.

Layouts differ in where a multi-line description sits: most print it on the number line and below
(inline); some print it above the numbers. The table decides by majority: if most anchors carry
description text, a row runs from its anchor to the next; otherwise rows split halfway between
anchors.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from agents.extraction.table_lines import DECIMAL_AMOUNT
from agents.extraction.table_rows import DOCUMENT_ALLOWANCE, NUMERIC_ROLES, BodyLine, Table
from schemas.document import Word

#: Attribute lines under a description ("GTIN: ...", "Bruttopreis", "• Beschreibung:") end it.
_ATTRIBUTE = re.compile(
    r"^(•|gtin|ean|bruttopreis|nettopreis|anzahl|art[-.]?nr|weitere|liefer-?datum|lieferschein|zeitraum"
    r"|abrechnungszeitraum|bestell|période|periode|period\b|note\b|sku\b|lot\b|\(\w+\)|zähler"
    r"|warenempfänger|kostenstelle|enthält|rabatt|abzgl|zzgl)",
    re.IGNORECASE,
)
_PHRASE_GAP = 4.0
_CURRENCY = re.compile(r"^(?:[A-Z]{3}|[€$£]|zł|Kč)$")


@dataclass(frozen=True)
class Row:
    anchor: BodyLine
    lines: tuple[BodyLine, ...]  # the whole segment in order, anchor included
    description_words: tuple[Word, ...]

    @property
    def description(self) -> str | None:
        """The words joined; a line ending in a hyphen or slash runs on into the next."""
        text = ""
        for word in self.description_words:
            glue = "" if not text or (text[-1] in "-/" and text[-2:-1].isalpha()) else " "
            text += glue + word.text
        return text or None


def rows_of(table: Table) -> list[Row]:
    anchors = [i for i, line in enumerate(table.lines) if line.is_anchor]
    if not anchors and not any(line.roles() & {"qty", "price"} for line in table.lines):
        # A table that prints no quantity or price on any row: each described amount is an item.
        anchors = [i for i, line in enumerate(table.lines) if _amount_only(line)]
    if not anchors:
        return []
    inline = sum(bool(desc_words(table.lines[i])) for i in anchors) * 2 >= len(anchors)
    spans = _inline_spans(table, anchors) if inline else _above_spans(table, anchors)
    rows = []
    for anchor, (start, end) in zip(anchors, spans, strict=True):
        segment = tuple(table.lines[start:end])
        rows.append(Row(table.lines[anchor], segment, _description(segment, table.lines[anchor], inline)))
    return rows


def _amount_only(line: BodyLine) -> bool:
    """A line with a decimal amount in the amount column and description text beside it."""
    net = line.first("net")
    if net is None or not DECIMAL_AMOUNT.match(net.word.text.strip("€$£ ")):
        return False
    if DOCUMENT_ALLOWANCE.search(line.line.text):
        return False
    return bool(desc_words(line))


def _inline_spans(table: Table, anchors: list[int]) -> list[tuple[int, int]]:
    ends = [*anchors[1:], len(table.lines)]
    return list(zip(anchors, ends, strict=True))


def _above_spans(table: Table, anchors: list[int]) -> list[tuple[int, int]]:
    starts = [0]
    for previous, current in itertools.pairwise(anchors):
        starts.append(_split(table, previous, current))
    return list(zip(starts, [*starts[1:], len(table.lines)], strict=True))


def _split(table: Table, previous: int, current: int) -> int:
    """First line of the row anchored at `current`: past the midpoint between the two anchors."""
    upper, lower = table.lines[previous].line, table.lines[current].line
    for index in range(previous + 1, current):
        line = table.lines[index].line
        if line.page != upper.page or line.top >= (upper.top + lower.top) / 2:
            return index
    return current


def desc_words(line: BodyLine) -> tuple[Word, ...]:
    """The line's words in the description column (numbers standing in a number column excluded).

    Words are taken phrase by phrase, so "Art-Nr-Kunde: 4711" beside the column stays out of it
    while a centred description that starts left of its header stays in.
    """
    span = line.header.desc_span()
    if span is None:
        return ()
    left, right = span
    chosen: list[Word] = []
    for phrase in _phrases(line):
        if len(phrase) == 1 and _CURRENCY.match(phrase[0].text):
            continue  # "USD" printed before the amount
        if (phrase[0].x0 + phrase[-1].x1) / 2 >= left and phrase[0].x0 < right - 0.5:
            chosen.extend(w for w in phrase if w.x0 < right - 0.5 or not line.is_anchor)
    return tuple(w for w in chosen if not _position_number(w, left))


def _position_number(word: Word, left: float) -> bool:
    """A bare running number printed just left of the description column."""
    return word.text.isdigit() and word.x0 < left


def _phrases(line: BodyLine) -> list[list[Word]]:
    """Runs of close words, broken at every number that stands in a number column (on a number line)."""
    numeric = {id(c.word) for c in line.cells if c.role in NUMERIC_ROLES or c.role == "pos"}
    if not line.is_anchor:
        # Off a number line only printed amounts in an amount column are no description words.
        numeric = {
            id(c.word) for c in line.cells if c.role in {"net", "price"} and DECIMAL_AMOUNT.match(c.word.text)
        }
    phrases: list[list[Word]] = []
    previous: Word | None = None
    for word in line.line.words:
        if id(word) in numeric:
            previous = None
            continue
        if previous is not None and word.x0 - previous.x1 <= _PHRASE_GAP:
            phrases[-1].append(word)
        else:
            phrases.append([word])
        previous = word
    return phrases


def _description(segment: tuple[BodyLine, ...], anchor: BodyLine, inline: bool) -> tuple[Word, ...]:
    start = segment.index(anchor) if inline else 0
    chosen: list[Word] = []
    last_bottom: float | None = None
    for line in segment[start:]:
        if line.line.page != anchor.line.page:
            break  # what follows a page break is the next page's letterhead, not this item
        words = desc_words(line)
        if not words:
            continue
        if chosen and _ends_description(words, line, last_bottom):
            break
        chosen.extend(words)
        last_bottom = line.line.bottom
    return tuple(chosen)


def _ends_description(words: tuple[Word, ...], line: BodyLine, last_bottom: float | None) -> bool:
    text = " ".join(w.text for w in words)
    if _ATTRIBUTE.match(text) or any(w.text.endswith(":") for w in words[:2]):
        return True
    height = line.line.bottom - line.line.top
    return last_bottom is not None and line.line.top - last_bottom > 1.6 * height
