"""Where the payee IBANs stand: an account in the buyer's block or after the totals is a reason to look.

A fraudster who can add text to an invoice adds a bank account; where it lands tells it apart from
the seller's own: the seller's bank details sit in the letterhead, footer or payment block, on the
page with the totals or before it, never in the buyer's address block.
"""

from __future__ import annotations

from collections.abc import Callable

from agents.extraction import header, letterhead, parties
from agents.extraction.identifiers import Found
from agents.extraction.layout import Layout
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice


def account_findings(layout: Layout, invoice: Invoice) -> list[Finding]:
    payee, _payer = header.payment_accounts(layout)
    in_buyer_block = buyer_block_test(layout)
    findings = [_in_buyer_block(found) for found in payee if in_buyer_block(found)]
    totals_page = _totals_page(invoice)
    if totals_page is not None:
        findings += [_after_totals(found, totals_page) for found in payee if found.page > totals_page]
    return findings


def buyer_block_test(layout: Layout) -> Callable[[Found], bool]:
    """Whether an identifier stands in the buyer's block: a headed party zone or the address window."""
    zones = parties.party_zones(layout)
    window = letterhead.address_block(layout)

    def in_buyer_block(found: Found) -> bool:
        return parties.role_of(found, zones) == "buyer" or any(
            s.line == found.line and s.bbox[0] <= found.bbox[0] <= s.bbox[2] for s in window
        )

    return in_buyer_block


def _totals_page(invoice: Invoice) -> int | None:
    for field in ("amount_due", "gross_total"):
        source = invoice.fields.get(field)
        if source is not None and source.page is not None:
            return source.page
    return None


def _in_buyer_block(found: Found) -> Finding:
    return Finding(
        code=FindingCode.BANK_IBAN_IN_BUYER_BLOCK,
        severity="warning",
        message=(
            f"The IBAN {found.value} stands in the buyer's address block on page {found.page}, "
            "not with the seller's details: confirm whose account it is before paying."
        ),
        fields=["iban"],
    )


def _after_totals(found: Found, totals_page: int) -> Finding:
    return Finding(
        code=FindingCode.BANK_IBAN_AFTER_TOTALS,
        severity="warning",
        message=(
            f"The IBAN {found.value} is printed only on page {found.page}, after the totals on page "
            f"{totals_page}: confirm it with the seller before paying."
        ),
        fields=["iban"],
    )
