"""Account proposals against the labelled line sets: how often the chain is right, and how often it is
right among the lines it would book without a person.

`tests/data/booking_labels.json` labels a chart-independent category per line; `booking_labels_real.json`
labels the SKR03 account a bookkeeper would choose (with the line's quantity and net amount, so the
§ 6 (2) EStG asset rule takes part).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from agents.booking import AccountModel, VendorHistory, propose
from agents.booking.propose import BookingPolicy
from schemas.booking import AccountChoice
from schemas.invoice import Invoice, LineItem, TaxBreakdown

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
CATEGORY_LABELS = DATA / "booking_labels.json"
ACCOUNT_LABELS = DATA / "booking_labels_real.json"


@dataclass(frozen=True)
class Score:
    lines: int
    right: int
    sure: int
    sure_right: int

    @property
    def accuracy(self) -> float:
        return self.right / self.lines if self.lines else 0.0

    @property
    def sure_accuracy(self) -> float:
        return self.sure_right / self.sure if self.sure else 1.0

    def __str__(self) -> str:
        return (
            f"right {self.right}/{self.lines} ({self.accuracy:.0%}); booked without review {self.sure}, "
            f"of them right {self.sure_right} ({self.sure_accuracy:.0%})"
        )


def category_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(CATEGORY_LABELS.read_text(encoding="utf-8"))
    return rows


def account_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(ACCOUNT_LABELS.read_text(encoding="utf-8"))["lines"]
    return rows


def halves(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows at even and at odd positions: develop against one half, check on the other; a rule that
    only fits the lines it was made on shows as a gap between them."""
    return rows[0::2], rows[1::2]


def one_line(row: Mapping[str, Any]) -> Invoice:
    """A one-line 19 % invoice of the row's vendor; 100 EUR net unless the row states its amount."""
    return invoice_of([row])


def invoice_of(rows: Sequence[Mapping[str, Any]]) -> Invoice:
    """A 19 % invoice of the rows' vendor with one line per row (100 EUR net unless the row states its
    amount): the lines of one labelled document are proposed together, as the booking step sees them."""
    items = [
        LineItem(
            description=row["description"],
            quantity=Decimal(str(row["quantity"])) if row.get("quantity") else None,
            net_amount=Decimal(str(row.get("net_amount") or 100)).quantize(Decimal("0.01")),
            tax_rate=Decimal(19),
        )
        for row in rows
    ]
    net = sum((item.net_amount for item in items), Decimal(0))
    tax = (net * Decimal("0.19")).quantize(Decimal("0.01"))
    return Invoice(
        invoice_number="1",
        issue_date=date(2026, 1, 1),
        currency="EUR",
        seller_name=rows[0]["vendor"],
        gross_total=net + tax,
        line_items=items,
        tax_breakdown=[TaxBreakdown(rate=Decimal(19), category="S", taxable_amount=net, tax_amount=tax)],
    )


def choice(
    row: Mapping[str, Any],
    policy: BookingPolicy,
    model: AccountModel | None,
    history: VendorHistory | None = None,
) -> AccountChoice:
    return propose(one_line(row), policy, model=model, history=history).lines[0].account


def documents(rows: list[dict[str, Any]]) -> list[list[int]]:
    """The row indexes of each invoice, in order: rows naming the same `document` are one invoice, a row
    without one is an invoice of its own."""
    found: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        found.setdefault(row.get("document") or f"#{index}", []).append(index)
    return list(found.values())


def others_history(
    rows: list[dict[str, Any]], index: int, policy: BookingPolicy, *, by: str
) -> VendorHistory:
    """The vendor's other labelled lines as its bookings a person confirmed, leaving the line itself out: how
    the chain does on a vendor seen before. A placeholder vendor ("[Seller name]") has no history, since
    unrelated invoices share it."""
    vendor = rows[index]["vendor"]
    if vendor.startswith("["):
        return VendorHistory()
    numbers: list[str] = []
    for other in (r for i, r in enumerate(rows) if i != index and r["vendor"] == vendor):
        account = policy.chart.by_category(other["category"]) if by == "category" else None
        numbers.append(account.number if account else other.get("account", ""))
    counts = Counter(n for n in numbers if n)
    return VendorHistory(accounts=dict(counts), entries=len(numbers), confirmed=dict(counts))


@dataclass(frozen=True)
class Miss:
    row: Mapping[str, Any]
    chosen: AccountChoice

    def __str__(self) -> str:
        label = self.row.get("account") or self.row.get("category")
        return (
            f"{self.row['vendor'][:24]!r} {self.row['description'][:48]!r}: labelled {label}, chose "
            f"{self.chosen.account} ({self.chosen.source} {self.chosen.confidence:.2f}: {self.chosen.reason})"
        )


def score(
    rows: list[dict[str, Any]],
    policy: BookingPolicy,
    model: AccountModel | None,
    *,
    by: str,
    with_history: bool = False,
    misses: list[Miss] | None = None,
) -> Score:
    """`by` = "category" compares the chosen account's category, "account" its number. The rows of one
    `document` are proposed as one invoice (`documents`). `with_history`: each line with its vendor's
    other lines as confirmed history (`others_history`), line by line. `misses` collects the wrong lines."""
    right = sure = sure_right = 0
    for indexes in documents(rows) if not with_history else [[i] for i in range(len(rows))]:
        history = others_history(rows, indexes[0], policy, by=by) if with_history else None
        proposal = propose(invoice_of([rows[i] for i in indexes]), policy, model=model, history=history)
        for index, line in zip(indexes, proposal.lines, strict=True):
            row, chosen = rows[index], line.account
            account = policy.chart.get(chosen.account)
            found = chosen.account if by == "account" else (account.category if account else "")
            hit = found == row[by]
            booked = chosen.confidence >= policy.threshold
            right += hit
            sure += booked
            sure_right += booked and hit
            if not hit and misses is not None:
                misses.append(Miss(row, chosen))
    return Score(len(rows), right, sure, sure_right)
