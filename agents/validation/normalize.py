"""Comparable forms of names, invoice numbers and identifiers, shared by the duplicate and vendor checks."""

from __future__ import annotations

import re
import unicodedata

_LEGAL_FORMS = re.compile(
    r"\b(gmbh|mbh|ag|kg|ohg|ug|gbr|e\.?\s?k|e\.?\s?v|co|se|ltd|llc|inc|plc|sarl|sas|sa|bv|nv|srl|spa|ab|as|aps)\b\.?"
)


def without_format(text: str) -> str:
    """`text` without Unicode format characters (zero-width spaces, BOM, soft hyphen, bidi controls)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def fold(text: str) -> str:
    """Case, accents, format characters and runs of whitespace folded away."""
    decomposed = unicodedata.normalize("NFKD", without_format(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def company_key(name: str) -> str:
    """A company name without legal form and punctuation: "Muster GmbH & Co. KG" ~ "muster"."""
    folded = _LEGAL_FORMS.sub(" ", fold(name).replace("&", " "))
    return "".join(c for c in folded if c.isalnum())


def compact_id(value: str) -> str:
    """A VAT ID, tax number or IBAN without spaces, dots, dashes and slashes, upper case."""
    return re.sub(r"[\s./-]", "", without_format(value)).upper()


def invoice_number_key(number: str) -> str:
    """Letters and digits only, upper case, each part without leading zeros: "RE-0042" ~ "re 42"."""
    runs = re.findall(r"[A-Z]+|[0-9]+", fold(number).upper())
    return "".join(run.lstrip("0") or "0" if run.isdigit() else run for run in runs)
