"""One vocabulary per language, in one place: the printed words that announce each field.

Every `<language>.toml` file in this folder is one `Vocabulary`; adding a language is adding one file.
The lexicon the agent uses is the union of all languages (an invoice may mix them: Czech and English
labels side by side), built once at import. Patterns are matched case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agents.tables import load_tables

#: How surely a label names its field, not a neighbour.
Strength = Annotated[float, Field(gt=0, le=1)]
#: (regular expression, strength): one label.
Patterns = tuple[tuple[str, Strength], ...]


class Vocabulary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str
    #: Field name → labels that announce its value (`invoice_number`, `issue_date`, `gross_total`, ...).
    labels: Mapping[str, Patterns]
    #: Month names and abbreviations, lower case, accents kept (they are folded when compared).
    months: Mapping[str, Annotated[int, Field(ge=1, le=12)]]
    #: Headers that open the issuer's block ("Von", "From", "Dodavatel").
    seller_headers: tuple[str, ...]
    #: Headers that open the addressee's block ("Rechnungsempfänger", "Bill to", "Odběratel").
    buyer_headers: tuple[str, ...]
    #: Words beside an identifier that make it the buyer's ("Ihre", "your", "vos").
    buyer_hints: tuple[str, ...] = ()
    #: Labels in front of a party's name inside its block ("Name:", "Nazwa:", "Raison sociale:").
    name_labels: tuple[str, ...] = ()
    #: Labels in front of a VAT ID ("USt-IdNr.", "BTW", "NIP", "DIČ").
    vat_labels: tuple[str, ...] = ()
    #: Title words of a credit note ("Gutschrift", "Avoir", "Korekta").
    credit_note_words: tuple[str, ...] = ()
    #: Country names as printed in an address line → ISO code.
    countries: Mapping[str, Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = {}
    #: Words in front of a page number ("Seite 1", "Page 1 of 2", "Strona 1").
    page_words: tuple[str, ...] = ()
    #: Words in front of an item's position number ("Pos. 5", "Lp. 3").
    position_words: tuple[str, ...] = ()
    #: Payment terms in days, each with a `(?P<days>...)` group ("zahlbar innerhalb von 14 Tagen").
    payment_days: tuple[str, ...] = ()
    #: Payment terms that mean "due on the issue date" ("sofort", "on receipt", "à réception").
    payment_now: tuple[str, ...] = ()
    #: Item-table column labels by what the column holds (`desc`, `qty`, `unit`, `price`, `net`, `tax`,
    #: `gross`, `allow`, `basis`, `pos`; `total_price` and `tax_amount` overrule `price` and `tax`).
    columns: Mapping[str, tuple[str, ...]] = {}
    #: Words that open the totals block under an item table and so end it ("Summe", "Subtotal", "Razem").
    table_end: tuple[str, ...] = ()
    #: Words that open the sum row of a column table ("Summe", "Total", "Razem:", "Celkem"): under a
    #: column labelled net/VAT/gross, the amount in that row is the column's total, not the first item's.
    total_rows: tuple[str, ...] = ()

    @field_validator("labels")
    @classmethod
    def _labels_compile(cls, labels: Mapping[str, Patterns]) -> Mapping[str, Patterns]:
        for patterns in labels.values():
            for pattern, _ in patterns:
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(f"{pattern!r}: {error}") from error
        return labels


LANGUAGES: tuple[Vocabulary, ...] = load_tables(__name__, Vocabulary)


def fold(text: str) -> str:
    """Lower case without accents: "März" and "marz", "września" and "wrzesnia" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: How a German letter is also printed: ASCII exports write "Faelligkeitsdatum", scans lose the dots.
_SPELLINGS = {"ä": "(?:ä|ae|a)", "ö": "(?:ö|oe|o)", "ü": "(?:ü|ue|u)", "ß": "(?:ß|ss)"}
#: Letters whose plain form Unicode does not decompose to.
_BASE_LETTERS = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O"}


def _plain(char: str) -> str | None:
    """How a letter with a diacritic is also printed: German umlauts and ß as above, any other
    (č, ę, ł, ñ, é, ...) as its base letter, which ASCII exports and scans leave."""
    if char in _SPELLINGS:
        return _SPELLINGS[char]
    if char.isascii() or not char.isalpha():
        return None
    base = _BASE_LETTERS.get(char) or "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )
    return f"(?:{char}|{base})" if base.isascii() and base.isalpha() and len(base) == 1 else None


def spelled(pattern: str) -> str:
    """`pattern` with each letter with a diacritic outside a character class also matching its plain
    spellings ("płatności" matches "platnosci", "Fälligkeit" matches "Faelligkeit")."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        plain = None if escaped or in_class else _plain(char)
        out.append(char if plain is None else plain)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
    return "".join(out)


def field_patterns(name: str) -> Patterns:
    """Every language's labels for one field."""
    return tuple((spelled(p), strength) for vocab in LANGUAGES for p, strength in vocab.labels.get(name, ()))


def spelled_all(pick: str) -> tuple[str, ...]:
    """Every language's patterns of one tuple attribute (`payment_days`, `seller_headers`, ...)."""
    return tuple(spelled(p) for vocab in LANGUAGES for p in getattr(vocab, pick))


def label_fields() -> tuple[str, ...]:
    names: dict[str, None] = {}
    for vocab in LANGUAGES:
        names.update(dict.fromkeys(vocab.labels))
    return tuple(names)


MONTHS: dict[str, int] = {fold(name): number for vocab in LANGUAGES for name, number in vocab.months.items()}
COUNTRIES: dict[str, str] = {
    name.casefold(): code for vocab in LANGUAGES for name, code in vocab.countries.items()
}


def alternation(pick: str) -> str:
    """One regex alternation of a tuple attribute (`seller_headers`, `vat_labels`, ...) over all languages."""
    return "|".join(sorted(set(spelled_all(pick)), key=lambda p: (-len(p), p)))


def column_pattern(role: str) -> str:
    """Every language's item-table labels for one column role, as one alternation."""
    parts = {spelled(p) for vocab in LANGUAGES for p in vocab.columns.get(role, ())}
    return "|".join(sorted(parts, key=lambda p: (-len(p), p)))


def compiled(pick: str, template: str = "{}") -> re.Pattern[str]:
    return re.compile(template.format(f"(?:{alternation(pick)})"), re.IGNORECASE)
