"""Duplicates: the same invoice again (same seller and number), or nearly (same amount, close dates,
a number that differs by a suffix). Byte-identical uploads are refused before they get here."""

from __future__ import annotations

from datetime import date

from agents.validation.classify import CREDIT_NOTE_CODES
from agents.validation.normalize import compact_id, company_key, invoice_number_key
from agents.validation.ports import PriorInvoice
from agents.validation.settings import ValidationSettings
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice

#: A number that extends another by this many characters at most counts as "with a suffix".
MAX_SUFFIX = 3


def same_seller(a: Invoice, b: Invoice) -> bool:
    """The VAT ID decides when both have one, else the tax number, else the name."""
    for first, second, normal in (
        (a.seller_vat_id, b.seller_vat_id, compact_id),
        (a.seller_tax_number, b.seller_tax_number, compact_id),
    ):
        if first and second:
            return normal(first) == normal(second)
    key_a, key_b = company_key(a.seller_name or ""), company_key(b.seller_name or "")
    return bool(key_a) and key_a == key_b


def check_duplicates(
    invoice: Invoice, priors: list[PriorInvoice], settings: ValidationSettings, *, credit_note: bool
) -> list[Finding]:
    candidates = [
        p
        for p in priors
        if same_seller(invoice, p.invoice)
        and (p.invoice.document_type_code in CREDIT_NOTE_CODES) == credit_note
    ]
    exact = [p for p in candidates if _same_number(invoice, p.invoice)]
    if exact:
        return [_same_number_finding(invoice, exact[0])]
    near = [p for p in candidates if _near(invoice, p.invoice, settings.duplicate_window_days)]
    return [_near_finding(invoice, near[0])] if near else []


def _same_number(a: Invoice, b: Invoice) -> bool:
    return bool(a.invoice_number and b.invoice_number) and invoice_number_key(
        a.invoice_number or ""
    ) == invoice_number_key(b.invoice_number or "")


def _near(a: Invoice, b: Invoice, window_days: int) -> bool:
    if a.gross_total is None or a.gross_total != b.gross_total:
        return False
    if a.issue_date is None or b.issue_date is None or abs((a.issue_date - b.issue_date).days) > window_days:
        return False
    return _suffixed(a.invoice_number, b.invoice_number)


def _suffixed(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True  # same seller, amount and time, one number unread: as suspicious as a suffix
    short, long = sorted((invoice_number_key(a), invoice_number_key(b)), key=len)
    return bool(short) and long.startswith(short) and len(long) - len(short) <= MAX_SUFFIX


def _describe(prior: PriorInvoice) -> str:
    invoice = prior.invoice
    parts = [f"document #{prior.document_id}"]
    if invoice.invoice_number:
        parts.append(f"no. {invoice.invoice_number}")
    if invoice.issue_date:
        parts.append(f"of {_day(invoice.issue_date)}")
    if invoice.gross_total is not None:
        parts.append(f"over {invoice.gross_total:f} {invoice.currency or ''}".rstrip())
    return " ".join(parts)


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _same_number_finding(invoice: Invoice, prior: PriorInvoice) -> Finding:
    return Finding.of(
        FindingCode.DUPLICATE_SAME_NUMBER,
        "error",
        f"This seller's invoice {invoice.invoice_number} was received before: {_describe(prior)}.",
        "invoice_number",
        "seller_name",
    )


def _near_finding(invoice: Invoice, prior: PriorInvoice) -> Finding:
    return Finding.of(
        FindingCode.DUPLICATE_NEAR,
        "warning",
        (
            "Possibly received before: same seller and amount, close dates and a similar number, "
            f"{_describe(prior)}."
        ),
        "invoice_number",
        "gross_total",
        "issue_date",
    )
