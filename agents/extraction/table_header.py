"""The header row of an invoice's line-item table and what each of its columns holds.

A header is a visual line (plus the short lines stacked right above or below it, for two- and
three-line headers) whose words name at least three column roles, one of them a description or a
quantity and one a price or an amount. A value on a later line is labelled by the header words
standing over it, so multi-line labels ("Preis/ Einheit", "UNIT for P.U.") are read as a whole.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from agents.extraction.table_lines import TextLine, has_decimal_amount, overlaps
from agents.extraction.vocab import column_pattern
from schemas.document import Word

Role = Literal["pos", "desc", "qty", "unit", "price", "basis", "net", "tax", "gross", "allow", "other"]


def _column(role: str, extra: str = "") -> re.Pattern[str]:
    """The labels of one column role in every language (`agents.extraction.vocab`)."""
    words = column_pattern(role)
    return re.compile("|".join(p for p in (words, extra) if p))


#: The column roles in the order they are tried, which settles labels that mention two things: the
#: first whose words the label holds wins, unless the label also holds its exception's.
_ROLES: tuple[tuple[Role, re.Pattern[str], re.Pattern[str] | None], ...] = (
    ("gross", _column("gross"), None),
    ("allow", _column("allow"), None),
    ("basis", _column("basis"), None),
    ("other", _column("tax_amount"), None),
    ("price", _column("price"), _column("total_price")),
    ("qty", _column("qty"), re.compile("einheit")),
    ("unit", _column("unit"), None),
    ("net", _column("net"), None),
    ("tax", _column("tax", "%"), None),
    ("desc", _column("desc"), None),
    ("pos", re.compile(f"^(?:{column_pattern('pos')})$"), None),
)

#: Lines this far (points) apart or closer stack into one header block.
_STACK_GAP = 4.5
#: Words this close on a line read as one phrase ("P.U. HT (EUR)").
_PHRASE_GAP = 4.5


@functools.lru_cache(maxsize=4096)
def classify(label: str) -> Role:
    """The role a column label names (`_ROLES`)."""
    text = label.casefold()
    for role, words, unless in _ROLES:
        if words.search(text) and not (unless and unless.search(text)):
            return role
    return "other"


@dataclass(frozen=True)
class Phrase:
    """Adjacent header words read together; `role` is what they name on their own."""

    text: str
    x0: float
    x1: float
    top: float
    role: Role


@dataclass(frozen=True)
class Header:
    page: int
    top: float
    bottom: float
    phrases: tuple[Phrase, ...]
    main_top: float = 0.0

    def label_over(self, x0: float, x1: float) -> str:
        """The header text standing over the span `x0..x1` (or nearest to it)."""
        over = [p for p in self.phrases if overlaps(p.x0 - 2, p.x1 + 2, x0, x1)]
        if not over:
            nearest = min(self.phrases, key=lambda p: _distance(p, x0, x1), default=None)
            if nearest is None or _distance(nearest, x0, x1) > 30:
                return ""
            over = [p for p in self.phrases if overlaps(p.x0, p.x1, nearest.x0, nearest.x1)]
        return " ".join(p.text for p in sorted(over, key=lambda p: (p.top, p.x0)))

    def role_of(self, word: Word) -> Role:
        """The role of the column a word stands in.

        A header that names no amount column (its label may be a graphic) leaves the amount in
        the unnamed column right of the quantity and price columns.
        """
        role = classify(self.label_over(word.x0, word.x1)) if self.phrases else "other"
        if role == "price" and not self._names("net") and not self._names("qty"):
            return "net"  # the table's only amount column ("Pos. Beschreibung Preis")
        if role == "other" and not self._names("net"):
            right_edge = max((p.x1 for p in self.phrases if p.role in {"qty", "price"}), default=1e9)
            return "net" if word.x0 > right_edge else role
        return role

    def _names(self, role: Role) -> bool:
        return any(p.role == role for p in self.phrases)

    def desc_span(self) -> tuple[float, float] | None:
        """Left and right bounds of the description column, when the header names one."""
        desc = [p for p in self.phrases if p.role == "desc"]
        if not desc:
            return None
        # The line that made the header names the column best; stacked lines may hold a sentence.
        desc = [p for p in desc if p.top == self.main_top] or desc
        # Two labels that name a description ("Item #  Description"): the wider column holds it.
        first = max(desc, key=self._room)
        # The leftmost column reaches the margin: descriptions often start left of a centred label.
        left = max((p.x1 for p in self.phrases if p.x1 <= first.x0), default=None)
        return (0.0 if left is None else (left + first.x0) / 2), self._right_of(first)

    def _right_of(self, phrase: Phrase) -> float:
        return min((p.x0 for p in self.phrases if p.x0 >= phrase.x1 and p.role != "desc"), default=1e9)

    def _room(self, phrase: Phrase) -> float:
        return self._right_of(phrase) - phrase.x0


def _distance(phrase: Phrase, x0: float, x1: float) -> float:
    return max(phrase.x0 - x1, x0 - phrase.x1, 0.0)


def word_role(text: str) -> Role:
    """A header word's own role; currency marks and 'HT'/'excl.' only qualify a neighbour."""
    folded = text.casefold().strip(",;")
    if folded in {
        "ht",
        "(eur)",
        "eur",
        "€",
        "excl.",
        "excl",
        "ohne",
        "incl.",
        "inkl.",
        "(+)",
        "(-)",
        "&",
        "for",
    }:
        return "other"
    return classify(folded)


def phrases_of(line: TextLine) -> list[Phrase]:
    """Split a header line into phrases: close words, at most one of them naming a role."""
    groups: list[list[Word]] = []
    for word in line.words:
        strong = word_role(word.text) != "other"
        close = bool(groups) and word.x0 - groups[-1][-1].x1 <= _PHRASE_GAP
        if close and not (strong and any(word_role(w.text) != "other" for w in groups[-1])):
            groups[-1].append(word)
        else:
            groups.append([word])
    return [_phrase(group, line.top) for group in groups]


def _phrase(words: list[Word], top: float) -> Phrase:
    text = " ".join(w.text for w in words)
    return Phrase(text, words[0].x0, words[-1].x1, top, classify(text))


def _roles_named(line: TextLine) -> set[Role]:
    return {p.role for p in phrases_of(line)} - {"other", "gross", "allow", "basis"}


def is_header(line: TextLine) -> bool:
    roles = _roles_named(line)
    if len(roles) >= 3 and bool(roles & {"desc", "qty"}) and bool(roles & {"price", "net"}):
        return True
    return _two_columns(line)


def _two_columns(line: TextLine) -> bool:
    """The plainest item table: a description column and an amount column, labelled and nothing else."""
    phrases = phrases_of(line)
    return [p.role for p in phrases] == ["desc", "net"] and phrases[1].x0 - phrases[0].x1 > 100


def find_header(lines: list[TextLine], start: int = 0) -> tuple[Header, int] | None:
    """The first header at or after `start`, and the index of the first line below its block."""
    for index in range(start, len(lines)):
        if is_header(lines[index]) and not has_decimal_amount(lines[index]):
            return _block(lines, index)
    return None


def _block(lines: list[TextLine], index: int) -> tuple[Header, int]:
    first = last = index
    while first > 0 and _stacks(lines[first - 1], lines[first]):
        first -= 1
    while last + 1 < len(lines) and _stacks(lines[last], lines[last + 1]):
        last += 1
    block = lines[first : last + 1]
    phrases = tuple(p for line in block for p in phrases_of(line))
    header = Header(lines[index].page, block[0].top, block[-1].bottom, phrases, lines[index].top)
    return header, last + 1


def _stacks(upper: TextLine, lower: TextLine) -> bool:
    if upper.page != lower.page or lower.top - upper.bottom > _STACK_GAP:
        return False
    return not _has_digit(upper) and not _has_digit(lower)


def _has_digit(line: TextLine) -> bool:
    return any(c.isdigit() for c in line.text)
