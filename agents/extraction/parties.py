"""Seller and buyer blocks: which lines belong to which party, and the names, VAT IDs and countries in them.

A party block opens with a header ("Verkäufer", "Rechnungsempfänger", "Adresse du Client", ...) and
runs down its column until the next header or a wide vertical gap. Identifiers outside any block go
to the seller unless the words beside them say otherwise ("Ihre USt-IdNr."): the issuer prints its
own IDs in letterhead and footer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from agents.extraction.candidates import Sighting
from agents.extraction.identifiers import Found
from agents.extraction.labels import BUYER_HINT, PARTY_HEADERS
from agents.extraction.layout import Layout, Segment
from agents.extraction.letterhead import address_window, letterhead, sender_line, window_block
from agents.extraction.vocab import COUNTRIES, alternation, compiled

Role = Literal["seller", "buyer"]

_ZONE_LINES = 12
_ZONE_GAP = 30.0
#: "Name:", "Nazwa:", "Raison sociale:" inside a party block: the value is the party's name.
_NAME_LABEL = compiled("name_labels", r"^{}\s*:\s*")
_NOT_A_NAME = re.compile(
    r"^(?:nummer|number|gln|tel|fax|e-?mail|@|contact|kontakt|id\b|siren|siret|ust|vat|tva|steuer|"
    r"anschrift|adresse|www|http|logo|seite|page|herrn?$|frau$|m\.|mme)|^[\d\W]|^[^:]{0,25}:|"
    r"\b(?:contact|kontakt|ansprechpartner|attn|z\.\s?hd)|"
    r"\b(?:capital|rcs|siret|handelsreg|registergericht|amtsgericht|hrb|geschäftsführ|vorstand|director)|"
    r"\b(?:kreditinstitut|bankverbindung|bank\s*:|geldinstitut)|"
    r"\b\d{4,5}\s+[A-ZÄÖÜ]|[A-Z]{2}\d{8,}",
    re.IGNORECASE,
)
#: Legal forms, case-sensitive: "Sa 8.00-14.00 Uhr" (Saturday) is no société anonyme.
_COMPANY = re.compile(
    r"\b(?:GmbH|GMBH|mbH|AG|KG|OHG|UG|e\.\s?K\.|GbR|SE|SARL|SAS|SA|EURL|SASU|Ltd|LTD|Limited|Inc|INC|LLC|"
    r"PLC|plc|Corp|Corporation|CORPORATION|a\.\s?G\.|BV|NV|SRL|SpA|S\.A\.)(?![\w])\.?"
)
_POSTAL = re.compile(r"(?:^|\s)(?:[A-Z]{2}[\s-])?\d{4,5}\s+[A-ZÄÖÜa-zäöü]")
#: "Steuernummer: 201/113/40209" - a keyed line that still belongs to the block after its address.
_KEY_VALUE = re.compile(r"^[\w.\- ]{2,30}:")
_CODES = "DE|FR|AT|CH|BE|NL|IT|LU|ES|PL|CZ|DK|SE|GB|IE|PT"
_POSTAL_COUNTRY = re.compile(rf"(?:^({_CODES})[\s-]+\d{{4,5}}\b|\d{{4,5}}\s.+,\s*({_CODES})$)")


@dataclass(frozen=True)
class Zone:
    role: Role
    segments: tuple[Segment, ...]  # header first


def party_zones(layout: Layout) -> list[Zone]:
    """Every party block on the page, in reading order."""
    headers = [(s, role) for s in layout.segments() for role in _roles(s.text)]
    zones: list[Zone] = []
    for header, role in headers:
        left, right = header.bbox[0] - 40, _column_end(layout, header)
        members, bottom = [header], header.bbox[3]
        for line in layout.lines[header.line + 1 : header.line + 1 + _ZONE_LINES]:
            column = [s for s in line.segments if left <= s.bbox[0] < right]
            if line.page != header.page or (column and column[0].bbox[1] - bottom > _ZONE_GAP):
                break
            if not column:
                continue
            if _roles(column[0].text) or (_past_address(members) and not _KEY_VALUE.match(column[0].text)):
                break
            members.extend(column)
            bottom = column[0].bbox[3]
        zones.append(Zone(role, tuple(members)))
    return zones


def _past_address(members: list[Segment]) -> bool:
    """True once the block's postal-code line, and the country line after it, are behind us."""
    for i, member in enumerate(members):
        if _POSTAL.search(member.text):
            return i + 1 < len(members) or country_in(member.text) is not None
    return False


def _column_end(layout: Layout, header: Segment) -> float:
    """Where the next column starts on the header's line (a block beside this one), else the page edge."""
    after = [s.bbox[0] for s in layout.lines[header.line].segments if s.bbox[0] > header.bbox[2]]
    return min(after) - 5 if after else float("inf")


def role_of(found: Found, zones: list[Zone]) -> Role | None:
    """The party an identifier belongs to, from the words beside it or the block it sits in."""
    if BUYER_HINT.search(found.context):
        return "buyer"
    for zone in zones:
        if any(s.line == found.line and s.bbox[0] <= found.bbox[0] <= s.bbox[2] for s in zone.segments):
            return zone.role
    return None


def name_candidates(layout: Layout, zones: list[Zone], role: Role) -> list[Sighting]:
    """Lines that may name the party, strongest first, one per distinct text."""
    found: list[Sighting] = []
    for zone in (z for z in zones if z.role == role):
        found.extend(_zone_names(layout, zone))
    if role == "seller":
        window = {s.line for s in window_block(layout)}
        found.extend(_company_lines(layout, zones, window))
        found.extend(
            _name(s, text, "rule:letterhead", w)
            for s, text, w in letterhead(layout)
            if _name_like(text) and s.line not in window
        )
        found.extend(_name(s, text, "rule:sender_line", w) for s, text, w in sender_line(layout))
    elif not found:
        found.extend(
            _name(s, text, "rule:address_window", w)
            for s, text, w in address_window(layout)
            if _name_like(text)
        )
    unique: dict[str, Sighting] = {}
    for cand in sorted(found, key=lambda c: -c.strength):
        unique.setdefault(_fold(cand.text), cand)
    return list(unique.values())


def zone_country(zones: list[Zone], role: Role) -> str | None:
    """The country an address line in the party's block names ("DE 80333 München", "75018 PARIS, FR")."""
    for zone in (z for z in zones if z.role == role):
        for segment in zone.segments[1:]:
            if code := country_in(segment.text):
                return code
    return None


def country_in(text: str) -> str | None:
    stripped = text.strip()
    if match := _POSTAL_COUNTRY.search(stripped):
        return match.group(1) or match.group(2)
    return COUNTRIES.get(stripped.casefold().rstrip("."))


def _zone_names(layout: Layout, zone: Zone) -> list[Sighting]:
    header = zone.segments[0]
    found: list[Sighting] = []
    rest = _PARTY_REST.sub("", header.text).strip(" :")
    lines = ([header] if rest and not _NOT_A_NAME.search(rest) else []) + list(zone.segments[1:])
    beside = _right_of(layout, header)
    if not rest and beside is not None and beside.bbox[0] - header.bbox[2] < 60 and _name_like(beside.text):
        # "Bill To:   MyName MyLastName": the value stands beside its header, not under it.
        found.append(_name(beside, beside.text, f"beside:{header.text[:30]}", 0.8))
    for rank, segment in enumerate(lines):
        text = segment.text if segment is not header else rest
        labelled = _NAME_LABEL.match(text)
        if labelled:
            value, where = text[labelled.end() :], segment
            if not value.strip() and (right := _right_of(layout, segment)) is not None:
                value, where = right.text, right
            if value.strip():
                value = _wrapped_above(layout, where) + value + _continuation(layout, where)
                found.append(_name(where, value, "label:Name", 1.0))
        elif not _NOT_A_NAME.search(text) and rank < 3:
            bonus = 0.15 if _COMPANY.search(text) else 0.0
            found.append(_name(segment, text, f"block:{header.text[:30]}", 0.7 - 0.15 * rank + bonus))
    return found


def _continuation(layout: Layout, value: Segment) -> str:
    """A labelled name may wrap: the next line, aligned with the value and carrying no label, continues it."""
    lines = layout.lines[value.line + 1 : value.line + 2]
    for line in lines:
        first = line.segments[0]
        aligned = abs(first.bbox[0] - value.bbox[0]) < 3 and first.bbox[1] - value.bbox[3] < 8
        if (
            line.page == value.page
            and aligned
            and not _KEY_VALUE.match(first.text)
            and not _POSTAL.search(first.text)
        ):
            return " " + first.text
    return ""


def _wrapped_above(layout: Layout, value: Segment) -> str:
    """A two-line value beside a vertically centred label starts on the line above, alone and aligned."""
    if value.line == 0:
        return ""
    above = layout.lines[value.line - 1]
    (first, *others) = above.segments
    aligned = abs(first.bbox[0] - value.bbox[0]) < 3 and value.bbox[1] - first.bbox[3] < 8
    if above.page == value.page and aligned and not others and not _KEY_VALUE.match(first.text):
        return first.text + " "
    return ""


def _right_of(layout: Layout, segment: Segment) -> Segment | None:
    after = [s for s in layout.lines[segment.line].segments if s.bbox[0] > segment.bbox[2]]
    return after[0] if after else None


def _company_lines(layout: Layout, zones: list[Zone], window: set[int]) -> list[Sighting]:
    """Lines with a legal form (GmbH, SARL, Ltd) outside buyer blocks and the address window."""
    buyer = {(s.line, s.bbox) for z in zones if z.role == "buyer" for s in z.segments}
    found: list[Sighting] = []
    for segment in layout.segments():
        if (segment.line, segment.bbox) in buyer or segment.line in window:
            continue
        if segment.page != 1 or not _COMPANY.search(segment.text):
            continue
        text = _before_separator(segment.text)
        if len(text) <= 60 and not _NOT_A_NAME.search(text):
            found.append(_name(segment, text, "rule:legal_form", 0.45))
    return found[:4]


def _before_separator(text: str) -> str:
    """The name before the first separator; a comma before a legal form ("Example, LLC") is no separator."""
    return re.split(r"\s[●•|·\u2013-]\s|,\s(?!(?:LLC|Inc|Ltd|GmbH|AG|SA|SAS|SARL|BV|NV)\b)", text)[0].strip()


def _name(segment: Segment, text: str, source: str, strength: float) -> Sighting:
    # A salutation printed on the name's own line is dropped; one on a line above stays (the e-invoice
    # convention joins "Herrn" and the name).
    name = text.strip()
    if name == segment.text.strip():
        name = _SALUTATION.sub("", name) or name
    return Sighting(
        text=name, page=segment.page, bbox=segment.bbox, source=source, strength=strength, line=segment.line
    )


#: A salutation in front of a name is not part of it ("Monsieur Chloé TEST", "Herrn Max Muster").
_SALUTATION = re.compile(
    r"^(?:herrn?|frau|firma|monsieur|madame|mr\.?|mrs\.?|ms\.?|pan|pani|sig\.(?:ra)?|dhr\.?|mevr\.?)\s+(?=\S)",
    re.IGNORECASE,
)


#: A block header and what may follow it on its segment ("Kunde / Name", "Bill to:"), stripped to find a name.
_PARTY_REST = re.compile(
    rf"^(?:{alternation('seller_headers')}|{alternation('buyer_headers')})(?:\s*/\s*\w+)?"
    r"\s*(?:trade\s+name|name|/\s*company|/\s*firma)?",
    re.IGNORECASE,
)


def _name_like(text: str) -> bool:
    return not _NOT_A_NAME.search(text) and not _roles(text)


def _roles(text: str) -> list[Role]:
    roles: list[Role] = ["seller", "buyer"]
    return [role for role in roles if PARTY_HEADERS[role].search(text.strip())]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())
