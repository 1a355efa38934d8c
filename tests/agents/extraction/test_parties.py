from decimal import Decimal

from agents.extraction.breakdown import adjustment_rows, vat_rows
from agents.extraction.identifiers import find_vat_ids
from agents.extraction.layout import build_layout
from agents.extraction.parties import name_candidates, party_zones, role_of, zone_country
from tests.agents.extraction.factories import make_read

TWO_BLOCKS = """
Verkäufer
Name: | Lieferant GmbH
Anschrift: | DE 80333 München
USt.-Id.-Nr.: | DE123456789
Käufer
Name: | Kunden AG Mitte
Anschrift: | FR 75018 Paris
USt.-Id.-Nr.: | FR11123456782
"""


def test_named_blocks_give_seller_and_buyer_names() -> None:
    layout = build_layout(make_read(TWO_BLOCKS))
    zones = party_zones(layout)
    assert name_candidates(layout, zones, "seller")[0].text == "Lieferant GmbH"
    assert name_candidates(layout, zones, "buyer")[0].text == "Kunden AG Mitte"


def test_vat_ids_take_the_role_of_their_block() -> None:
    layout = build_layout(make_read(TWO_BLOCKS))
    zones = party_zones(layout)
    roles = {v.value: role_of(v, zones) for v in find_vat_ids(layout)}
    assert roles == {"DE123456789": "seller", "FR11123456782": "buyer"}


def test_country_comes_from_the_address_line() -> None:
    zones = party_zones(build_layout(make_read(TWO_BLOCKS)))
    assert zone_country(zones, "seller") == "DE"
    assert zone_country(zones, "buyer") == "FR"


def test_a_contact_person_line_is_no_party_name() -> None:
    text = "Adresse du Client\nBuyer contact name, Buyer dep\nLE CLIENT\n06000 NICE, FR\n"
    layout = build_layout(make_read(text))
    names = [c.text for c in name_candidates(layout, party_zones(layout), "buyer")]
    assert names[0] == "LE CLIENT"


def test_vat_rows_are_found_by_arithmetic() -> None:
    text = (
        "Umsatzsteuer (S) | 275,00 | 7 | 19,25\n"
        "Umsatzsteuer (S) | 198,00 | 19 | 37,62\n"
        "Trennblätter 20 Stk | 9,90 | 198,00\n"
    )
    rows = vat_rows(build_layout(make_read(text)))
    assert [(r.rate, r.base, r.tax) for r in rows] == [
        (Decimal("7"), Decimal("275.00"), Decimal("19.25")),
        (Decimal("19"), Decimal("198.00"), Decimal("37.62")),
    ]


def test_allowance_and_charge_rows_are_summed() -> None:
    text = (
        "REMISE : REMISE COMMERCIALE 5,00% sur 100,00 EUR | -5,00 | 20,00%\n"
        "REMISE : REMISE COMMERCIALE 1,00% sur 100,00 EUR | -1,00 | 20,00%\n"
        "CHARGE : FRAIS DEPLACEMENT 10,00% sur 100,00 EUR | 10,00 | 20,00%\n"
        "Indemnité forfaitaire pour frais de recouvrement : 40 €\n"
    )
    rows = adjustment_rows(build_layout(make_read(text)))
    assert rows["allowance_total"][0].value == Decimal("-6.00")
    assert [c.value for c in rows["charge_total"]] == [Decimal("10.00")]
