"""The finer points of single checks, on hand-made canonical invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agents.validation.arithmetic import check_arithmetic
from agents.validation.normalize import company_key, invoice_number_key
from agents.validation.policy import decide
from agents.validation.settings import ValidationSettings
from agents.validation.statutory import check_statutory
from agents.validation.vat import check_vat
from schemas.finding import Finding
from schemas.invoice import Invoice, LineItem, TaxBreakdown

SETTINGS = ValidationSettings()


def german(rate: str, *, delivered: date | None, issued: date = date(2021, 3, 1)) -> Invoice:
    return Invoice(
        seller_country="DE",
        issue_date=issued,
        delivery_date=delivered,
        tax_breakdown=[TaxBreakdown(rate=Decimal(rate), category="S")],
    )


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


@pytest.mark.parametrize(
    ("rate", "delivered", "expected"),
    [
        ("16", date(2020, 8, 1), []),  # the temporary rate inside its window
        ("5", date(2020, 12, 31), []),
        ("19", date(2020, 8, 1), []),  # issued 2021: a supply spanning the change may bill 19 %
        ("16", date(2021, 1, 2), ["vat.rate_invalid"]),
        ("5", date(2019, 5, 1), ["vat.rate_invalid"]),
        ("10.7", date(2021, 2, 1), ["vat.rate_unknown"]),  # § 24 flat rate: a person decides
        ("19", date(1, 1, 1), []),  # placeholder delivery date, issue date decides
    ],
)
def test_german_rates_follow_the_date_of_supply(rate: str, delivered: date, expected: list[str]) -> None:
    assert codes(check_vat(german(rate, delivered=delivered))) == expected


def test_the_temporary_rates_are_checked_by_the_issue_date_without_a_delivery_date() -> None:
    invoice = german("19", delivered=None, issued=date(2020, 9, 30))
    assert codes(check_vat(invoice)) == ["vat.rate_invalid"]


def test_rates_of_unlisted_countries_are_not_judged() -> None:
    invoice = Invoice(seller_country="AF", tax_breakdown=[TaxBreakdown(rate=Decimal("12"))])
    assert check_vat(invoice) == []


def test_a_reverse_charge_note_among_the_notes_suffices() -> None:
    invoice = Invoice(
        seller_country="DE",
        notes=["Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG)"],
        tax_breakdown=[TaxBreakdown(rate=Decimal(0), category="AE", tax_amount=Decimal(0))],
    )
    assert check_vat(invoice) == []


def test_tax_rounded_per_line_is_tolerated_up_to_half_a_cent_per_line() -> None:
    lines = [LineItem(net_amount=Decimal("0.13"), tax_rate=Decimal(19)) for _ in range(10)]
    # Each line's 0.0247 rounds to 0.02: 0.20 in all, where the sum's 19 % is 0.25.
    row = TaxBreakdown(rate=Decimal(19), taxable_amount=Decimal("1.30"), tax_amount=Decimal("0.20"))
    invoice = Invoice(line_items=lines, tax_breakdown=[row])
    assert check_arithmetic(invoice, SETTINGS) == []
    off = invoice.model_copy(
        update={"tax_breakdown": [row.model_copy(update={"tax_amount": Decimal("0.15")})]}
    )
    assert codes(check_arithmetic(off, SETTINGS)) == ["arithmetic.rate_tax_mismatch"]


def test_forint_amounts_are_rounded_to_whole_units() -> None:
    row = TaxBreakdown(rate=Decimal(27), taxable_amount=Decimal("69180"), tax_amount=Decimal("18679"))
    assert check_arithmetic(Invoice(currency="HUF", tax_breakdown=[row]), SETTINGS) == []
    assert check_arithmetic(Invoice(currency="EUR", tax_breakdown=[row]), SETTINGS) != []


def test_missing_amounts_are_not_arithmetic_faults() -> None:
    assert check_arithmetic(Invoice(gross_total=Decimal(100)), SETTINGS) == []


def test_sub_lines_and_information_lines_do_not_count_twice() -> None:
    invoice = Invoice(
        line_total=Decimal(100),
        line_items=[
            LineItem(line_id="1", net_amount=Decimal(100)),
            LineItem(line_id="1.1", parent_line_id="1", net_amount=Decimal(60)),
            LineItem(line_id="2", net_amount=Decimal(5), informational=True),
        ],
    )
    assert check_arithmetic(invoice, SETTINGS) == []


def test_a_small_amount_invoice_needs_no_buyer_or_number() -> None:
    small = Invoice(
        seller_name="Bäckerei Korn",
        seller_address="Markt 1, 12345 Dorf",
        issue_date=date(2024, 5, 2),
        currency="EUR",
        gross_total=Decimal("12.60"),
        line_items=[LineItem(description="Brötchen", quantity=Decimal(12), net_amount=Decimal("11.78"))],
        tax_breakdown=[TaxBreakdown(rate=Decimal(7))],
    )
    assert check_statutory(small, SETTINGS) == []
    large = small.model_copy(update={"gross_total": Decimal("250.01")})
    assert "statutory.buyer_name_missing" in codes(check_statutory(large, SETTINGS))


def test_the_small_amount_limit_is_in_euros() -> None:
    invoice = Invoice(currency="USD", gross_total=Decimal(10))
    assert "statutory.invoice_number_missing" in codes(check_statutory(invoice, SETTINGS))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("RE-0042", "re 42", True),
        ("RE0042", "RE-42", True),
        ("2024/001", "2024-1", True),
        ("42", "43", False),
    ],
)
def test_invoice_numbers_compare_without_formatting(a: str, b: str, same: bool) -> None:
    assert (invoice_number_key(a) == invoice_number_key(b)) is same


def test_company_names_compare_without_legal_form() -> None:
    assert company_key("Müller Bürobedarf GmbH & Co. KG") == company_key("MÜLLER BÜROBEDARF")
    assert company_key("Lieferant GmbH") != company_key("Lieferant AG Nord")


def test_the_review_set_takes_patterns_and_errors_always_count() -> None:
    findings = [
        Finding(code="date.due_before_issue", severity="warning", message="."),
        Finding(code="statutory.buyer_name_missing", severity="warning", message="."),
        Finding(code="bank.changed", severity="error", message="."),
    ]
    decision = decide(findings, ["statutory.*"])
    assert decision.status == "needs_review"
    assert decision.reasons == ["bank.changed", "statutory.buyer_name_missing"]
    assert decide(findings[:1], ["statutory.*"]).status == "ready"
