"""Minus signs Tesseract drops: a short dash just left of a number, at the height of its middle.

On scans of small print the hyphen of "-5,00" is two or three pixels of grey that Tesseract reads
as noise, and a credit note turns into an invoice. For each number without a sign, the strip of the
levelled image left of its ink is searched for a dash: the nearest ink there is a thin horizontal
stroke (at most a third of the digits' height, as wide as a quarter to one digit height), sits in
the middle band of the digits and stands alone (blank to its left). Then the word gets its `-`.
"""

from __future__ import annotations

import re

import numpy as np

_NUMBER = re.compile(r"^\d[\d.,']*$")
_DASHES = re.compile(r"^[\u2012\u2013\u2014\u2212~]\s?(?=\d)")


def normalise_sign(text: str) -> str:
    """An en dash, em dash, minus sign or tilde before a number read as the hyphen-minus."""
    return _DASHES.sub("-", text)


def has_dash_before(
    pixels: np.ndarray, box: tuple[int, int, int, int], floor: int = 0, *, starts_with_four: bool = False
) -> bool:
    """Whether a minus-like dash stands just left of the ink box (x0, top, x1, bottom) in `pixels` (grey),
    right of `floor` (the end of the word before it, whose own dashes are its own).

    Tesseract's box may already take in part of the dash it dropped, so the search reaches a little
    into the word; a column of the digit itself has ink above or below the middle band and never counts,
    except the crossbar of a 4 (`starts_with_four`): there the dash must begin well left of the box.
    """
    x0, top, _x1, bottom = box
    height = bottom - top
    if height < 6:
        return False
    left, right = max(0, floor, x0 - height), min(pixels.shape[1], x0 + height // 3)
    region = pixels[top:bottom, left:right].astype(np.float32)
    if region.shape[1] < 3:
        return False
    background = float(np.median(region))
    middle = region[int(0.35 * height) : int(0.8 * height) + 1].min(axis=0)
    outer = np.concatenate([region[: int(0.25 * height)], region[int(0.9 * height) :]]).min(axis=0)
    dark = middle < background - DASH_CONTRAST
    clean = outer > background - DASH_CONTRAST / 2
    run = _run_ending_nearest(np.flatnonzero(dark & clean))
    if run is None:
        return False
    start, end = run
    width = end - start + 1
    alone = start > 0 and not dark[start - 1] and (start < 2 or not dark[start - 2])
    outside = x0 - left - start  # columns of the run left of the box
    if outside < (0.25 * height if starts_with_four else 1):
        return False
    return bool(alone and end >= x0 - left - height // 2 and 0.25 * height <= width <= height)


#: How much darker than the paper the dash's middle must be (grey levels; a blurred 1-px dash on a
#: JPEG scan is 30-50 levels darker, JPEG noise rarely 20).
DASH_CONTRAST = 25.0


def _run_ending_nearest(columns: np.ndarray) -> tuple[int, int] | None:
    """The run of columns nearest the word (the right end); gaps of a pixel bridged."""
    if len(columns) == 0:
        return None
    end = start = int(columns[-1])
    for column in columns[::-1][1:]:
        if start - int(column) > 2:
            break
        start = int(column)
    return start, end


def is_unsigned_number(text: str) -> bool:
    return bool(_NUMBER.match(text))
