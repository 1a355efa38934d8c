"""Payment accounts on the page: more than one, or a printed notice that the account changed.

Either is how invoice fraud looks when someone could add text to a PDF: the reader must confirm
which account is the seller's before anything is paid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.validation.normalize import compact_id
from agents.validation.vendors import payee_ibans
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice

#: "neue Bankverbindung", "new bank details", "nouvelles coordonnées bancaires", "geänderte IBAN", ...
CHANGE_NOTICE = re.compile(
    r"\b(?:neue[nrs]?|geänderte[nrs]?|ge(?:ä|ae)nderte[nrs]?)\s+(?:bank\s*verbindung|konto(?:verbindung|daten)?|"
    r"bank\s*daten|iban)"
    r"|\b(?:bank\s*verbindung|konto(?:verbindung)?|iban)\s+(?:hat\s+sich\s+)?ge(?:ä|ae)ndert"
    r"|\b(?:new|changed|updated)\s+(?:bank\s+(?:details|account)|account\s+details|iban)"
    r"|\bnouve(?:au|lles?)\s+(?:rib|iban|coordonn[ée]es\s+bancaires|compte)",
    re.IGNORECASE,
)


def check_bank(invoice: Invoice, text: str, on_file: Sequence[str] = ()) -> list[Finding]:
    """`on_file`: the vendor's known IBANs; several accounts that are all on file are no surprise."""
    findings = []
    ibans = payee_ibans(invoice)
    known = {compact_id(iban) for iban in on_file}
    if len(ibans) > 1 and not set(ibans) <= known:
        findings.append(
            Finding.of(
                FindingCode.BANK_MULTIPLE_IBANS,
                "warning",
                (
                    f"The invoice shows {len(ibans)} different IBANs ({', '.join(ibans)}): "
                    "confirm with the seller which one to pay."
                ),
                "iban",
            )
        )
    if notice := CHANGE_NOTICE.search(text):
        quoted = " ".join(notice.group(0).split())
        findings.append(
            Finding.of(
                FindingCode.BANK_CHANGE_NOTICE,
                "warning",
                (
                    f"The invoice announces a change of bank account („{quoted}“): "
                    "confirm it with the seller through a known contact before paying."
                ),
                "iban",
            )
        )
    return findings
