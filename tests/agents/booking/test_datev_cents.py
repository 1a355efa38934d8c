"""Invoices split over several accounts, checked with DATEV's own VAT recomputation per gross row."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from agents.booking import build_postings
from agents.booking.datev_cents import datev_vat, exact_split, gross_range
from schemas.booking import AccountChoice, BookingProposal, Posting, ProposalLine, TaxGroup

CENT = Decimal("0.01")
ACCOUNTS = ("4930", "4940", "4980", "4210", "4806", "4900")


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def datev_recomputed(gross: Decimal, rate: Decimal) -> Decimal:
    """What DATEV books as VAT for a gross row with a tax key (written here again, not imported)."""
    return half_up(gross * rate / (100 + rate))


def proposal(nets: list[Decimal], rate: Decimal, tax: Decimal) -> BookingProposal:
    choice = AccountChoice(account="", name="", confidence=1.0, source="keyword", reason="test")
    lines = [
        ProposalLine(
            index=i,
            description=f"line {i}",
            net_amount=net,
            tax_group=0,
            account=choice.model_copy(update={"account": ACCOUNTS[i % len(ACCOUNTS)]}),
        )
        for i, net in enumerate(nets)
    ]
    group = TaxGroup(
        rate=rate,
        category="S",
        treatment="standard",
        tax_key="9" if rate == 19 else "8",
        taxable_amount=sum(nets, Decimal(0)),
        tax_amount=tax,
        input_vat_account="1576" if rate == 19 else "1571",
    )
    return BookingProposal(
        chart="skr03",
        vendor={"name": "Test"},
        gross_amount=group.taxable_amount + tax,
        payable_account="70000",
        lines=lines,
        taxes=[group],
    )


def datev_view(postings: list[Posting], rate: Decimal) -> tuple[Decimal, Decimal, int]:
    """(Σ gross exported, Σ VAT DATEV books, rounding rows) of one entry's DATEV rows."""
    gross = vat = Decimal(0)
    rounding_rows = 0
    for p in postings:
        sign = 1 if p.side == "debit" else -1
        if p.role == "expense":
            row = p.amount + p.tax_amount
            gross += sign * row
            vat += sign * datev_recomputed(row, rate)
        elif p.role == "vat_rounding":  # booked on the input VAT account without a key: VAT as it stands
            gross += sign * p.amount
            vat += sign * p.amount
            rounding_rows += 1
    return gross, vat, rounding_rows


def random_nets(rng: random.Random) -> list[Decimal]:
    count = rng.randint(2, 6)
    return [Decimal(rng.randint(1, 500_000)) / 100 for _ in range(count)]


def test_10000_random_splits_recompute_to_the_invoice_vat_without_a_rounding_row() -> None:
    rng = random.Random(15)
    differences = rounding_rows = 0
    for _ in range(10_000):
        nets = random_nets(rng)
        rate = rng.choice([Decimal(19), Decimal(7)])
        tax = half_up(sum(nets, Decimal(0)) * rate / 100)  # VAT computed on the invoice total
        p = proposal(nets, rate, tax)
        gross, vat, rows = datev_view(build_postings(p, "70001"), rate)
        differences += gross != p.gross_amount or vat != tax
        rounding_rows += rows
    assert (differences, rounding_rows) == (0, 0)


def test_vat_rounded_per_line_is_matched_or_its_difference_booked_explicitly() -> None:
    rng = random.Random(16)
    differences = rounding_rows = 0
    for _ in range(2_000):
        nets = random_nets(rng) * 3  # many lines, each rounded: the sum can drift from the total's VAT
        rate = Decimal(19)
        tax = sum((half_up(n * rate / 100) for n in nets), Decimal(0))
        p = proposal(nets, rate, tax)
        gross, vat, rows = datev_view(build_postings(p, "70001"), rate)
        differences += gross != p.gross_amount or vat != tax
        rounding_rows += rows
    assert differences == 0
    assert rounding_rows < 2_000  # most are matched by moving cents, not by a rounding row


def test_a_single_row_whose_vat_datev_cannot_derive_gets_a_rounding_row() -> None:
    # 100.00 net but 19.03 VAT (summed per line on the invoice): DATEV derives 19.00 from 119.03.
    postings = build_postings(proposal([Decimal("100.00")], Decimal(19), Decimal("19.03")), "70001")
    rounding = [p for p in postings if p.role == "vat_rounding"]
    assert [(p.account, p.side, p.amount) for p in rounding] == [("1576", "debit", Decimal("0.03"))]
    vat = [p for p in postings if p.role == "input_vat"]
    assert [p.amount for p in vat] == [Decimal("19.00")]
    assert datev_view(postings, Decimal(19)) == (Decimal("119.03"), Decimal("19.03"), 1)


@pytest.mark.parametrize(
    ("gross", "rate", "vat"),
    [(11900, "19", 1900), (10700, "7", 700), (1, "19", 0), (3, "19", 0), (4, "19", 1), (-11900, "19", -1900)],
)
def test_datev_vat_is_gross_times_rate_over_100_plus_rate_half_up(gross: int, rate: str, vat: int) -> None:
    assert datev_vat(gross, Decimal(rate)) == vat


@pytest.mark.parametrize("rate", ["19", "7"])
def test_gross_range_is_exactly_the_grosses_that_yield_the_vat(rate: str) -> None:
    for vat in range(0, 300):
        low, high = gross_range(vat, Decimal(rate))
        assert all(datev_vat(g, Decimal(rate)) == vat for g in range(low, high + 1))
        assert datev_vat(high + 1, Decimal(rate)) == vat + 1
        assert low == 0 or datev_vat(low - 1, Decimal(rate)) == vat - 1


def test_exact_split_keeps_the_totals() -> None:
    split = exact_split([3333, 3333, 3334], [633, 633, 634], Decimal(19))
    assert (sum(split.nets), sum(split.vats), split.rounding) == (10000, 1900, 0)
    assert all(datev_vat(n + v, Decimal(19)) == v for n, v in zip(split.nets, split.vats, strict=True))
