"""The words of one Tesseract reading, with boxes and confidences (`agents.reading.ocr` reads the page).

`words_of(api, pixels)` walks Tesseract's result word by word: each word is cleaned of table rules read
as `|`, `_` (or `!` beside a number), a lone `|` printed as a separator is kept, a number printed after a
dash keeps its minus sign, look-alike marks are repaired (`agents.reading.confusions`), and
`line_extents` gives every word its text line's full height, so boxes span the line as a text layer's
font boxes do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from agents.reading.confusions import repair_thousands_mark, repair_vat_prefix
from agents.reading.signs import has_dash_before, is_unsigned_number, normalise_sign

#: Table rules and underlines read as characters at a word's edges. `|`, `¦` and `_` never begin or
#: end a printed word, so they go from any; `!` ends sentences too, so it goes only beside a number.
_RULE = re.compile(r"^[|!¦_]+|[|!¦_]+$")
_BAR = re.compile(r"^[|¦_]+|[|¦_]+$")
#: A lone `|` is kept as printed text when its ink is at most this many times as tall as its neighbours'.
SEPARATOR = "|"
SEPARATOR_HEIGHT = 1.3


@dataclass(frozen=True)
class OcrWord:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    #: Tesseract's word confidence, 0-100.
    confidence: float
    #: Running number of the text line the word is on (reading order).
    line: int


def words_of(api: Any, pixels: np.ndarray) -> list[OcrWord]:
    from tesserocr import RIL, iterate_level

    words: list[OcrWord] = []
    inks: list[int] = []  # each word's own ink height, before it gets its line's
    rules: list[tuple[int, float]] = []  # line and x of every `|` read, cut from a word or alone
    iterator = api.GetIterator()
    if iterator is None:
        return words
    line_top = line_bottom = previous_end = 0
    line = -1
    for item in iterate_level(iterator, RIL.WORD):
        if item.IsAtBeginningOf(RIL.TEXTLINE):
            line += 1
            previous_end = 0
            line_box = item.BoundingBox(RIL.TEXTLINE)
            if line_box:
                line_top, line_bottom = line_box[1], line_box[3]
        raw = (item.GetUTF8Text(RIL.WORD) or "").strip()
        text = repair_thousands_mark(repair_vat_prefix(normalise_sign(clean(raw))))
        box = item.BoundingBox(RIL.WORD)
        if not box:
            continue
        rules.extend((line, x) for x in _rule_edges(raw, box))
        if not text:
            continue
        if is_unsigned_number(text) and has_dash_before(
            pixels, box, previous_end, starts_with_four=text.startswith("4")
        ):
            text = "-" + text
        x0, top, x1, bottom = box
        previous_end = x1 + 1
        inks.append(bottom - top)
        words.append(
            OcrWord(
                text=text,
                x0=float(x0),
                top=float(min(top, line_top)),
                x1=float(x1),
                bottom=float(max(bottom, line_bottom)),
                confidence=round(float(item.Confidence(RIL.WORD)), 1),
                line=line,
            )
        )
    return [w for i, w in enumerate(words) if w.text != SEPARATOR or _is_separator(words, inks, rules, i)]


def _is_separator(words: list[OcrWord], inks: list[int], rules: list[tuple[int, float]], index: int) -> bool:
    """A lone `|` between two words of its line, hardly taller than they are and with no `|` above or
    below it, was printed as a separator ("Muster GmbH | Lange Str. 2"); one at a line's end, a taller
    one, or one in a column of them (a table's rule, cut by its rows) is a rule."""
    if index == 0 or index + 1 == len(words):
        return False
    word, before, after = words[index], words[index - 1], words[index + 1]
    if before.line != word.line or after.line != word.line or SEPARATOR in (before.text, after.text):
        return False
    if inks[index] > SEPARATOR_HEIGHT * max(inks[index - 1], inks[index + 1]):
        return False
    centre, near = (word.x0 + word.x1) / 2, inks[index] / 2
    return not any(line != word.line and abs(x - centre) <= near for line, x in rules)


def _rule_edges(raw: str, box: tuple[int, int, int, int]) -> list[float]:
    """Where the `|`s Tesseract read at the edges of a word (or as all of it) stand."""
    x0, _, x1, _ = box
    if raw and not raw.strip("|¦"):
        return [(x0 + x1) / 2]
    return [x for x, edge in ((x0, raw[:1]), (x1, raw[-1:])) if edge and edge in "|¦"]


def line_extents(words: list[OcrWord]) -> list[OcrWord]:
    """Every word of a line gets the line's full height (the union of its line box and word boxes)."""
    tops: dict[int, float] = {}
    bottoms: dict[int, float] = {}
    for w in words:
        tops[w.line] = min(tops.get(w.line, w.top), w.top)
        bottoms[w.line] = max(bottoms.get(w.line, w.bottom), w.bottom)
    return [replace(w, top=tops[w.line], bottom=bottoms[w.line]) for w in words]


def clean(text: str) -> str:
    """The word without table rules read as `|`/`¦`/`_` at its edges (and `!` when the rest holds a
    digit); nothing when it is all rule, but a lone `|` (which `_is_separator` judges)."""
    text = text.strip()
    if text == SEPARATOR:
        return text
    stripped = _RULE.sub("", text)
    if not stripped or any(c.isdigit() for c in stripped):
        return stripped
    return _BAR.sub("", text)
