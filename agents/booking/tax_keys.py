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

#: Keys of intra-EU cases whose DATEV rows name the supplier's VAT ID (column 123).
EU_TAX_KEYS = frozenset({TAX_KEYS[("intra_eu", rate)] for rate in GERMAN_RATES})


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
