"""Dates and amounts: plausible issue and due dates, positive totals, the company's currency."""

from __future__ import annotations

from datetime import date, timedelta

from agents.validation.settings import ValidationSettings
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice


def check_dates(invoice: Invoice, settings: ValidationSettings, today: date) -> list[Finding]:
    findings = []
    issued, due = invoice.issue_date, invoice.due_date
    if issued is not None and issued > today:
        findings.append(
            Finding.of(
                FindingCode.DATE_ISSUE_IN_FUTURE,
                "error",
                f"The issue date {issued:%d.%m.%Y} lies in the future.",
                "issue_date",
            )
        )
    if issued is not None and issued < today - timedelta(days=settings.max_invoice_age_days):
        findings.append(
            Finding.of(
                FindingCode.DATE_ISSUE_TOO_OLD,
                "warning",
                (
                    f"The issue date {issued:%d.%m.%Y} is more than {settings.max_invoice_age_days} "
                    "days ago: was it paid or booked already?"
                ),
                "issue_date",
            )
        )
    if issued is not None and due is not None and due < issued:
        findings.append(
            Finding.of(
                FindingCode.DATE_DUE_BEFORE_ISSUE,
                "warning",
                f"The due date {due:%d.%m.%Y} is before the issue date {issued:%d.%m.%Y}.",
                "due_date",
                "issue_date",
            )
        )
    return findings


def check_amounts(invoice: Invoice, settings: ValidationSettings, *, credit_note: bool) -> list[Finding]:
    findings = []
    gross = invoice.gross_total
    # A credit note or a corrected invoice may reduce what is owed. Sellers also correct with a
    # negative invoice (valid EN 16931), so this is a warning that the review policy weighs.
    if gross is not None and gross <= 0 and not credit_note:
        findings.append(
            Finding.of(
                FindingCode.AMOUNT_NOT_POSITIVE,
                "warning",
                f"The invoice total is {gross:f}; unlike a credit note, an invoice must be positive.",
                "gross_total",
            )
        )
    currency = invoice.currency
    if currency and currency.upper() != settings.company_currency.upper():
        findings.append(
            Finding.of(
                FindingCode.CURRENCY_FOREIGN,
                "warning",
                (
                    f"The invoice is in {currency}, not in {settings.company_currency}: "
                    "booking needs an exchange rate."
                ),
                "currency",
            )
        )
    return findings
