"""Amounts as invoices print them, in German, English, French and Swiss notation.

`parse_amount` takes one token (or a short phrase such as `EUR 1.234,56`) and returns its value,
or None when the text is not a single amount. `find_amounts` scans free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: Thin, narrow no-break and no-break spaces all serve as thousands separators.
_SPACES = "\u00a0\u202f\u2009\u2007 "
_CURRENCY = r"(?:EUR|USD|CHF|GBP|SEK|NOK|DKK|PLN|CZK|HUF|JPY|€|\$|£|¥|Fr\.|CHF|zł|Kč)"
_SIGN = r"[-\u2212\u2013+]"
#: At most nine integer digits: longer digit runs are order or invoice numbers, not amounts.
#: A space before the thousands mark ("4 .500,00": glyphs placed apart) counts with cents only.
_BODY = (
    r"\d{1,3}(?: [.,]\d{3})+[.,]\d{2}(?!\d)|"
    r"\d{1,3}(?:[.,'\u2019 \u00a0\u202f\u2009\u2007]\d{3})+(?:[.,]\d{1,4})?|\d{1,9}(?:[.,]\d{1,4})?"
)
_AMOUNT_RE = re.compile(
    rf"(?<![\w.,/-])(?P<lead>{_SIGN})?\s?(?:{_CURRENCY}\s?)?(?P<sign2>{_SIGN})?\s?(?P<body>{_BODY})"
    rf"(?:\s?{_CURRENCY})?(?P<trail>{_SIGN})?(?![\w%/]|[.,]\d|\s?%|[-/]\d)"
)
_WHOLE_RE = re.compile(
    rf"^\(?(?P<lead>{_SIGN})?\s*(?:{_CURRENCY}\s*)?(?P<sign2>{_SIGN})?\s*(?P<body>{_BODY})"
    rf"\s*(?:{_CURRENCY})?\s*(?P<trail>{_SIGN})?\)?$"
)


@dataclass(frozen=True)
class AmountMatch:
    value: Decimal
    start: int
    end: int
    text: str


def parse_amount(text: str) -> Decimal | None:
    """The amount `text` spells, or None when it is not exactly one amount."""
    cleaned = text.strip().rstrip("*").strip()
    match = _WHOLE_RE.match(cleaned)
    if match is None:
        return None
    value = _body_value(match.group("body"))
    if value is None:
        return None
    negative = bool(match.group("lead") or match.group("sign2") or match.group("trail"))
    negative = negative and not (match.group("lead") or "").startswith("+")
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative = True
    return -value if negative else value


def find_amounts(text: str) -> list[AmountMatch]:
    """Every amount-like token in `text`, in order, with its character span."""
    found: list[AmountMatch] = []
    for match in _AMOUNT_RE.finditer(text):
        value = _body_value(match.group("body"))
        if value is None:
            continue
        if match.group("lead") in ("-", "\u2212", "\u2013") or match.group("sign2") or match.group("trail"):
            value = -value
        raw = match.group(0)
        start = match.start() + len(raw) - len(raw.lstrip())
        found.append(AmountMatch(value, start, match.end(), raw.strip()))
    return found


def _body_value(body: str) -> Decimal | None:
    """Resolve which of `.`/`,` is the decimal mark from the digit groups around it."""
    body = re.sub(r"(?<=\d) (?=[.,]\d{3})", "", body).replace("'", "").replace("\u2019", "")
    for space in _SPACES:
        body = body.replace(space, "")
    last_dot, last_comma = body.rfind("."), body.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_mark = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        decimal_mark = _single_mark(body, "." if last_dot >= 0 else ",")
    else:
        decimal_mark = ""
    return _to_decimal(body, decimal_mark)


def _single_mark(body: str, mark: str) -> str:
    """One kind of separator: a decimal mark unless it repeats or groups exactly three digits after 1-3."""
    parts = body.split(mark)
    if len(parts) > 2:
        return ""  # 1.234.567: thousands groups only
    head, tail = parts
    # `1.234` is ambiguous; German invoices mean one thousand, English ones 1.234 is rare in totals.
    if len(tail) == 3 and 1 <= len(head) <= 3 and head != "0":
        return ""
    return mark


def _to_decimal(body: str, decimal_mark: str) -> Decimal | None:
    if decimal_mark:
        whole, _, frac = body.rpartition(decimal_mark)
        whole = whole.replace(".", "").replace(",", "")
        normalised = f"{whole}.{frac}"
    else:
        normalised = body.replace(".", "").replace(",", "")
    try:
        return Decimal(normalised)
    except InvalidOperation:
        return None
