from decimal import Decimal

from agents.extraction.candidates import Candidate
from agents.extraction.constraints import solve_totals


def cand(field: str, value: str, strength: float = 1.0) -> Candidate:
    return Candidate(
        field=field,
        value=Decimal(value),
        text=value,
        page=1,
        bbox=(0.0, 0.0, 1.0, 1.0),
        source=f"label:{field}",
        strength=strength,
        line=0,
    )


def test_the_triple_that_adds_up_wins_over_stronger_labels() -> None:
    totals = solve_totals(
        {
            "net_total": [cand("net_total", "198.00", 1.0), cand("net_total", "473.00", 0.5)],
            "tax_total": [cand("tax_total", "56.87")],
            "gross_total": [cand("gross_total", "529.87")],
        }
    )
    assert totals["net_total"].value == Decimal("473.00")
    assert totals["net_total"].evidence == 1.0


def test_a_tax_larger_than_its_net_is_no_reading() -> None:
    """A tax line printing its base beside the tax ("MwSt. 19 % | 300,00 | 57,00") offers both amounts as
    tax and both as net; only the reading with the tax below the net is a VAT invoice."""
    totals = solve_totals(
        {
            "net_total": [cand("net_total", "57.00", 1.0), cand("net_total", "300.00", 0.5)],
            "tax_total": [cand("tax_total", "300.00", 1.0), cand("tax_total", "57.00", 0.5)],
            "gross_total": [cand("gross_total", "357.00")],
        }
    )
    assert (totals["net_total"].value, totals["tax_total"].value) == (Decimal("300.00"), Decimal("57.00"))
    assert totals["tax_total"].evidence == 1.0


def test_missing_tax_is_computed_and_named_by_its_rule() -> None:
    totals = solve_totals(
        {"net_total": [cand("net_total", "100.00")], "gross_total": [cand("gross_total", "119.00")]}
    )
    assert totals["tax_total"].value == Decimal("19.00")
    assert totals["tax_total"].candidate is None
    assert totals["tax_total"].rule.startswith("rule:")


def test_prepaid_amount_links_gross_and_due() -> None:
    totals = solve_totals(
        {
            "net_total": [cand("net_total", "193.83")],
            "tax_total": [cand("tax_total", "21.31")],
            "gross_total": [cand("gross_total", "215.14")],
            "amount_due": [cand("amount_due", "165.14")],
            "prepaid_amount": [cand("prepaid_amount", "50.00")],
        }
    )
    assert totals["prepaid_amount"].value == Decimal("50.00")
    assert totals["amount_due"].evidence == 1.0


def test_due_equal_to_gross_means_nothing_was_prepaid() -> None:
    totals = solve_totals(
        {
            "net_total": [cand("net_total", "10.00")],
            "tax_total": [cand("tax_total", "1.90")],
            "gross_total": [cand("gross_total", "11.90")],
            "amount_due": [cand("amount_due", "11.90")],
        }
    )
    assert totals["prepaid_amount"].value == Decimal("0")


def _core_with_due(due: str, printed: list[str]) -> dict[str, list[Candidate]]:
    """Net 100 + tax 19 = gross 119, a labelled amount due, and other amounts printed on the page."""
    return {
        "net_total": [cand("net_total", "100.00")],
        "tax_total": [cand("tax_total", "19.00")],
        "gross_total": [cand("gross_total", "119.00")],
        "amount_due": [cand("amount_due", due)],
        "printed": [cand("printed", value, 0.05) for value in printed],
    }


def test_an_amount_due_below_gross_invents_no_prepayment() -> None:
    totals = solve_totals(_core_with_due("1.00", ["100.00", "19.00", "119.00"]))
    assert totals["amount_due"].value == Decimal("1.00")
    assert "prepaid_amount" not in totals


def test_a_prepayment_printed_as_a_deduction_links_gross_and_due() -> None:
    options = _core_with_due("69.00", [])
    options["prepaid_amount"] = [cand("prepaid_amount", "-50.00")]
    totals = solve_totals(options)
    assert totals["prepaid_amount"].value == Decimal("50.00")
    assert totals["amount_due"].evidence == 1.0


def test_allowances_and_charges_reconcile_lines_with_net() -> None:
    totals = solve_totals(
        {
            "net_total": [cand("net_total", "193.83")],
            "tax_total": [cand("tax_total", "21.31")],
            "gross_total": [cand("gross_total", "215.14")],
            "line_total": [cand("line_total", "202.76")],
            "allowance_total": [cand("allowance_total", "-14.73", 0.3)],
            "charge_total": [cand("charge_total", "5.80", 0.3)],
        }
    )
    assert totals["line_total"].value == Decimal("202.76")
    assert totals["allowance_total"].value == Decimal("14.73")
    assert totals["charge_total"].value == Decimal("5.80")


def test_without_adjustments_the_line_total_equals_net() -> None:
    totals = solve_totals(
        {
            "net_total": [cand("net_total", "100.00")],
            "tax_total": [cand("tax_total", "19.00")],
            "gross_total": [cand("gross_total", "119.00")],
        }
    )
    assert totals["line_total"].value == Decimal("100.00")
    assert totals["allowance_total"].value == Decimal("0")
