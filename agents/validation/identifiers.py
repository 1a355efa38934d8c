"""Identifiers: VAT IDs, tax number, IBANs and BIC are well-formed, and the invoice is addressed to us."""

from __future__ import annotations

from collections.abc import Callable

from stdnum import bic, iban, vatin
from stdnum.de import stnr
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from agents.validation.normalize import compact_id, company_key
from agents.validation.settings import ValidationSettings
from agents.validation.vat import seller_country
from agents.validation.vendors import payee_ibans
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice

# Check-digit failures are warnings, not errors: a misread digit and a fictitious sample look the same,
# and the review policy sends them to a person anyway.
LABELS = {"seller_vat_id": "seller's VAT ID", "buyer_vat_id": "buyer's VAT ID", "payer_iban": "debit IBAN"}


def check_identifiers(invoice: Invoice) -> list[Finding]:
    findings = [_vat_id(invoice, name) for name in ("seller_vat_id", "buyer_vat_id")]
    findings.append(_tax_number(invoice))
    findings.extend(_iban(value, "iban") for value in payee_ibans(invoice))
    findings.append(_iban(invoice.payer_iban, "payer_iban") if invoice.payer_iban else None)
    findings.append(_bic(invoice.bic))
    return [f for f in findings if f is not None]


def _invalid(check: Callable[[str], object], value: str) -> str | None:
    """Why `value` fails `check`, or None when it passes or cannot be checked (unknown country)."""
    try:
        check(value)
    except InvalidComponent:
        return None
    except InvalidChecksum:
        return "wrong check digits"
    except InvalidLength:
        return "wrong length"
    except ValidationError:
        return "wrong format"
    return None


def _vat_id(invoice: Invoice, name: str) -> Finding | None:
    value = getattr(invoice, name)
    reason = _invalid(vatin.validate, value) if value else None
    if reason is None:
        return None
    return Finding.of(
        FindingCode.IDENTIFIERS_VAT_ID_INVALID,
        "warning",
        f"The {LABELS[name]} {value} is not valid ({reason}).",
        name,
    )


def _tax_number(invoice: Invoice) -> Finding | None:
    value = invoice.seller_tax_number
    if not value or seller_country(invoice) != "DE" or stnr.is_valid(value):
        return None
    return Finding.of(
        FindingCode.IDENTIFIERS_TAX_NUMBER_INVALID,
        "warning",
        f"The seller's tax number {value} does not have the form of a German tax number.",
        "seller_tax_number",
    )


def _iban(value: str, name: str) -> Finding | None:
    reason = _invalid(iban.validate, value)
    if reason is None:
        return None
    return Finding.of(
        FindingCode.IDENTIFIERS_IBAN_INVALID,
        "warning",
        f"The {LABELS.get(name, 'IBAN')} {value} is not valid ({reason}).",
        name,
    )


def _bic(value: str | None) -> Finding | None:
    reason = _invalid(bic.validate, value) if value else None
    if reason is None:
        return None
    return Finding.of(
        FindingCode.IDENTIFIERS_BIC_INVALID, "warning", f"The BIC {value} is not valid ({reason}).", "bic"
    )


def check_buyer(invoice: Invoice, settings: ValidationSettings) -> list[Finding]:
    """The invoice must be addressed to us, or its input tax is not ours to deduct."""
    findings = []
    ours, theirs = settings.company_vat_id, invoice.buyer_vat_id
    if ours and theirs and compact_id(ours) != compact_id(theirs):
        findings.append(
            Finding.of(
                FindingCode.BUYER_VAT_ID_MISMATCH,
                "error",
                f"The invoice is addressed to VAT ID {theirs}, not to ours ({ours}).",
                "buyer_vat_id",
            )
        )
    name = invoice.buyer_name
    if settings.company_name and name and not _same_company(settings.company_name, name):
        findings.append(
            Finding.of(
                FindingCode.BUYER_NAME_MISMATCH,
                "warning",
                f"The invoice is addressed to „{name}“, not to {settings.company_name}.",
                "buyer_name",
            )
        )
    return findings


def _same_company(ours: str, theirs: str) -> bool:
    a, b = company_key(ours), company_key(theirs)
    return bool(a and b) and (a in b or b in a)
