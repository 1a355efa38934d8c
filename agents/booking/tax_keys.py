"""VAT treatment and DATEV tax keys (BU-Schlüssel) for the purchase side.

| treatment | when (UNTDID 5305 category, rate) | BU key | booked |
| --- | --- | --- | --- |
| standard | S, 19 % / 7 % | 9 / 8 | net to expense, VAT to input VAT |
| exempt | E, Z, O, G or 0 % | none | net to expense |
| reverse_charge | AE (§ 13b UStG) | 94 (19 %) / 91 (7 %) | net to expense, VAT self-assessed |
| intra_eu | K (innergemeinschaftlicher Erwerb) | 19 (19 %) / 18 (7 %) | net to expense, VAT self-assessed |
| foreign | any other rate (French, Dutch VAT ...) | none | gross to expense: not deductible here |

Invoices under § 13b and intra-EU acquisitions show 0 % VAT; the buyer owes German VAT on them. Kontor
self-assesses at `SELF_ASSESSED_RATE` (19 %); a reviewer handles the rare 7 % case.

Per row, `row_tax_key` refines the group's key by case, since the cases land on different lines of the
VAT return (UStVA): a service from a supplier established in another EU country is § 13b (1) UStG
(key 46, Kz 46/47), whether the invoice says AE or K; other § 13b cases (construction, scrap, cleaning,
supplies of non-EU suppliers: § 13b (2)) keep 94 (Kz 84/85); goods under K are an intra-EU acquisition
(19, Kz 89/61). A row on an Automatikkonto carries no key: DATEV takes the VAT from the account.
Services are told from goods by the expense account's chart category (`SERVICE_CATEGORIES`).
"""

from __future__ import annotations

from decimal import Decimal

from schemas.booking import Treatment

SELF_ASSESSED_RATE = Decimal(19)
GERMAN_RATES = (Decimal(19), Decimal(7))
EXEMPT_CATEGORIES = frozenset({"E", "Z", "O", "G"})

TAX_KEYS: dict[tuple[Treatment, Decimal], str] = {
    ("standard", Decimal(19)): "9",
    ("standard", Decimal(7)): "8",
    ("reverse_charge", Decimal(19)): "94",
    ("reverse_charge", Decimal(7)): "91",
    ("intra_eu", Decimal(19)): "19",
    ("intra_eu", Decimal(7)): "18",
}

#: Keys of German input VAT charged on the invoice (deductible once the invoice is in hand).
STANDARD_KEYS = frozenset(TAX_KEYS[("standard", rate)] for rate in GERMAN_RATES)
#: § 13b (1) UStG: a service of a supplier established in another EU country, 19 % VAT and input VAT.
EU_SERVICE_KEY = "46"
#: Keys of intra-EU cases whose DATEV rows name the supplier's VAT ID (column 123).
EU_TAX_KEYS = frozenset({*(TAX_KEYS[("intra_eu", rate)] for rate in GERMAN_RATES), EU_SERVICE_KEY})
#: Chart categories of services (everything else is treated as goods).
SERVICE_CATEGORIES = frozenset(
    {
        "services",
        "consulting",
        "software",
        "it_maintenance",
        "advertising",
        "training",
        "telecom",
        "repairs",
        "rent",
        "travel",
        "hospitality",
        "insurance",
        "freight",
        "postage",
        "waste",
        "cleaning",
        "bank_fees",
        "commissions",
        "warranty",
    }
)
#: EU member states as VAT IDs name them (Greece: EL); Germany is not "another EU country".
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def in_other_eu_country(country: str | None, vat_id: str | None) -> bool:
    """The supplier is established in an EU member state other than Germany (by VAT ID, else country)."""
    code = (vat_id or "")[:2].upper() if (vat_id or "")[:2].isalpha() else (country or "").upper()
    return code in EU_COUNTRIES


def row_tax_key(
    group_key: str | None, kind: Treatment, *, service: bool, eu_supplier: bool, automatic: bool
) -> str | None:
    """The BU key of one DATEV row of a tax group with key `group_key` (see the module docstring)."""
    if automatic:
        return None
    if kind == "intra_eu" and service:
        return EU_SERVICE_KEY
    if kind == "reverse_charge" and service and eu_supplier:
        return EU_SERVICE_KEY
    return group_key


def treatment(rate: Decimal | None, category: str | None) -> Treatment:
    """How VAT at `rate` with UNTDID 5305 `category` is booked by a German buyer."""
    code = (category or "").strip().upper()
    if code == "AE":
        return "reverse_charge"
    if code == "K":
        return "intra_eu"
    if code in EXEMPT_CATEGORIES or rate is None or rate == 0:
        return "exempt"
    if rate in GERMAN_RATES:
        return "standard"
    return "foreign"


def tax_key(kind: Treatment, rate: Decimal | None) -> str | None:
    """The DATEV BU key, or None where the booking needs none."""
    if kind in ("reverse_charge", "intra_eu"):
        return TAX_KEYS[(kind, SELF_ASSESSED_RATE)]
    if kind == "standard" and rate is not None:
        return TAX_KEYS.get((kind, rate))
    return None


def self_assessed_rate(kind: Treatment) -> Decimal | None:
    return SELF_ASSESSED_RATE if kind in ("reverse_charge", "intra_eu") else None
