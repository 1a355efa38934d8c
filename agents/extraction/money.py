"""Typed amount tokens: a number is an amount only where it looks like money.

A number looks like money when it prints a decimal part (`17,00`), a currency (`$ 4`, `120 €`, `Kč`),
or stands right after an amount label. It is never money when it belongs to something else: a page
number ("Seite 1", "Page 1 of 2"), an item position ("Pos. 5"), a year, a date, a postcode before its
town, a phone number, an identifier after `Nr.`/`#`, a street number after its street. The totals
solver only ever sees tokens that pass here, so no equation can promote such a token to a total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from agents.extraction.dates import find_dates
from agents.extraction.numbers import AmountMatch, find_amounts
from agents.extraction.vocab import alternation

#: Where a number stands: right after an amount label, or anywhere else on the page.
Standing = Literal["labelled", "free"]

_CENTS = re.compile(r"\d[.,]\d{2}(?!\d)")
_CURRENCY = re.compile(r"(?:EUR|USD|CHF|GBP|PLN|CZK|SEK|NOK|DKK|HUF|Kč|zł|€|\$|£|Fr\.)", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"^\s?(?:EUR|USD|CHF|GBP|PLN|CZK|Kč|zł|€|\$|£|,-)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:EUR|USD|CHF|GBP|PLN|CZK|Kč|zł|€|\$|£)\s?$", re.IGNORECASE)
_PAGE_OR_POSITION = re.compile(
    rf"(?<!\w)(?:{alternation('page_words')}|{alternation('position_words')})\s*:?\s*$", re.IGNORECASE
)
_IDENTIFIER_BEFORE = re.compile(
    r"(?:(?<!\w)(?:nr|no|n°|nº|č|#|tel|fax|phone|telefon|tél|ref|id|kd|art)\.?\s*[:.]?\s*|\+|[/\-])$",
    re.IGNORECASE,
)
_PAGE_OF_BEFORE = re.compile(
    rf"(?<!\w)(?:{alternation('page_words')})\s*\d+\s*(?:/|of|von|de|z|ze|van|di)\s*$", re.IGNORECASE
)
_PHONE_BEFORE = re.compile(
    r"(?<!\w)(?:tel|fax|phone|telefon|telefax|tél|mobil|mobile)\.?\s*:?\s*[\d\s/()+.-]*$", re.IGNORECASE
)
_OF_AFTER = re.compile(r"^\s*(?:/|of|von|de|z|ze|van|di)\s*\d", re.IGNORECASE)
#: A 4- or 5-digit number followed by a capitalised word is a postcode and its town ("10115 Berlin").
_TOWN_AFTER = re.compile(r"^\s+[A-ZÄÖÜÉÈŁŚŻČŘŠŽ][a-zäöüßéèàąćęłńóśźżčďěňřšťůž]+")
#: A short number right after a street word is a house number ("Hauptstraße 12", "Ecke 12").
_STREET_BEFORE = re.compile(
    r"(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|ecke|street|st\.|road|rd\.|avenue|ave\.|"
    r"rue|via|calle|ulica|ul\.|ulice|straat|laan|plein)\s*$",
    re.IGNORECASE,
)
_AMOUNT_TEXT = re.compile(r"[-+\u2212]?\s?(?:[€$£]\s?)?\d")


@dataclass(frozen=True)
class Token:
    match: AmountMatch
    #: True when the token itself prints cents or a currency: money wherever it stands.
    shaped: bool


def money_tokens(text: str, *, standing: Standing = "free") -> list[AmountMatch]:
    """The amounts in `text` that look like money where they stand (see the module docstring)."""
    tokens = typed_tokens(text)
    return [t.match for t in tokens if t.shaped or (standing == "labelled" and _plain_ok(t))]


def typed_tokens(text: str) -> list[Token]:
    """Every amount-like token that belongs to nothing else, with whether it is money by its shape."""
    found: list[Token] = []
    dates = [(d.start, d.end) for d in find_dates(text)]
    for match in find_amounts(text):
        if any(match.start < end and start < match.end for start, end in dates) or _belongs_elsewhere(
            text, match
        ):
            continue
        found.append(Token(match, _has_money_shape(text, match)))
    return found


def is_amount_shaped(text: str) -> bool:
    """True when `text` holds a token that prints cents or a currency (the property the tests check)."""
    return any(t.shaped for t in typed_tokens(text))


def _has_money_shape(text: str, match: AmountMatch) -> bool:
    if _CENTS.search(match.text) or _CURRENCY.search(match.text):
        return True
    return bool(_CURRENCY_AFTER.match(text[match.end :]) or _CURRENCY_BEFORE.search(text[: match.start]))


def _plain_ok(token: Token) -> bool:
    """A bare number after a label is an amount unless it is a year (a year is never a bare total)."""
    value = token.match.value
    return not (value == value.to_integral_value() and 1900 <= value <= 2100)


def _belongs_elsewhere(text: str, match: AmountMatch) -> bool:
    before, after = text[: match.start], text[match.end :]
    if _PAGE_OR_POSITION.search(before) or _PAGE_OF_BEFORE.search(before) or _OF_AFTER.match(after):
        return True
    if _PHONE_BEFORE.search(before):
        return True
    if _has_money_shape(text, match):
        return False
    digits = re.sub(r"\D", "", match.text)
    if _IDENTIFIER_BEFORE.search(before) or (len(digits) in (4, 5) and _TOWN_AFTER.match(after)):
        return True
    return len(digits) <= 4 and bool(_STREET_BEFORE.search(before))
