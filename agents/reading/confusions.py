"""Characters Tesseract reads as look-alikes: a VAT ID's country prefix, a number's thousands mark.

On a blurred scan `IE6364992H` comes back as `1E6364992H` or `1£6364992H`, and the extraction finds
no VAT ID. A word shaped like a VAT ID whose two-character prefix is not all letters is tried with the
look-alikes turned back into letters; the repaired word replaces it only when it is a VAT ID whose
check digits hold (python-stdnum), so the checksum proves the reading and nothing is invented. A
prefix of two digits is left alone: a plain number is never turned into a VAT ID.

The apostrophe that groups thousands in Swiss amounts (`2'250.00`) comes back as a degree sign or a
turned quote (`2°250.00`), and the amount parser then takes the digits after it for the number.
"""

from __future__ import annotations

import re

from stdnum.eu import vat as eu_vat

#: What each look-alike most likely is in a country code (capital letters).
LOOKALIKES = {"1": "I", "l": "I", "|": "I", "!": "I", "£": "E", "€": "E", "0": "O", "5": "S", "8": "B"}
_SHAPE = re.compile(r"^(\S\S)(\d[\dA-Z]{6,12})([.,;:]?)$")
#: A look-alike of the apostrophe (degree, ordinal, left quote, acute, grave) between a digit and
#: a group of exactly three digits.
_THOUSANDS = re.compile("(?<=\\d)[\u00b0\u00ba\u2018\u00b4`](?=\\d{3}(?!\\d))")


def repair_vat_prefix(text: str) -> str:
    """`text` with its country prefix's look-alikes made letters, when that makes a valid VAT ID."""
    match = _SHAPE.match(text)
    if match is None:
        return text
    prefix, body, tail = match.groups()
    if prefix.isdigit() or (prefix.isalpha() and prefix.isupper()):
        return text
    letters = "".join(LOOKALIKES.get(c, c) for c in prefix)
    if not (letters.isalpha() and letters.isupper()):
        return text
    return letters + body + tail if eu_vat.is_valid(letters + body) else text


def repair_thousands_mark(text: str) -> str:
    """`text` with look-alikes of the thousands apostrophe between digits made apostrophes."""
    return _THOUSANDS.sub("'", text)
