"""Only text a reader can see counts: hidden characters are taken off the page before anything reads it.

A character is hidden when it is drawn in a mode that paints nothing (see `render_modes`), smaller
than `MIN_SIZE`, outside the crop box, in the colour of what lies under it, or covered by an opaque
shape or image drawn after it. What lies under a character is the last filled shape drawn before it
that contains its centre (else the white paper); text over an image is never judged by colour, since
the image's colour there is unknown. Fake bold (the same glyph drawn two or three times at nearly
the same place) reads once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTItem
from pdfplumber.page import Page as PlumberPage
from pdfplumber.utils.text import extract_words

from agents.reading.render_modes import Box
from schemas.document import Page
from schemas.finding import Finding, FindingCode

HiddenReason = Literal["invisible", "tiny", "off_page", "background_colour", "covered"]

#: Glyphs smaller than this (in points) nobody reads on paper; footnotes start around 5 pt.
MIN_SIZE = 3.0
#: Colours closer than this (largest RGB channel difference, 0..1) look the same.
SAME_COLOUR = 0.1
#: How far (in points) a character may stick out of the crop box, a cover out of a character.
EDGE = 1.0
#: Copies of a glyph this close (in points) are one glyph drawn again (fake bold).
SAME_PLACE = 1.0

Colour = tuple[float, float, float]
WHITE: Colour = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class HiddenWord:
    text: str
    reason: HiddenReason
    box: Box


@dataclass
class Visibility:
    """The page as a reader sees it, and the words that were taken off it."""

    page: PlumberPage
    hidden: list[HiddenWord] = field(default_factory=list)


@dataclass(frozen=True)
class _Shape:
    """A painted area in pdfminer's coordinates (bottom-left origin): its order, box and fill."""

    order: int
    box: Box
    colour: Colour | None  # None: an image, or a colour we cannot tell
    opaque: bool


def visible_page(page: PlumberPage, invisible: Sequence[Box] = ()) -> Visibility:
    """`page` without hidden, duplicated and format-only characters; `invisible` from `RenderModes`."""
    chars: list[dict[str, Any]] = page.chars
    reasons = _hidden_chars(page, chars, invisible)
    shown = [c for i, c in enumerate(chars) if i not in reasons]
    # Copies are looked for among the visible only: a white shadow under a black glyph keeps the glyph.
    dropped = {id(chars[i]) for i in reasons} | {id(c) for c in _duplicates(shown) + _format_only(chars)}
    visible = page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in dropped)
    return Visibility(visible, _hidden_words(chars, reasons))


def strip_format(text: str) -> str:
    """`text` without Unicode format characters (zero-width spaces and joiners, BOM, soft hyphen, bidi)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _hidden_chars(
    page: PlumberPage, chars: list[dict[str, Any]], invisible: Sequence[Box]
) -> dict[int, HiddenReason]:
    reasons: dict[int, HiddenReason] = {}
    ordered = list(_drawing_order(page.layout))
    lt_chars = [(order, item) for order, item in ordered if isinstance(item, LTChar)]
    if len(lt_chars) != len(chars):  # pdfplumber saw other characters than the layout: judge no further
        return reasons
    shapes = _ShapeIndex([_shape(order, item) for order, item in ordered if not isinstance(item, LTChar)])
    for index, ((order, lt_char), char) in enumerate(zip(lt_chars, chars, strict=True)):
        reason = _reason(page, char, lt_char, order, shapes, invisible)
        if reason is not None and char["text"].strip():
            reasons[index] = reason
    return reasons


def _reason(
    page: PlumberPage,
    char: dict[str, Any],
    lt_char: LTChar,
    order: int,
    shapes: _ShapeIndex,
    invisible: Sequence[Box],
) -> HiddenReason | None:
    box = (lt_char.x0, lt_char.y0, lt_char.x1, lt_char.y1)
    before, after = shapes.at((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, order)
    # Invisible text over an image is the text layer of a scan that was OCRed: it says what the image shows.
    if any(_centre_in(char, b) for b in invisible) and not any(s.colour is None for s in before):
        return "invisible"
    if _size(char) < MIN_SIZE:
        return "tiny"
    if not _inside(_plumber_box(char), page.cropbox):
        return "off_page"
    if any(s.opaque and _inside(box, s.box) for s in after):
        return "covered"
    colour = _colour(char["non_stroking_color"], char.get("ncs"))
    # What lies under a character is the last shape painted before it there, else the white paper.
    under = before[-1].colour if before else WHITE
    if colour is not None and under is not None and _same(colour, under):
        return "background_colour"
    return None


def _drawing_order(items: Iterable[LTItem]) -> Iterator[tuple[int, LTItem]]:
    """Characters, filled shapes and images in the order they are painted (form XObjects opened)."""
    order = 0
    stack = [iter(items)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, LTContainer) and not isinstance(item, LTChar):
            stack.append(iter(item))
        elif isinstance(item, LTChar | LTImage) or (isinstance(item, LTCurve) and item.fill):
            order += 1
            yield order, item


class _ShapeIndex:
    """Painted areas by horizontal band, so a character meets only the shapes near it.

    Shapes thinner than `MIN_SIDE` (rules, borders) are left out: they can neither hide a legible
    character nor be the background it stands on.
    """

    BAND = 50.0
    MIN_SIDE = 1.0

    def __init__(self, shapes: list[_Shape]) -> None:
        self._bands: dict[int, list[_Shape]] = {}
        for shape in shapes:
            x0, y0, x1, y1 = shape.box
            if x1 - x0 < self.MIN_SIDE or y1 - y0 < self.MIN_SIDE:
                continue
            for band in range(int(y0 // self.BAND), int(y1 // self.BAND) + 1):
                self._bands.setdefault(band, []).append(shape)

    def at(self, x: float, y: float, order: int) -> tuple[list[_Shape], list[_Shape]]:
        """Shapes containing the point, painted before and after `order`, each in painting order."""
        here = [
            s
            for s in self._bands.get(int(y // self.BAND), [])
            if s.box[0] <= x <= s.box[2] and s.box[1] <= y <= s.box[3]
        ]
        return [s for s in here if s.order < order], [s for s in here if s.order > order]


def _size(char: dict[str, Any]) -> float:
    # pdfminer's size is the box height, which for turned text is the advance of the glyph.
    return float(char["size"]) if char["upright"] else max(float(char["width"]), float(char["height"]))


def _shape(order: int, item: LTItem) -> _Shape:
    assert isinstance(item, LTImage | LTCurve)
    box = (item.x0, item.y0, item.x1, item.y1)
    if isinstance(item, LTImage):
        return _Shape(order, box, None, opaque=not _masked(item))
    colour = item.non_stroking_color
    return _Shape(order, box, _colour(colour if isinstance(colour, tuple) else (colour,), None), opaque=True)


def _masked(image: LTImage) -> bool:
    """An image with a soft mask or a stencil lets what lies under it show through."""
    attrs: dict[str, object] = getattr(image.stream, "attrs", {})
    return any(key in attrs for key in ("SMask", "Mask", "ImageMask", "SMaskInData"))


def _colour(value: Any, space: str | None) -> Colour | None:
    """RGB in 0..1 from a gray, RGB or CMYK colour; None for patterns and the unknown."""
    if not isinstance(value, tuple) or not all(isinstance(v, int | float) for v in value):
        return None
    components = [min(max(float(v), 0.0), 1.0) for v in value]
    if len(components) == 1:
        # A separation colour is a tint of ink: 0 is no ink at all (the paper), unlike DeviceGray.
        gray = 1.0 - components[0] if space and "Separation" in space else components[0]
        return gray, gray, gray
    if len(components) == 3:
        return components[0], components[1], components[2]
    if len(components) == 4:
        c, m, y, k = components
        return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    return None


def _same(a: Colour, b: Colour) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) < SAME_COLOUR


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0] - EDGE
        and inner[1] >= outer[1] - EDGE
        and inner[2] <= outer[2] + EDGE
        and inner[3] <= outer[3] + EDGE
    )


def _centre_in(char: dict[str, Any], box: Box) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x0, top, x1, bottom = _plumber_box(char)
    return x0 - EDGE <= x <= x1 + EDGE and top - EDGE <= y <= bottom + EDGE


def _plumber_box(char: dict[str, Any]) -> Box:
    return float(char["x0"]), float(char["top"]), float(char["x1"]), float(char["bottom"])


def _duplicates(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Later copies of a glyph drawn again at (nearly) the same place: fake bold, shadows."""
    seen: dict[tuple[str, bool, int, int], list[dict[str, Any]]] = {}
    copies = []
    for char in chars:
        x, y = int(char["x0"]), int(char["top"])
        near = [
            kept
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for kept in seen.get((char["text"], char["upright"], x + dx, y + dy), [])
            if abs(kept["x0"] - char["x0"]) <= SAME_PLACE and abs(kept["top"] - char["top"]) <= SAME_PLACE
        ]
        if near and char["text"].strip():
            copies.append(char)
        else:
            seen.setdefault((char["text"], char["upright"], x, y), []).append(char)
    return copies


def _format_only(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in chars if c["text"] and not strip_format(c["text"])]


def _hidden_words(chars: list[dict[str, Any]], reasons: dict[int, HiddenReason]) -> list[HiddenWord]:
    by_reason: dict[HiddenReason, list[dict[str, Any]]] = {}
    for index, reason in reasons.items():
        by_reason.setdefault(reason, []).append(chars[index])
    hidden = []
    for reason, group in by_reason.items():
        for word in extract_words(group, x_tolerance=1.5):
            text = strip_format(word["text"]).strip()
            if text:
                hidden.append(HiddenWord(text, reason, (word["x0"], word["top"], word["x1"], word["bottom"])))
    return hidden


#: Hidden words that could carry payment data: three digits or more (an IBAN, amount, date or number).
_MATTERS = re.compile(r"(?:\D*\d){3}")
#: Hidden words named in a finding at most; the reviewer sees the rest on the page.
_NAMED = 5


def hidden_text_finding(pages: Sequence[Page]) -> Finding | None:
    """A `text.hidden` warning when hidden text could have decided payment data, else None.

    Hidden words without such digits (a generator's invisible "Powered by" tag, a page number under a
    banner) are dropped all the same, but are no reason for a person to look.
    """
    hidden = [(page.number, h) for page in pages for h in page.hidden if _MATTERS.match(h.text)]
    if not hidden:
        return None
    named = "; ".join(
        f"„{h.text[:40]}“ ({_REASONS[h.reason]}, page {number} at {h.x0:.0f},{h.top:.0f})"
        for number, h in hidden[:_NAMED]
    )
    more = f" and {len(hidden) - _NAMED} more" if len(hidden) > _NAMED else ""
    return Finding.of(
        FindingCode.TEXT_HIDDEN,
        "warning",
        f"The PDF hides text a reader cannot see; it was not read: {named}{more}.",
    )


_REASONS: dict[str, str] = {
    "invisible": "invisible rendering mode",
    "tiny": "too small to read",
    "off_page": "outside the page",
    "background_colour": "in the colour of its background",
    "covered": "covered by a shape",
}
