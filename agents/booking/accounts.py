"""Where an account proposal comes from, other than the model: the vendor's history, the chart's keywords,
the configured default and the reviewer. Each returns an `AccountChoice` with its confidence and reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from agents.booking.chart import FIXED_ASSET, Account, Chart, normalize
from agents.booking.errors import UnknownAccountError
from schemas.booking import AccountChoice, ChoiceSource

#: A line whose text names exactly one account's keyword is booked there with this confidence.
KEYWORD_CONFIDENCE = 0.9
#: The goods fallback is a proposal for a person, never enough to post (see `from_goods`).
GOODS_CONFIDENCE = 0.3
#: A vendor's account a person has posted this often is a decision: it counts fully, and it outweighs
#: another account's keyword in the line (`settled`).
SETTLED = 3
#: The chart category of bought goods (Wareneingang).
GOODS = "goods"
#: The chart category of devices and furniture a business uses (GWG, Werkzeuge und Kleingeräte).
EQUIPMENT = "equipment"


@dataclass(frozen=True)
class VendorHistory:
    """The vendor's posted bookings that still stand: how many entries used each expense account, and how
    many of those a person posted (approved or corrected)."""

    accounts: Mapping[str, int] = field(default_factory=dict)
    entries: int = 0
    confirmed: Mapping[str, int] = field(default_factory=dict)


def settled(history: VendorHistory, number: str) -> bool:
    """A person has posted the vendor's lines to `number` often enough to count as a decision."""
    return history.confirmed.get(number, 0) >= SETTLED


def from_history(history: VendorHistory, chart: Chart) -> AccountChoice | None:
    """The vendor's usual account, as sure as the share of the vendor's entries that used it.

    While an account is not `settled`, its share counts for less (n entries: n/(n+1)), so one early
    booking, Kontor's or a person's, does not decide every later invoice of the vendor; a settled account
    counts fully. An account the chart no longer has, cannot book to, or that only the § 6 (2) EStG rule
    chooses (a fixed asset) is no proposal: the line falls through.
    """
    if not history.entries or not history.accounts:
        return None
    number, count = max(history.accounts.items(), key=lambda kv: (kv[1], kv[0]))
    account = chart.get(number)
    if account is None or not account.bookable or account.category == FIXED_ASSET:
        return None
    share = count / history.entries
    if not settled(history, number):
        share *= history.entries / (history.entries + 1)
    return _choice(account, "history", min(1.0, share), f"vendor history: {count} of {history.entries}")


def keyword_matches(
    text: str, chart: Chart, among: Sequence[Account] | None = None
) -> list[tuple[Account, str]]:
    """The accounts (`among`, else the choosable ones) whose keywords occur in `text`, each with the first
    keyword found.

    A match inside another account's longer match is dropped: the longer keyword is the more specific one
    ("Kfz-Versicherung" is a vehicle insurance, not any insurance nor any vehicle cost).
    """
    plain = normalize(text)
    found: list[tuple[Account, str, tuple[int, int]]] = []
    for account in chart.choosable if among is None else among:
        spans = [
            (m.span(), k)
            for k, p in zip(account.keywords, account.patterns, strict=True)
            if (m := p.search(plain)) is not None
        ]
        if spans:
            found.append((account, spans[0][1], max((s for s, _k in spans), key=lambda s: s[1] - s[0])))
    return [(a, k) for a, k, span in found if not any(_inside(span, other) for _, _, other in found)]


def _inside(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return other != span and other[0] <= span[0] and span[1] <= other[1]


def from_keyword(account: Account, keyword: str) -> AccountChoice:
    return _choice(account, "keyword", KEYWORD_CONFIDENCE, f"chart keyword: {keyword.strip('*')}")


def from_goods(chart: Chart) -> AccountChoice | None:
    """A line that names no service and no keyword: the chart's goods account, as a proposal only
    (`agents.booking.line_kind`); None when the chart has no goods account."""
    account = chart.by_category(GOODS)
    return _proposal(account, "default for goods: the line names no service") if account else None


def from_equipment(chart: Chart, text: str) -> AccountChoice | None:
    """A line that names no service and no choosable keyword but a thing one of the chart's fixed-asset
    accounts names (server, projector, copier ...): the chart's equipment account, as a proposal only; the
    § 6 (2) EStG rule then moves it by its price per unit (`agents.booking.assets`). None when the line
    names no such thing or the chart has no equipment account."""
    assets = [a for a in chart.bookable if a.category == FIXED_ASSET]
    account = chart.by_category(EQUIPMENT)
    found = keyword_matches(text, chart, assets)
    if account is None or not found:
        return None
    return _proposal(account, f"a thing the chart's fixed assets name: {found[0][1].strip('*')}")


def _proposal(account: Account, reason: str) -> AccountChoice:
    """A fallback account that is only proposed: its confidence never books a line alone."""
    return _choice(account, "default", GOODS_CONFIDENCE, reason)


def from_default(account: Account, why: str = "") -> AccountChoice:
    reason = f"default ({why})" if why else "default"
    return _choice(account, "default", 0.0, reason)


def from_reviewer(chart: Chart, number: str, actor: str = "reviewer") -> AccountChoice:
    """A person's choice; raises `UnknownAccountError` for an account the chart cannot book a line to."""
    account = bookable(chart, number)
    return _choice(account, "reviewer", 1.0, actor)


def _choice(account: Account, source: ChoiceSource, confidence: float, reason: str) -> AccountChoice:
    return AccountChoice(
        account=account.number, name=account.name, confidence=confidence, source=source, reason=reason
    )


def bookable(chart: Chart, number: str) -> Account:
    account = chart.get(number.strip())
    if account is None or not account.bookable:
        raise UnknownAccountError(f"Account {number} is not an expense account of chart {chart.name}.")
    return account
