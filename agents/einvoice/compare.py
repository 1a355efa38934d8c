"""Hybrid PDFs: does the visible page say what the embedded XML says?

The XML is the legal invoice and prevails; a page that disagrees on a key field is worth a reviewer's
look (a stale rendering, a careless generator, or a tampered file), so each disagreement becomes an
`einvoice.page_mismatch` finding. Only fields both sides carry are compared.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from agents.einvoice.money import to_cent
from schemas.fields import FIELD_SPECS
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice

IDENTIFIER_FIELDS: tuple[str, ...] = ("invoice_number", "seller_vat_id")
DATE_FIELDS: tuple[str, ...] = ("issue_date", "due_date")
AMOUNT_FIELDS: tuple[str, ...] = ("net_total", "tax_total", "gross_total", "amount_due")


def compare_with_page(xml_invoice: Invoice, page_invoice: Invoice) -> list[Finding]:
    """One `einvoice.page_mismatch` warning per key field where page and XML both have a value and differ."""
    findings = [
        _finding(name, xml, page)
        for name in (*IDENTIFIER_FIELDS, *DATE_FIELDS, *AMOUNT_FIELDS)
        if (xml := getattr(xml_invoice, name)) is not None
        and (page := getattr(page_invoice, name)) is not None
        and not _same(xml, page)
    ]
    if page_invoice.iban and (xml_invoice.ibans or xml_invoice.iban):
        known = {_identifier(i) for i in [*xml_invoice.ibans, xml_invoice.iban] if i}
        if _identifier(page_invoice.iban) not in known:
            findings.append(_finding("iban", xml_invoice.iban or xml_invoice.ibans[0], page_invoice.iban))
    return findings


def _same(xml: object, page: object) -> bool:
    if isinstance(xml, Decimal) and isinstance(page, Decimal):
        # Credit notes state positive amounts in the XML and often negative ones on the page.
        return to_cent(abs(xml)) == to_cent(abs(page))
    if isinstance(xml, date) or isinstance(page, date):
        return xml == page
    return _identifier(str(xml)) == _identifier(str(page))


def _identifier(value: str) -> str:
    return "".join(value.split()).upper()


def _finding(name: str, xml: object, page: object) -> Finding:
    label = FIELD_SPECS[name].label
    return Finding.of(
        FindingCode.EINVOICE_PAGE_MISMATCH,
        "warning",
        f"The page shows {label} {page}, but the embedded XML says {xml}; the XML is the invoice.",
        name,
    )
