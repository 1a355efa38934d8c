"""The invoice as context for the lines no keyword, vendor history or person placed.

A line such as "Dokumentation" or "Documentation Fee" says little alone; on an invoice whose other lines a
keyword or the vendor's history placed surely, it most likely belongs where they went (the documentation
of a programming job is part of that job, the documentation fee of a freight forwarder part of the freight).
So after every line has its own choice, a line whose choice is only a fallback (the learned classifier, the
model, the goods or default account) and whose text names no keyword takes the account that holds most of
the net amount of the surely placed lines, when those lines are at least half of the invoice's net amount
(the invoice is mostly understood: a sure freight line does not make the goods beside it freight) and that
account holds more than half of their amount. It stays a
proposal for a person: held out, the context was right far less often than the 98 % a posted line needs.

Incidental acquisition costs (§ 255 (1) HGB: delivery, assembly, installation of a fixed asset) belong to
the asset: a line naming one, on an invoice whose goods went to exactly one fixed-asset account by the
§ 6 (2) EStG rule, goes to that account (`ancillary`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from agents.booking.accounts import keyword_matches
from agents.booking.chart import FIXED_ASSET, Account, Chart, keyword_pattern, normalize
from schemas.booking import AccountChoice

#: A line placed by the invoice's other lines is a proposal for a person, never posted alone.
CONTEXT_CONFIDENCE = 0.6
#: Sources that place a line by itself; the others are fallbacks the context may replace.
SURE_SOURCES = frozenset({"keyword", "history", "reviewer"})
#: Words of incidental acquisition costs (German and English; `word*` a word's start, `*word` its end).
ANCILLARY_WORDS = (
    "lieferung*",
    "anlieferung*",
    "montage*",
    "*montage",
    "aufbau*",
    "installation*",
    "einbau*",
    "inbetriebnahme*",
    "versand*",
    "fracht*",
    "transport*",
    "verpackung*",
    "delivery",
    "shipping",
    "freight",
    "assembly",
    "installation",
    "setup",
    "set up",
)
_ANCILLARY = [keyword_pattern(word) for word in ANCILLARY_WORDS]


def names_ancillary_cost(text: str) -> bool:
    plain = normalize(text)
    return any(pattern.search(plain) for pattern in _ANCILLARY)


def ancillary(choice: AccountChoice, text: str, assets: Sequence[Account]) -> AccountChoice | None:
    """The fixed-asset account for an incidental cost of acquiring the invoice's one fixed asset account
    (`assets`: the fixed-asset accounts its other lines went to); None when the rule does not apply."""
    if len(assets) != 1 or not names_ancillary_cost(text):
        return None
    (asset,) = assets
    return choice.model_copy(
        update={
            "account": asset.number,
            "name": asset.name,
            "confidence": min(choice.confidence, CONTEXT_CONFIDENCE),
            "source": "default",
            "reason": f"§ 255 (1) HGB: a cost of acquiring the invoice's {asset.number} {asset.name}",
        }
    )


def fixed_assets(chart: Chart, choices: Sequence[AccountChoice]) -> list[Account]:
    numbers = sorted({c.account for c in choices})
    found = [chart.get(n) for n in numbers]
    return [a for a in found if a is not None and a.category == FIXED_ASSET]


def in_context(
    chart: Chart,
    threshold: float,
    lines: Sequence[tuple[str, Decimal, AccountChoice]],
) -> list[AccountChoice]:
    """Each line's choice, a fallback replaced by the account most of the surely placed net amount of the
    invoice went to (more than half of it); `lines` are (text, net amount, choice)."""
    sure = [(net, c) for _t, net, c in lines if c.confidence >= threshold and c.source in SURE_SOURCES]
    held: dict[str, Decimal] = defaultdict(Decimal)
    for net, choice in sure:
        held[choice.account] += abs(net)
    total = sum(held.values(), Decimal(0))
    if not total or total * 2 < sum((abs(net) for _t, net, _c in lines), Decimal(0)):
        return [c for _t, _n, c in lines]
    number, amount = max(held.items(), key=lambda kv: (kv[1], kv[0]))
    account = chart.get(number)
    if account is None or account.kind != "expense" or amount * 2 <= total:
        return [c for _t, _n, c in lines]
    share = f"{amount / total:.0%}" if amount != total else "all"
    return [
        _placed(choice, account, share)
        if choice.source not in SURE_SOURCES
        and choice.confidence < threshold
        and not keyword_matches(text, chart)
        and (chart.get(choice.account) or account).kind == "expense"
        else choice
        for text, _net, choice in lines
    ]


def _placed(choice: AccountChoice, account: Account, share: str) -> AccountChoice:
    return choice.model_copy(
        update={
            "account": account.number,
            "name": account.name,
            "confidence": CONTEXT_CONFIDENCE,
            "source": "default",
            "reason": f"the invoice's other lines: {share} of their surely placed amount is {account.number}",
        }
    )
