"""Fixed assets by § 6 (2) EStG: a movable good whose net price per unit is over 800 EUR is not an expense.

Such a line goes to a fixed-asset account (category `fixed_asset`: the one whose keywords the line names,
else the chart's first) with a warning, so a person
records it in the asset register; between 250 and 800 EUR per unit the policy decides (`gwg`: the chart's
low-value asset account, category `equipment`); at most 250 EUR per unit is an expense (§ 6 (2a) EStG), so
a keyword of the low-value asset account moves such a line to the equipment expense account, for a person
to confirm. Services are never assets, and neither are goods bought for resale or consumption on accounts
outside `MOVABLE_GOODS`. A reviewer's choice is never overruled.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from agents.booking.accounts import keyword_matches
from agents.booking.chart import FIXED_ASSET, Account, Chart
from agents.booking.groups import Item, problem
from schemas.booking import AccountChoice
from schemas.finding import Finding

if TYPE_CHECKING:
    from agents.booking.propose import BookingPolicy

#: § 6 (2) EStG: up to this net price per unit a good may be expensed at once.
ASSET_LIMIT = Decimal(800)
#: § 6 (2a) EStG: up to this net price per unit it is expensed in any case.
LOW_VALUE_LIMIT = Decimal(250)
#: Chart categories of movable goods a business uses (office things, devices, furniture, the default).
MOVABLE_GOODS = frozenset({"office", "equipment", "other"})
LOW_VALUE = "equipment"
#: A thing the rule moved from the low-value asset account to an expense account: for a person to confirm.
EXPENSED_CONFIDENCE = 0.6


def unit_price(item: Item) -> Decimal:
    """Net per unit; the line's net amount when it states no positive quantity."""
    if item.quantity is not None and item.quantity > 0:
        return item.net_amount / item.quantity
    return item.net_amount


def capitalised(
    choice: AccountChoice, item: Item, index: int, policy: BookingPolicy, problems: list[Finding]
) -> AccountChoice:
    """`choice`, or the asset account § 6 (2) EStG asks for (a fixed asset is flagged in `problems`)."""
    chosen = policy.chart.get(choice.account)
    if chosen is None or chosen.category not in MOVABLE_GOODS:
        return choice
    price = unit_price(item)
    fixed = asset_account(policy.chart, item.description)
    if price > ASSET_LIMIT and fixed is not None:
        problems.append(
            problem(
                "booking.fixed_asset",
                f"Line {index + 1}: {price:.2f} EUR net per unit is over {ASSET_LIMIT} EUR (§ 6 (2) EStG): "
                f"booked to {fixed.number} {fixed.name}; record it in the asset register.",
                severity="warning",
            )
        )
        return _to(fixed, choice, f"§ 6 (2) EStG: {price:.2f} EUR per unit")
    if chosen.kind == "asset" and price <= LOW_VALUE_LIMIT:
        return _expensed(policy.chart, choice, price)
    low_value = policy.chart.by_category(LOW_VALUE)
    if LOW_VALUE_LIMIT < price <= ASSET_LIMIT and policy.low_value_assets == "gwg" and low_value is not None:
        return _to(low_value, choice, f"GWG: {price:.2f} EUR per unit")
    return choice


def asset_account(chart: Chart, text: str) -> Account | None:
    """The fixed-asset account whose keywords the line names (Pkw, Büroeinrichtung ...), else the first."""
    assets = [a for a in chart.bookable if a.category == FIXED_ASSET]
    matches = keyword_matches(text, chart, assets)
    return matches[0][0] if len(matches) == 1 else chart.by_category(FIXED_ASSET)


def _expensed(chart: Chart, choice: AccountChoice, price: Decimal) -> AccountChoice:
    """A low-value asset account named for a thing of at most 250 EUR per unit: § 6 (2a) EStG expenses it.
    The expense account is the rule's guess, not what the keyword names (Kleingeräte, Betriebsbedarf or
    Bürobedarf depend on the business), so a person confirms it."""
    account = next((a for a in chart.bookable if a.kind == "expense" and a.category == LOW_VALUE), None)
    if account is None:
        return choice
    moved = _to(account, choice, f"§ 6 (2a) EStG: {price:.2f} EUR per unit")
    return moved.model_copy(update={"confidence": min(choice.confidence, EXPENSED_CONFIDENCE)})


def _to(account: Account, choice: AccountChoice, reason: str) -> AccountChoice:
    return choice.model_copy(update={"account": account.number, "name": account.name, "reason": reason})
