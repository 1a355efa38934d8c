"""Fixed assets by § 6 (2) EStG: a movable good whose net price per unit is over 800 EUR is not an expense.

Such a line goes to a fixed-asset account (category `fixed_asset`: the one whose keywords the line names,
else the chart's first) with a warning, so a person records it in the asset register; between 250 and 800
EUR per unit the policy decides (`gwg`: the chart's low-value asset account, category `equipment`, for
devices; office supplies are consumables); at most 250 EUR per unit is an expense (§ 6 (2a) EStG), so a
keyword of the low-value asset account moves such a line to the equipment expense account, for a person
to confirm. Services are never assets, and neither are goods bought for resale or consumption on accounts
outside `MOVABLE_GOODS`; a line left on a catch-all account (category `other`, the default among them) that
names a service or several accounts' keywords is no good. A reviewer's choice is never overruled.

The default for 250-800 EUR is `gwg`: § 6 (2) S. 4 EStG asks for such goods to be listed with their date and
cost unless the books show them, and their own account (SKR03 0480 / SKR04 0670) is how the books show them;
the choice between writing them off at once and the § 6 (2a) pool is made at year end from that account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from agents.booking.accounts import keyword_matches
from agents.booking.chart import FIXED_ASSET, Account, Chart
from agents.booking.groups import Item, problem
from agents.booking.line_kind import names_a_service
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
#: The catch-all category: a line on it may be a thing or a service.
CATCH_ALL = "other"
#: The category of office supplies: consumables unless the line names a device.
OFFICE = "office"
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
    if chosen.category == CATCH_ALL and not _a_thing(policy.chart, item.description):
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
    low_value_range = LOW_VALUE_LIMIT < price <= ASSET_LIMIT and policy.low_value_assets == "gwg"
    if low_value is not None and low_value_range and _durable(policy.chart, chosen, item):
        return _to(low_value, choice, f"GWG: {price:.2f} EUR per unit")
    return choice


def _durable(chart: Chart, chosen: Account, item: Item) -> bool:
    """Office supplies are used up, not used: a line on an office account is a low-value asset only when it
    names a device (a keyword of an equipment or fixed-asset account)."""
    if chosen.category != OFFICE:
        return True
    devices = [a for a in chart.bookable if a.category in (LOW_VALUE, FIXED_ASSET)]
    return bool(keyword_matches(item.description, chart, devices))


def _a_thing(chart: Chart, text: str) -> bool:
    """A line on the catch-all account is a thing when it names no service and no expense keyword: keywords
    of several accounts (consulting and audit, say) left it there undecided, not as a good."""
    return not names_a_service(text) and not keyword_matches(text, chart)


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
