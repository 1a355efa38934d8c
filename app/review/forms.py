"""What a reviewer types, as the invoice holds it: `1.234,50` is an amount, `31.01.2022` a date."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic_core import ErrorDetails

from schemas.invoice import AMOUNT_FIELDS, DATE_FIELDS

_DAY_FIRST = ("%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y")


def field_input(name: str, raw: str) -> str | None:
    """The value to store for field `name`; None clears it. The invoice model validates the result."""
    value = raw.strip()
    if not value:
        return None
    if name in AMOUNT_FIELDS:
        return amount_input(value)
    if name in DATE_FIELDS:
        return date_input(value)
    return value


def amount_input(value: str) -> str:
    """German and English notation alike: the last `,` or `.` is the decimal mark, unless it repeats."""
    compact = re.sub(r"[\s'€]|EUR", "", value)
    mark = max(compact.rfind(","), compact.rfind("."))
    if mark == -1 or compact.count(compact[mark]) > 1:
        return compact.replace(",", "").replace(".", "")
    return f"{compact[:mark].replace(',', '').replace('.', '')}.{compact[mark + 1 :]}"


def date_input(value: str) -> str:
    for pattern in _DAY_FIRST:
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return value  # ISO or nonsense: the invoice model decides


def plain_message(error: ErrorDetails) -> str:
    """What a person reads for a value the invoice cannot hold: "31.02.2025 is not a date"."""
    shown = error.get("input")
    kind = error["type"]
    if kind.startswith(("date", "datetime")):
        return f"{shown} is not a date (write it as 31.01.2025)."
    if kind.startswith(("decimal", "float", "int")):
        return f"{shown} is not an amount (write it as 1.234,50 or 1234.50)."
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{shown} is not accepted: {message}." if isinstance(shown, str | int | float) else f"{message}."
