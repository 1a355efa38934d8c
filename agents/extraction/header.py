"""Header fields that labels and keywords settle: document type, currency, tax number, payment accounts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from agents.extraction.identifiers import Found, find_ibans
from agents.extraction.labels import labels_for
from agents.extraction.layout import BBox, Layout, Segment
from agents.extraction.vocab import compiled

_TYPE_CODE = re.compile(
    r"(?:rechnung|gutschrift|korrektur|invoice|facture|avoir|note|dokument|document)\w*\s*\((\d{3})\)"
    r"|(?:rechnungsart|invoice\s+type|type\s+de\s+facture|dokumentart)\s*:?\s*(\d{3})\b"
    r"|\((\d{3})\)\s*(?:nr\.?|no\.?|n°)\s",
    re.IGNORECASE,
)
_TYPE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (compiled("credit_note_words", r"(?<!\w){}(?!\w)"), "381"),
    (re.compile(r"\baffactur[ée]e\b", re.IGNORECASE), "393"),
    (
        re.compile(
            r"\b(?:rechnungs-?\s?korrektur|korrekturrechnung|corrected\s+invoice|facture\s+rectificative)\b",
            re.IGNORECASE,
        ),
        "384",
    ),
)
_CURRENCY_CODES = ("EUR", "USD", "CHF", "GBP", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "JPY", "CAD", "AUD")
#: Symbols, and currency names as written out ("waluta: polski złoty", "Celkem v korunách").
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
_NAMES = {"kč": "CZK", "zł": "PLN", "złoty": "PLN", "złotych": "PLN", "złote": "PLN", "euro": "EUR"}
_NAMES |= dict.fromkeys(("koruna", "koruny", "korun", "korunách"), "CZK")
_CURRENCY = re.compile(
    r"(?<![A-Z])(" + "|".join(_CURRENCY_CODES) + r")(?![A-Z])|([€$£])"
    r"|(?<![^\W\d_])(?i:(" + "|".join(sorted(_NAMES, key=len, reverse=True)) + r"))(?![^\W\d_])"
)
_CURRENCY_LABEL = re.compile(
    r"^(?:währung|devise|currency|beträge\s+in|montants?\s+en|waluta|měna|valuta|moneda|divisa)\b",
    re.IGNORECASE,
)
#: German Steuernummer shapes: 201/113/40209, 99999/22222, 22 00 0 001 00001, 5133081508159.
_TAX_NUMBER = re.compile(
    r"(?<![\w/])(\d{2,5}/\d{3,5}(?:/\d{1,5})*|\d{2,3}(?: \d{1,5}){3,4}|\d{10,13})(?![\w/])"
)
_PAYER_HINT = re.compile(
    r"lastschrift|abgebucht|einzug|eingezogen|mandat|prélèvement|prelevement|débit|direct\s+debit|"
    r"ihr(?:e|em)?\s+konto|your\s+account|votre\s+compte",
    re.IGNORECASE,
)
#: The first lines of page 1 carry the document title.
_TITLE_LINES = 25


@dataclass(frozen=True)
class Pick:
    value: str
    page: int | None
    bbox: BBox | None
    source: str
    evidence: float


def document_type(layout: Layout) -> Pick:
    """UNTDID 1001 code: a printed code wins, then title words, else a commercial invoice (380)."""
    title = [s for line in layout.lines[:_TITLE_LINES] for s in line.segments]
    for segment in title:
        if match := _TYPE_CODE.search(segment.text):
            code = next(group for group in match.groups() if group)
            return Pick(code, segment.page, segment.bbox, "label:type code", 1.0)
    for pattern, code in _TYPE_WORDS:
        for segment in title:
            if pattern.search(segment.text):
                return Pick(code, segment.page, segment.bbox, f"keyword:{pattern.pattern[:20]}", 0.8)
    return Pick("380", None, None, "rule:default_commercial_invoice", 0.8)


def _currency_code(match: re.Match[str]) -> str:
    if match.group(2):
        return _SYMBOLS[match.group(2)]
    return match.group(1) or _NAMES[match.group(3).lower()]


def currency(layout: Layout) -> Pick | None:
    """A labelled code ("Währung: EUR") wins; else the code or symbol printed most often."""
    for segment in layout.segments():
        if not (label := _CURRENCY_LABEL.search(segment.text)):
            continue
        if found := _labelled_currency(layout, segment, label.end()):
            return found
    counts: Counter[str] = Counter()
    where: dict[str, tuple[int, BBox]] = {}
    for segment in layout.segments():
        for match in _CURRENCY.finditer(segment.text):
            code = _currency_code(match)
            counts[code] += 1
            where.setdefault(code, (segment.page, segment.span_bbox(match.start(), match.end())))
    if not counts:
        return None
    ranked = counts.most_common()
    best, n = ranked[0]
    evidence = 1.0 if len(ranked) == 1 else n / (n + ranked[1][1])
    return Pick(best, where[best][0], where[best][1], "rule:most_frequent_currency", evidence)


def _labelled_currency(layout: Layout, segment: Segment, after: int) -> Pick | None:
    """The code right after a currency label, boxed where the code itself is printed (not the label)."""
    if found := _value_after(layout, segment, after, _CURRENCY, budget=20):
        match, place, box = found
        code = _currency_code(match)
        return Pick(code, place.page, box, "label:currency", 1.0)
    return None


def _value_after(
    layout: Layout, segment: Segment, start: int, pattern: re.Pattern[str], *, budget: int
) -> tuple[re.Match[str], Segment, BBox] | None:
    """The first match of `pattern` within `budget` characters after `start` of `segment`, on its own
    line, with the box of the matched words (the value's, not its label's)."""
    line = layout.lines[segment.line]
    places = [(segment, start)] + [(s, 0) for s in line.segments if s.bbox[0] > segment.bbox[2]]
    for place, offset in places:
        text = place.text[offset:]
        skipped = len(text) - len(text.lstrip(" :."))
        if match := pattern.search(text[skipped : skipped + budget]):
            begin = offset + skipped
            group = match.lastindex or 0
            box = place.span_bbox(begin + match.start(group), begin + match.end(group))
            return match, place, box
        budget -= len(text) - skipped + 1
        if budget <= 0:
            return None
    return None


def seller_tax_number(layout: Layout) -> Pick | None:
    """The first number of a tax-number shape right after a tax-number label."""
    for segment in layout.segments():
        for label in labels_for("seller_tax_number"):
            if not (found := label.pattern.search(segment.text)):
                continue
            if value := _value_after(layout, segment, found.end(), _TAX_NUMBER, budget=30):
                match, place, box = value
                return Pick(match.group(1), place.page, box, f"label:{found.group(0)}", 0.9)
    return None


def payment_accounts(layout: Layout) -> tuple[list[Found], list[Found]]:
    """(payee IBANs, payer IBANs): an IBAN beside direct-debit words is the buyer's account."""
    payee: list[Found] = []
    payer: list[Found] = []
    for found in find_ibans(layout):
        nearby = " ".join(line.text for line in layout.lines[max(found.line - 2, 0) : found.line + 1])
        (payer if _PAYER_HINT.search(nearby) else payee).append(found)
    # An account failing its check digits stands in only where no valid one is printed.
    return [f for f in payee if f.checksum_ok] or payee, [f for f in payer if f.checksum_ok] or payer
