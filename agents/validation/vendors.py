"""Vendors: who the seller is on file, and whether the bank account is the one we know."""

from __future__ import annotations

from collections.abc import Iterable

from agents.validation.normalize import compact_id, company_key
from agents.validation.ports import KnownVendor
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice


def match_vendor(invoice: Invoice, vendors: Iterable[KnownVendor]) -> KnownVendor | None:
    """The best match: same VAT ID, else same tax number, else the same name (legal form aside)."""
    candidates = list(vendors)
    keys = (
        (invoice.seller_vat_id, "vat_id", compact_id),
        (invoice.seller_tax_number, "tax_number", compact_id),
        (invoice.seller_name, "name", company_key),
    )
    for value, attribute, normal in keys:
        if not value:
            continue
        for vendor in candidates:
            other: str | None = getattr(vendor, attribute)
            if other and normal(other) == normal(value):
                return vendor
    return None


def payee_ibans(invoice: Invoice) -> list[str]:
    values = [invoice.iban, *invoice.ibans]
    return list(dict.fromkeys(compact_id(v) for v in values if v))


def check_vendor(invoice: Invoice, vendor: KnownVendor | None) -> list[Finding]:
    if vendor is None:
        if not (invoice.seller_name or invoice.seller_vat_id):
            return []
        return [
            Finding.of(
                FindingCode.VENDOR_NEW,
                "warning",
                f"No vendor on file for {invoice.seller_name or invoice.seller_vat_id} yet.",
                "seller_name",
                "seller_vat_id",
            )
        ]
    return [*_bank(invoice, vendor), *_vat_id(invoice, vendor)]


def _bank(invoice: Invoice, vendor: KnownVendor) -> list[Finding]:
    known = {compact_id(iban) for iban in vendor.ibans}
    unknown = [iban for iban in payee_ibans(invoice) if iban not in known]
    if not unknown:
        return []
    if not known:
        return [
            Finding.of(
                FindingCode.BANK_UNVERIFIED,
                "warning",
                f"No bank account on file for {vendor.name}: the IBAN {unknown[0]} is unverified.",
                "iban",
            )
        ]
    # A changed bank account is the classic invoice fraud: never pay before confirming it.
    on_file = ", ".join(_masked(iban) for iban in sorted(known))
    return [
        Finding.of(
            FindingCode.BANK_CHANGED,
            "error",
            (
                f"The IBAN {iban} is not on file for {vendor.name} (on file: {on_file}). "
                "Confirm the change with the vendor through a known contact before paying."
            ),
            "iban",
        )
        for iban in unknown
    ]


def _vat_id(invoice: Invoice, vendor: KnownVendor) -> list[Finding]:
    theirs, ours = invoice.seller_vat_id, vendor.vat_id
    if not theirs or not ours or compact_id(theirs) == compact_id(ours):
        return []
    return [
        Finding.of(
            FindingCode.VENDOR_VAT_ID_CHANGED,
            "warning",
            f"{vendor.name} is on file with VAT ID {ours}, but this invoice shows {theirs}.",
            "seller_vat_id",
        )
    ]


def _masked(iban: str) -> str:
    return f"{iban[:4]}…{iban[-4:]}"
