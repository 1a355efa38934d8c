"""§ 6 (2) EStG: movable goods over 800 EUR net per unit are fixed assets, flagged; services never are."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Literal

import pytest

from agents.booking import propose
from agents.booking.assets import capitalised, unit_price
from agents.booking.groups import Item
from schemas.booking import AccountChoice, BookingProposal
from schemas.invoice import Invoice
from tests.booking_factories import make_invoice, skr03_policy

LowValue = Literal["expense", "gwg"]


def with_quantity(invoice: Invoice, quantity: str) -> Invoice:
    lines = [line.model_copy(update={"quantity": Decimal(quantity)}) for line in invoice.line_items]
    return invoice.model_copy(update={"line_items": lines})


def proposal(description: str, net: str, quantity: str = "1", **policy: object) -> BookingProposal:
    invoice = with_quantity(make_invoice(lines=[(description, net, "19", "S")]), quantity)
    return propose(invoice, replace(skr03_policy(), **policy))  # type: ignore[arg-type]


def accounts(p: BookingProposal) -> list[str]:
    return [line.account.account for line in p.lines]


def codes(p: BookingProposal) -> list[str]:
    return [f.code for f in p.problems]


def test_a_laptop_over_800_euro_net_is_a_fixed_asset_and_flagged() -> None:
    p = proposal("Laptop 15 Zoll", "1299.00")
    assert accounts(p) == ["0410"]  # the asset account whose keywords name it: Geschäftsausstattung
    assert "booking.fixed_asset" in codes(p)
    assert "1299.00" in next(f.message for f in p.problems if f.code == "booking.fixed_asset")


def test_an_asset_no_asset_account_names_goes_to_the_general_one() -> None:
    p = proposal("Kaffeemaschine Siebträger", "900.00")
    assert accounts(p) == ["0490"]
    assert "booking.fixed_asset" in codes(p)


def test_the_limit_is_per_unit_not_per_line() -> None:
    three_chairs = proposal("Bürostuhl ergonomisch", "1500.00", quantity="3")  # 500 EUR each
    assert accounts(three_chairs) == ["0480"]
    assert "booking.fixed_asset" not in codes(three_chairs)


def test_services_are_never_assets() -> None:
    p = proposal("Steuerberatung Jahresabschluss", "2500.00")
    assert accounts(p) in (["4950"], ["4957"], ["4900"])  # two keywords match: the model's or the default
    assert "booking.fixed_asset" not in codes(p)


@pytest.mark.parametrize("text", ["Leckortung Einsatz Techniker", "Steuerberatung Jahresabschluss"])
def test_a_service_left_on_the_default_account_is_no_low_value_asset(text: str) -> None:
    # The default account is a catch-all: a line left there that names a service (or the keywords of
    # several accounts) is not a good, so neither § 6 (2) rule moves it.
    p = proposal(text, "400.00", low_value_assets="gwg")
    assert accounts(p) == ["4900"]


@pytest.mark.parametrize(("text", "account"), [("Gerät XY-200", "0490"), ("Montage Gerät XY-200", "4900")])
def test_on_the_default_account_a_thing_follows_the_asset_rule_and_a_service_does_not(
    text: str, account: str
) -> None:
    policy = skr03_policy()
    default = AccountChoice(account="4900", name="Sonstige", confidence=0, source="default", reason="")
    item = Item(description=text, net_amount=Decimal("900.00"), rate=Decimal(19), category="S")
    assert capitalised(default, item, 0, policy, []).account == account


@pytest.mark.parametrize(("setting", "account"), [("expense", "4930"), ("gwg", "0480")])
def test_250_to_800_euro_per_unit_follows_the_setting(setting: LowValue, account: str) -> None:
    office = AccountChoice(account="4930", name="Bürobedarf", confidence=0.9, source="keyword", reason="")
    item = Item(
        description="Aktenvernichter Büromaterial", net_amount=Decimal(400), rate=Decimal(19), category="S"
    )
    policy = replace(skr03_policy(), low_value_assets=setting)
    assert capitalised(office, item, 0, policy, []).account == account


def test_the_low_value_asset_account_is_the_default_for_250_to_800_euro() -> None:
    # § 6 (2) S. 4 EStG: such goods are listed unless the books show them; their own account shows them.
    assert skr03_policy().low_value_assets == "gwg"
    assert accounts(proposal("Bürostuhl ergonomisch", "400.00")) == ["0480"]


def test_office_supplies_of_250_to_800_euro_are_consumables_not_low_value_assets() -> None:
    assert accounts(proposal("Kopierpapier A4 Palette", "400.00", low_value_assets="gwg")) == ["4930"]


def test_a_low_value_asset_of_at_most_250_euro_is_an_expense_for_a_person_to_confirm() -> None:
    # "Monitor" names the low-value asset account; at 200 EUR per unit § 6 (2a) EStG expenses it.
    p = proposal("Monitor Full HD", "400.00", quantity="2")
    (line,) = p.lines
    assert (line.account.account, line.account.confidence < 0.8) == ("4985", True)
    assert "§ 6 (2a)" in line.account.reason
    assert accounts(proposal("Monitor Full HD", "600.00", quantity="2")) == ["0480"]  # 300 EUR per unit


def test_below_250_euro_nothing_changes() -> None:
    assert accounts(proposal("Kopierpapier", "200.00", low_value_assets="gwg")) == ["4930"]


def test_a_reviewers_choice_is_not_overruled() -> None:
    invoice = make_invoice(lines=[("Laptop 15 Zoll", "1299.00", "19", "S")])
    mine = AccountChoice(account="4930", name="Bürobedarf", confidence=1.0, source="reviewer", reason="r")
    p = propose(invoice, skr03_policy(), overrides={0: mine})
    assert (accounts(p), "booking.fixed_asset" in codes(p)) == (["4930"], False)


@pytest.mark.parametrize(("quantity", "expected"), [(None, "900"), (Decimal(0), "900"), (Decimal(3), "300")])
def test_unit_price(quantity: Decimal | None, expected: str) -> None:
    item = Item("x", Decimal(900), Decimal(19), "S", quantity)
    assert unit_price(item) == Decimal(expected)


@pytest.mark.parametrize(
    ("description", "net", "account"),
    [
        ("Projektor Epson EB-X49", "120.00", "4985"),  # at most 250 EUR: an expense (§ 6 (2a) EStG)
        ("Kopiersystem A3 farbig", "2400.00", "0410"),  # over 800 EUR: the asset account naming it
    ],
)
def test_a_thing_only_a_fixed_asset_account_names_is_equipment_not_goods(
    description: str, net: str, account: str
) -> None:
    # No choosable keyword and no service: without a fixed-asset keyword this would be the goods fallback.
    p = proposal(description, net)
    assert accounts(p) == [account]
    assert p.lines[0].account.confidence < 0.8  # a rule's guess, for a person to confirm
    assert ("booking.fixed_asset" in codes(p)) == (account == "0410")


def test_a_thing_no_account_names_stays_goods_whatever_it_costs() -> None:
    p = proposal("Armbanduhr Chronograph", "3200.00")  # bought for resale as far as the chart can tell
    assert accounts(p) == ["3200"]
    assert "booking.fixed_asset" not in codes(p)
