"""Identifiers found by shape and checksum, not by label: IBANs and VAT IDs.

An IBAN counts when its ISO 7064 checksum holds (schwifty). One that fails only its check digits but has
its country's length and account format counts right after an IBAN label, marked as failing, so that
validation names the fault (`identifiers.iban_invalid`) instead of the invoice losing its account.
VAT IDs of the sample world are often fictitious, so a VAT ID whose only fault is its check digit is
kept, but ranked below one that validates fully (python-stdnum).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schwifty import IBAN
from schwifty.domain import IBANSpec
from schwifty.exceptions import SchwiftyException
from stdnum.ch import uid as ch_uid
from stdnum.ch import vat as ch_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError

from agents.extraction.labels import VAT_LABEL
from agents.extraction.layout import BBox, Layout, Segment

#: Groups may be split by spaces or dots ("NL67 RABO 0171.218.302"), the country by a space ("DE 02…").
#: One check digit may be a letter OCR takes for it ("DEO2"), which `_iban_read_as_printed` corrects.
_IBAN = re.compile(
    r"\b([A-Z]{2}[ \u00a0]?(?:\d{2}|\d[OQDILSZBG]|[OQDILSZBG]\d)(?:[ \u00a0.]?[A-Z0-9]{1,4}){3,8})\b"
)
#: What OCR reads for a digit where the account format wants one, and for a letter where it wants one.
_AS_DIGIT = str.maketrans("OQDILSZBG", "000115286")
_AS_LETTER = str.maketrans("0125683", "OIZSGBB")
_BBAN_PART = re.compile(r"(\d+)!?([nac])")
_IBAN_LABEL = re.compile(r"\bIBAN\b[^A-Z0-9]{0,6}$", re.IGNORECASE)
#: Labels of national VAT numbers printed without a country prefix (PL NIP, IT P.IVA, CZ DIČ, ES CIF/NIF).
_NATIONAL_LABEL = re.compile(
    r"(?<!\w)(?:nip|p\.?\s*iva|partita\s+iva|dič|cif|nif|uid|mwst\.?\s*-?\s*nr\.?|btw(?:\s*-?\s*(?:nummer|nr\.?))?)"
    r"\s*[:.]?\s*",
    re.IGNORECASE,
)
_NATIONAL_VAT = re.compile(r"^\s*([A-Z]{0,3}[- ]?\d[\d .-]{6,16}[\dA-Z](?:\s?(?:TVA|MWST|IVA))?)(?![\w/])")
_NATIONAL_DIGITS = 8
_LOOSE_VAT = re.compile(r"^(?:[A-Z]{2}|ATU)\d{8,12}$")
#: A lookahead, so that a failed start ("ID" in "USt.-ID ATU54249503") does not hide the real one.
#: Swiss numbers first: their suffix ("CHE-123.456.789 MWST") is longer than the general shape allows.
_VAT = re.compile(
    r"(?<![A-Z0-9])(?=(CHE-?\d{3}\.?\d{3}\.?\d{3}(?:\s?(?:MWST|TVA|IVA))?"
    r"|(?:ATU|[A-Z]{2})[ \u00a0]?[0-9A-Z](?:[ \u00a0.]?[0-9A-Z]){7,12})(?![A-Z0-9]))"
)


@dataclass(frozen=True)
class Found:
    value: str
    page: int
    bbox: BBox
    line: int
    #: The text of the segment and of the one before it on its line, for role hints.
    context: str
    checksum_ok: bool


def find_ibans(layout: Layout) -> list[Found]:
    """Every IBAN in reading order, once each: valid ones, and labelled ones failing their check digits."""
    found: dict[str, Found] = {}
    for segment in layout.segments():
        for match in _IBAN.finditer(segment.text.upper()):
            value = _iban(match.group(1)) or _iban_read_as_printed(match.group(1))
            valid = value is not None
            before = _left_text(layout, segment) + " " + segment.text[: match.start(1)]
            if not valid and _IBAN_LABEL.search(before):
                value = _iban_failing_check(match.group(1))
            if value and value not in found:
                found[value] = _found(layout, segment, match, value, checksum_ok=valid)
    return list(found.values())


def find_vat_ids(layout: Layout) -> list[Found]:
    """Every VAT ID of a valid format in reading order (repeated ones too, for their context)."""
    found: list[Found] = []
    for segment in layout.segments():
        taken = -1
        for match in _VAT.finditer(segment.text):
            if match.start(1) < taken:
                continue
            before = _left_text(layout, segment) + " " + segment.text[: match.start(1)]
            verdict = _vat_prefix(match.group(1), before)
            if verdict is not None and not _is_iban(match, segment.text):
                value, checksum_ok, length = verdict
                found.append(_found(layout, segment, match, value, checksum_ok=checksum_ok, length=length))
                taken = match.start(1) + length
        if not any(f.line == segment.line and f.bbox[0] >= segment.bbox[0] for f in found):
            found.extend(_national_vat(layout, segment))
    return found


def _national_vat(layout: Layout, segment: Segment) -> list[Found]:
    """A national VAT number without country prefix after a VAT label ("NIP: 7712829632", "P.IVA 0123…")."""
    label = _NATIONAL_LABEL.search(segment.text)
    if label is None:
        return []
    rest = segment.text[label.end() :]
    target, offset = segment, label.end()
    if not rest.strip(" :.") and (right := _right_segment(layout, segment)) is not None:
        target, rest, offset = right, right.text, 0
    match = _NATIONAL_VAT.match(rest)
    if match is None:
        return []
    value = re.sub(r"\s", "", match.group(1))
    if sum(c.isdigit() for c in value) < _NATIONAL_DIGITS:
        return []
    start = offset + match.start(1)
    bbox = target.span_bbox(start, start + len(match.group(1)))
    context = segment.text[: label.end()]
    return [Found(value, target.page, bbox, target.line, context, checksum_ok=False)]


def _right_segment(layout: Layout, segment: Segment) -> Segment | None:
    after = [s for s in layout.lines[segment.line].segments if s.bbox[0] > segment.bbox[2]]
    return after[0] if after else None


def _iban(raw: str) -> str | None:
    compact = re.sub(r"[\s.]", "", raw)
    # The regex may swallow a following word group; try the longest valid prefix.
    for end in range(len(compact), 14, -1):
        try:
            return str(IBAN(compact[:end]).compact)
        except (SchwiftyException, ValueError):
            continue
    return None


def _iban_read_as_printed(raw: str) -> str | None:
    """The IBAN whose checksum holds once look-alike characters are read as what its country's format
    wants at their place ("IT16 0 03069…" → "IT16O03069…" where a letter stands, "RAB0" → "RABO",
    "DEO2" → "DE02"): OCR confuses them; the ISO 7064 checksum decides, as for any IBAN."""
    formatted = _in_country_format(raw)
    if formatted is None:
        return None
    try:
        return str(IBAN(formatted[0]).compact)
    except (SchwiftyException, ValueError):
        return None


def _iban_failing_check(raw: str) -> str | None:
    """The prefix of the country's IBAN length whose account part has the country's format (look-alikes
    read as that format wants), if any."""
    formatted = _in_country_format(raw)
    if formatted is None:
        return None
    value, spec = formatted
    return value if value[2:4].isdigit() and spec.regex.match(value[4:]) else None


def _in_country_format(raw: str) -> tuple[str, IBANSpec] | None:
    """The country's IBAN length of `raw`, each look-alike read as a digit or letter where the country's
    format wants one, and that format; None for an unknown country or a run too short."""
    compact = re.sub(r"[\s.]", "", raw)
    try:
        spec = IBAN(compact, allow_invalid=True).spec
    except (SchwiftyException, ValueError, KeyError):
        return None
    value = compact[: spec.iban_length]
    kinds = "nn" + "".join(kind * int(count) for count, kind in _BBAN_PART.findall(spec.bban_spec))
    if len(value) != spec.iban_length or len(kinds) != len(value) - 2:
        return None
    table = {"n": _AS_DIGIT, "a": _AS_LETTER}
    read = (c.translate(table[k]) if k in table else c for c, k in zip(value[2:], kinds, strict=True))
    return value[:2] + "".join(read), spec


def _vat(raw: str) -> tuple[str, bool] | None:
    if raw.startswith("CHE"):
        return _swiss_vat(raw)
    try:
        compact = str(eu_vat.compact(raw))
    except ValidationError:
        return None
    if compact[:2].lower() not in {*eu_vat.MEMBER_STATES, "el", "gb"}:
        return None
    try:
        eu_vat.validate(compact)
    except InvalidChecksum:
        return compact, False
    except (ValidationError, KeyError, AttributeError):
        return None
    return compact, True


def _swiss_vat(raw: str) -> tuple[str, bool] | None:
    """A Swiss VAT number ("CHE-123.456.789 MWST"/TVA/IVA), or the bare UID it is built on."""
    compact = str(ch_vat.compact(raw))
    number = ch_vat if compact.endswith(("MWST", "TVA", "IVA")) else ch_uid
    try:
        number.validate(compact)
    except InvalidChecksum:
        return compact, False
    except ValidationError:
        return None
    return compact, True


def _vat_prefix(raw: str, before: str) -> tuple[str, bool, int] | None:
    """(value, checksum ok, printed length): the shape may run into the next word ("DE123456789 IBAN"),
    so the whole run is tried first, then its shorter prefixes ending before a space."""
    for end in (len(raw), *(i for i in range(len(raw) - 1, 0, -1) if raw[i] == " ")):
        verdict = _vat(raw[:end]) or _labelled_vat(raw[:end], before)
        if verdict is not None:
            return (*verdict, end)
    return None


def _labelled_vat(raw: str, before: str) -> tuple[str, bool] | None:
    """A VAT ID of an unknown national shape counts right after a VAT label ("USt-IdNr.: DE12435679")."""
    compact = re.sub(r"[\s.]", "", raw)
    if _LOOSE_VAT.match(compact) and VAT_LABEL.search(before[-30:]):
        return compact, False
    return None


def _left_text(layout: Layout, segment: Segment) -> str:
    before = [s.text for s in layout.lines[segment.line].segments if s.bbox[2] <= segment.bbox[0]]
    return before[-1] if before else ""


def _is_iban(match: re.Match[str], text: str) -> bool:
    return _iban(text[match.start(1) :].upper()) is not None


def _found(
    layout: Layout,
    segment: Segment,
    match: re.Match[str],
    value: str,
    *,
    checksum_ok: bool,
    length: int | None = None,
) -> Found:
    line = layout.lines[segment.line]
    before = [s.text for s in line.segments if s.bbox[2] <= segment.bbox[0]]
    context = " ".join([*before[-1:], segment.text[: match.start(1)]])
    end = match.end(1) if length is None else match.start(1) + length
    bbox = segment.span_bbox(match.start(1), end)
    return Found(value, segment.page, bbox, segment.line, context, checksum_ok)
