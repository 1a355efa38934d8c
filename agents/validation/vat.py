"""VAT: rates valid for the seller's country and date, reverse charge, intra-EU supplies."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from agents.validation.rates import OTHER_RATES, german_rates_ever, german_rates_on
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice

REVERSE_CHARGE = "AE"
INTRA_EU = "K"
EARLIEST_PLAUSIBLE_YEAR = 1990
_REVERSE_CHARGE_NOTE = re.compile(
    r"reverse.?charge|steuerschuldnerschaft|13\s*b|autoliquidation|inversione contabile|vatex-eu-ae",
    re.IGNORECASE,
)


def check_vat(invoice: Invoice) -> list[Finding]:
    return [*_rates(invoice), *_reverse_charge(invoice), *_intra_eu(invoice)]


def seller_country(invoice: Invoice) -> str | None:
    """The seller's country, from the address or else from the VAT ID's prefix."""
    if invoice.seller_country:
        return invoice.seller_country.upper()
    vat_id = invoice.seller_vat_id or ""
    return vat_id[:2].upper() if vat_id[:2].isalpha() else None


def _used_rates(invoice: Invoice) -> list[Decimal]:
    rates = [row.rate for row in invoice.tax_breakdown] + [line.tax_rate for line in invoice.line_items]
    unique = {rate.normalize() for rate in rates if rate is not None}
    return sorted(unique)


def _rates(invoice: Invoice) -> list[Finding]:
    country = seller_country(invoice)
    if country == "DE":
        return _german_rates(invoice, _plausible([invoice.delivery_date, invoice.issue_date]))
    known = OTHER_RATES.get(country or "")
    if known is None:
        return []
    return [_unknown_rate(rate, country or "") for rate in _used_rates(invoice) if rate not in known]


def _plausible(days: list[date | None]) -> list[date]:
    # Placeholders such as 0001-01-01 say nothing about the rate.
    return [day for day in days if day is not None and day.year >= EARLIEST_PLAUSIBLE_YEAR]


def _german_rates(invoice: Invoice, days: list[date]) -> list[Finding]:
    # The supply date decides the rate (§ 27 (1) UStG). The canonical invoice knows one delivery
    # date and no billing period, so a rate valid on the supply date *or* the issue date passes.
    valid = frozenset().union(*(german_rates_on(day) for day in days)) if days else german_rates_ever()
    findings = []
    for rate in _used_rates(invoice):
        if rate in valid:
            continue
        if rate in german_rates_ever():
            findings.append(_invalid_rate(rate, days))
        else:
            findings.append(_unknown_rate(rate, "DE"))
    return findings


def _invalid_rate(rate: Decimal, days: list[date]) -> Finding:
    when = " or ".join(f"{day:%d.%m.%Y}" for day in days)
    return Finding.of(
        FindingCode.VAT_RATE_INVALID,
        "error",
        f"{rate:f} % was not a German VAT rate on {when}; the date of supply decides the rate.",
        "tax_breakdown",
        "delivery_date",
        "issue_date",
    )


def _unknown_rate(rate: Decimal, country: str) -> Finding:
    # Special schemes (flat-rate farmers, insurance) use other rates legitimately: a person decides.
    return Finding.of(
        FindingCode.VAT_RATE_UNKNOWN,
        "warning",
        f"{rate:f} % is not a usual VAT rate in {country}: a mistake, or a special scheme?",
        "tax_breakdown",
    )


def _categories(invoice: Invoice) -> set[str]:
    rows = {row.category for row in invoice.tax_breakdown}
    lines = {line.tax_category for line in invoice.line_items}
    return {c.upper() for c in rows | lines if c}


def _reverse_charge(invoice: Invoice) -> list[Finding]:
    if REVERSE_CHARGE not in _categories(invoice):
        return []
    rows = [row for row in invoice.tax_breakdown if (row.category or "").upper() == REVERSE_CHARGE]
    findings = []
    if any((row.tax_amount or 0) != 0 or (row.rate or 0) != 0 for row in rows):
        findings.append(
            Finding.of(
                FindingCode.VAT_REVERSE_CHARGE_TAX,
                "error",
                "Under reverse charge (§ 13b UStG) the buyer owes the VAT: no tax may be charged.",
                "tax_breakdown",
            )
        )
    if not _has_reverse_charge_note(invoice, [row.exemption_reason for row in rows]):
        findings.append(
            Finding.of(
                FindingCode.VAT_REVERSE_CHARGE_NOTE_MISSING,
                "error",
                (
                    "A reverse-charge invoice must say so "
                    "(„Steuerschuldnerschaft des Leistungsempfängers“, § 14a (5) UStG); the note is missing."
                ),
                "notes",
                "tax_breakdown",
            )
        )
    return findings


def _has_reverse_charge_note(invoice: Invoice, reasons: list[str | None]) -> bool:
    # EN 16931 accepts any exemption reason text on the rate; a note elsewhere must name the scheme.
    if any(reason and reason.strip() for reason in reasons):
        return True
    return any(_REVERSE_CHARGE_NOTE.search(note) for note in invoice.notes)


def _intra_eu(invoice: Invoice) -> list[Finding]:
    if INTRA_EU not in _categories(invoice):
        return []
    missing = [name for name in ("seller_vat_id", "buyer_vat_id") if not getattr(invoice, name)]
    if not missing:
        return []
    who = " and ".join("seller" if name.startswith("seller") else "buyer" for name in missing)
    return [
        Finding(
            code=FindingCode.VAT_INTRA_EU_VAT_ID_MISSING,
            severity="error",
            message=f"A tax-free intra-EU supply needs the VAT IDs of both parties; the {who}'s is missing.",
            fields=missing,
        )
    ]
