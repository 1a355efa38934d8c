from __future__ import annotations

import random
from decimal import Decimal

import pytest

from agents.booking import build_postings, check_balanced, propose, reversed_postings
from agents.booking.entries import allocate
from agents.booking.errors import UnbalancedEntryError
from schemas.booking import BookingProposal, Posting
from tests.booking_factories import make_invoice, skr03_policy

D = Decimal


def proposal_for(**invoice: object) -> BookingProposal:
    return propose(make_invoice(**invoice), skr03_policy())  # type: ignore[arg-type]


def by_account(postings: list[Posting]) -> dict[str, tuple[str, Decimal]]:
    return {p.account: (p.side, p.amount) for p in postings}


def test_a_19_percent_invoice_debits_expense_and_input_vat_and_credits_the_creditor() -> None:
    postings = build_postings(proposal_for(), "70001")
    assert by_account(postings) == {
        "4930": ("debit", D("100.00")),
        "1576": ("debit", D("19.00")),
        "70001": ("credit", D("119.00")),
    }
    expense = postings[0]
    assert (expense.tax_key, expense.tax_amount) == ("9", D("19.00"))


def test_vat_is_split_per_rate() -> None:
    lines = [("Kopierpapier", "100.00", "19", "S"), ("Fachbuch Steuerrecht", "50.00", "7", "S")]
    postings = build_postings(proposal_for(lines=lines), "70001")
    assert by_account(postings)["1576"] == ("debit", D("19.00"))
    assert by_account(postings)["1571"] == ("debit", D("3.50"))
    assert by_account(postings)["70001"] == ("credit", D("172.50"))
    assert {p.account: p.tax_key for p in postings if p.role == "expense"} == {"4930": "9", "4940": "8"}


def test_a_credit_note_mirrors_the_entry() -> None:
    postings = build_postings(proposal_for(type_code="381"), "70001")
    assert by_account(postings) == {
        "4930": ("credit", D("100.00")),
        "1576": ("credit", D("19.00")),
        "70001": ("debit", D("119.00")),
    }


def test_reverse_charge_self_assesses_the_vat_on_both_sides() -> None:
    lines = [("Montage durch Subunternehmer", "1000.00", "0", "AE")]
    postings = build_postings(proposal_for(lines=lines), "70001")
    assert by_account(postings) == {
        "3100": ("debit", D("1000.00")),
        "1577": ("debit", D("190.00")),
        "1787": ("credit", D("190.00")),
        "70001": ("credit", D("1000.00")),
    }
    assert postings[0].tax_key == "94"


def test_an_intra_eu_invoice_self_assesses_goods_and_services_on_their_own_accounts() -> None:
    """K covers goods (intra-EU acquisition, key 19) and services (§ 13b (1), key 46): the journal books
    each one's VAT where DATEV books it for that key."""
    lines = [("Kopierpapier", "100.00", "0", "K"), ("Beratung", "200.00", "0", "K")]
    postings = build_postings(proposal_for(lines=lines, vat_id="ATU12345678"), "70001")
    assert by_account(postings) == {
        "4930": ("debit", D("100.00")),
        "4950": ("debit", D("200.00")),
        "1574": ("debit", D("19.00")),
        "1774": ("credit", D("19.00")),
        "1577": ("debit", D("38.00")),
        "1787": ("credit", D("38.00")),
        "70001": ("credit", D("300.00")),
    }
    assert {p.account: p.tax_key for p in postings if p.role == "expense"} == {"4930": "19", "4950": "46"}


def test_foreign_vat_is_booked_as_cost_and_flagged() -> None:
    proposal = proposal_for(lines=[("Fournitures papier", "100.00", "20", "S")])
    assert "booking.foreign_vat" in [p.code for p in proposal.problems]
    assert by_account(build_postings(proposal, "70001")) == {
        "4930": ("debit", D("120.00")),
        "70001": ("credit", D("120.00")),
    }


def test_vat_of_one_rate_is_shared_by_its_accounts_to_the_cent() -> None:
    lines = [
        ("Kopierpapier", "33.33", "19", "S"),
        ("Porto", "33.33", "19", "S"),
        ("Toner", "33.34", "19", "S"),
    ]
    postings = build_postings(proposal_for(lines=lines), "70001")
    expenses = [p for p in postings if p.role == "expense"]
    assert sum(p.tax_amount for p in expenses) == D("19.00")
    assert sum(p.amount + p.tax_amount for p in expenses) == D("119.00")


def test_an_invoice_whose_parts_miss_its_gross_total_is_refused() -> None:
    invoice = make_invoice()
    invoice.gross_total = D("119.01")
    proposal = propose(invoice, skr03_policy())
    assert "booking.gross_mismatch" in [p.code for p in proposal.blocking]
    with pytest.raises(UnbalancedEntryError, match="does not balance"):
        build_postings(proposal, "70001")


def test_check_balanced_refuses_unbalanced_postings() -> None:
    postings = [
        Posting(account="4930", side="debit", amount=D("10.00"), role="expense"),
        Posting(account="70001", side="credit", amount=D("9.99"), role="payable"),
    ]
    with pytest.raises(UnbalancedEntryError):
        check_balanced(postings)
    check_balanced(reversed_postings([*postings[:1], postings[0].model_copy(update={"side": "credit"})]))


def test_allocation_always_adds_up_exactly() -> None:
    rng = random.Random(7)
    for _ in range(500):
        weights = [D(rng.randint(-5000, 90000)) / 100 for _ in range(rng.randint(1, 6))]
        total = D(rng.randint(-100000, 100000)) / 100
        parts = allocate(total, weights)
        assert sum(parts) == total
        assert all(p == p.quantize(D("0.01")) for p in parts)


def test_random_invoices_always_balance() -> None:
    rng = random.Random(11)
    texts = ["Kopierpapier", "Porto", "Hotel", "Beratung", "Miete", "Schrauben"]
    for i in range(200):
        lines = [
            (rng.choice(texts), f"{rng.randint(1, 500000) / 100:.2f}", rng.choice(["19", "7", "0"]), "S")
            for _ in range(rng.randint(1, 8))
        ]
        lines = [(d, n, r, "Z" if r == "0" else c) for d, n, r, c in lines]
        proposal = proposal_for(lines=lines, number=f"R-{i}")
        postings = build_postings(proposal, "70001")
        debit = sum(p.amount for p in postings if p.side == "debit")
        assert debit == sum(p.amount for p in postings if p.side == "credit") == proposal.gross_amount
