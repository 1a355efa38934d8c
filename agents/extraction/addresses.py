"""A party's postal address, read under (or beside) the line that names the party.

An address is found, never composed: a postal line (`10115 Berlin`, `1234 AB Delft`, `00-001 Warszawa`,
`Los Angeles, CA 90017`) among the few lines aligned under the name, or among the parts of a one-line
address (`Muster GmbH · Hauptstr. 1 · 10115 Berlin`), with the street printed just before it. The
value is "street, postcode, city" (the e-invoice order) and points at the words it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.extraction.layout import BBox, Layout, Segment
from agents.extraction.letterhead import POSTCODE

#: Lines under a name that may still belong to its address block (name, contact, street, postal line).
_DEPTH = 6
_EU_POSTAL = re.compile(rf"^(?P<code>{POSTCODE})\s+(?P<city>[^\d,|]{{2,40}}?)(?:,\s*[A-Z]{{2}})?$")
_US_POSTAL = re.compile(
    r"^(?P<city>[A-Za-z .'-]{2,30}),?\s+(?P<state>[A-Z]{2})\s+(?P<code>\d{5}(?:-\d{4})?)$"
)
_PARTS = re.compile(r"\s[|•·\u2022\u00b7\u2013-]\s|,\s?(?=\S)")
_STREET = re.compile(
    r"\d|stra(?:ß|ss)e|str\.|weg|gasse|platz|street|road|avenue|rue|via|calle|ul\.", re.IGNORECASE
)
_NOT_STREET = re.compile(
    r"@|www\.|https?:|(?<!\w)(?:tel|fax|phone|e-?mail|ust|vat|iban|bic|nip|dič|ič|siret|tva)(?!\w)",
    re.IGNORECASE,
)
#: A label left of an address line that still introduces the address ("Anschrift:", "Address:").
_ADDRESS_LABEL = re.compile(
    r"^(?:anschrift|adresse?|address|straße|strasse|street|rue|indirizzo|dirección|adres)\b", re.IGNORECASE
)
#: At most this many lines above the postal line make up the street part (street, building, floor).
_STREET_LINES = 3


@dataclass(frozen=True)
class Address:
    street: str | None
    postcode: str
    city: str
    page: int
    bbox: BBox

    @property
    def text(self) -> str:
        return ", ".join(p for p in (self.street, self.postcode, self.city) if p)


def address_near(layout: Layout, page: int, bbox: BBox) -> Address | None:
    """The address of the party named at `bbox`: on its own line, or in the lines aligned under it."""
    name = _segment_at(layout, page, bbox)
    if name is None:
        return None
    inline = _from_parts(name, name.text)
    if inline is not None:
        return inline
    above: list[Segment] = []
    for line in layout.lines[name.line + 1 : name.line + 1 + _DEPTH]:
        aligned = [s for s in line.segments if abs(s.bbox[0] - name.bbox[0]) < 4]
        if line.page != page or not aligned:
            continue
        segment = aligned[0]
        found = _from_parts(segment, segment.text) or _postal(
            segment, segment.text, _street_lines(layout, above)
        )
        if found is not None:
            return found
        above.append(segment)
    return None


def _street_lines(layout: Layout, above: list[Segment]) -> list[Segment]:
    """The lines just above the postal line that belong to the street part, top to bottom."""
    street: list[Segment] = []
    for segment in reversed(above[-_STREET_LINES:]):
        left = [s for s in layout.lines[segment.line].segments if s.bbox[2] <= segment.bbox[0]]
        labelled = bool(left) and not _ADDRESS_LABEL.match(left[-1].text)
        if labelled or _NOT_STREET.search(segment.text) or _match_postal(segment.text) is not None:
            break
        street.insert(0, segment)
    return street


def _segment_at(layout: Layout, page: int, bbox: BBox) -> Segment | None:
    for line in layout.lines:
        if line.page != page:
            continue
        for segment in line.segments:
            x0, top, x1, bottom = segment.bbox
            if x0 <= bbox[0] + 1 and bbox[2] - 1 <= x1 and top <= bbox[1] + 1 and bbox[3] - 1 <= bottom:
                return segment
    return None


def _from_parts(segment: Segment, text: str) -> Address | None:
    """A one-line address: "…, Hauptstr. 1, 10115 Berlin" (the street is the part before the postal part)."""
    parts = [p.strip() for p in _PARTS.split(text) if p.strip()]
    for i, part in enumerate(parts[1:], start=1):
        if (match := _match_postal(part)) is not None:
            street = parts[i - 1] if i >= 1 and _street_like(parts[i - 1]) else None
            if street is None and i < 2:
                return None
            return Address(street, match[0], match[1], segment.page, segment.bbox)
    return None


def _postal(segment: Segment, text: str, street: list[Segment]) -> Address | None:
    match = _match_postal(text.strip())
    if match is None:
        return None
    box = segment.bbox
    for part in street:
        box = _union(box, part.bbox)
    return Address(", ".join(s.text for s in street) or None, match[0], match[1], segment.page, box)


def _match_postal(text: str) -> tuple[str, str] | None:
    if (eu := _EU_POSTAL.match(text)) is not None:
        return eu["code"], eu["city"].strip()
    if (us := _US_POSTAL.match(text)) is not None:
        return us["code"], us["city"].strip()
    return None


def _street_like(text: str) -> bool:
    return bool(_STREET.search(text)) and not _NOT_STREET.search(text) and _match_postal(text) is None


def _union(a: BBox, b: BBox) -> BBox:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
