from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest

from agents.booking import BookingPolicy, build_postings, propose
from agents.booking.chart import parse_chart
from agents.booking.tax_keys import in_other_eu_country, tax_key, treatment
from schemas.invoice import Invoice
from tests.booking_factories import make_invoice, skr03_policy


@pytest.mark.parametrize(
    ("rate", "category", "expected", "key"),
    [
        ("19", "S", "standard", "9"),
        ("19.00", None, "standard", "9"),
        ("7", "S", "standard", "8"),
        ("0", "Z", "exempt", None),
        ("0", "E", "exempt", None),
        ("0", "O", "exempt", None),
        ("0", "AE", "reverse_charge", "94"),
        ("0", "K", "intra_eu", "19"),
        ("20", "S", "foreign", None),
        ("21", "S", "foreign", None),
    ],
)
def test_each_vat_case_gets_its_treatment_and_datev_key(
    rate: str, category: str | None, expected: str, key: str | None
) -> None:
    kind = treatment(Decimal(rate), category)
    assert kind == expected
    assert tax_key(kind, Decimal(rate)) == key


def rows_of(invoice: Invoice, policy: BookingPolicy | None = None) -> dict[str, str | None]:
    """Expense account → DATEV tax key of the entry's rows."""
    postings = build_postings(propose(invoice, policy or skr03_policy()), "70001")
    return {p.account: p.tax_key for p in postings if p.role == "expense"}


def supplier(country: str, vat_id: str | None, *lines: tuple[str, str, str, str]) -> Invoice:
    return make_invoice(seller="Lieferant", vat_id=vat_id, lines=lines).model_copy(
        update={"seller_country": country}
    )


@pytest.mark.parametrize(
    ("country", "vat_id", "line", "account", "key"),
    [
        # § 13b (2): a German subcontractor's construction work stays on 94.
        ("DE", "DE333333333", ("Montage Trockenbau", "500", "0", "AE"), "3100", "94"),
        # § 13b (1): a service of a supplier established in another EU country.
        ("AT", "ATU12345678", ("Steuerberatung", "500", "0", "AE"), "4950", "46"),
        # § 13b (2) no. 1: a service of a non-EU supplier is not § 13b (1).
        ("US", None, ("Consulting", "500", "0", "AE"), "4950", "94"),
        # Category K: goods are an intra-EU acquisition, services § 13b (1).
        ("AT", "ATU12345678", ("Kopierpapier", "500", "0", "K"), "4930", "19"),
        ("FR", "FR12345678901", ("Beratung", "500", "0", "K"), "4950", "46"),
    ],
)
def test_reverse_charge_and_intra_eu_keys_follow_the_case(
    country: str, vat_id: str | None, line: tuple[str, str, str, str], account: str, key: str
) -> None:
    assert rows_of(supplier(country, vat_id, line)) == {account: key}


def test_one_k_invoice_with_goods_and_services_gets_a_key_per_row() -> None:
    invoice = supplier("AT", "ATU12345678", ("Kopierpapier", "300", "0", "K"), ("Beratung", "200", "0", "K"))
    assert rows_of(invoice) == {"4930": "19", "4950": "46"}


def test_rows_on_an_automatic_account_carry_no_tax_key() -> None:
    text = resources.files("agents.booking").joinpath("charts", "skr03.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    header, rows = lines[0], lines[1:]
    assert header.endswith(";automatic")
    # A company chart that marks only Bürobedarf as an Automatikkonto.
    marked = [row.rsplit(";", 1)[0] + (";1" if row.startswith("4930;") else ";") for row in rows]
    chart = parse_chart("\n".join([header, *marked]), "company")
    assert [a.number for a in chart.accounts if a.automatic] == ["4930"]
    policy = BookingPolicy(chart=chart, default_account=chart.default, threshold=0.8)
    invoice = make_invoice(lines=[("Kopierpapier", "100", "19", "S"), ("Beratung", "100", "19", "S")])
    assert rows_of(invoice, policy) == {"4930": None, "4950": "9"}


@pytest.mark.parametrize(
    ("country", "vat_id", "expected"),
    [
        ("AT", None, True),
        ("DE", "ATU1", True),
        ("DE", "DE1", False),
        ("CH", "CHE1", False),
        ("GR", "EL1", True),
    ],
)
def test_the_supplier_country_comes_from_the_vat_id_first(
    country: str, vat_id: str | None, expected: bool
) -> None:
    assert in_other_eu_country(country, vat_id) is expected
