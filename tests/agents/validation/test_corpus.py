"""The real corpus: no false alarms on valid invoices, few findings, injected amount faults caught.

Company identity is left unset and there is no history or vendor directory, so the buyer, duplicate
and vendor checks stay silent: the corpus invoices are addressed to many fictitious buyers, and it
holds the same invoice in several profiles, which would be duplicates of each other. Dates are
judged from a fixed day with no age limit, since the samples span 2013 to 2026.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from agents.validation import ValidationAgent, ValidationResult
from agents.validation.settings import ValidationSettings
from schemas.invoice import AMOUNT_FIELDS, Invoice
from tests.agents.validation.corpus_invoices import CorpusInvoice, corpus_invoices

SETTINGS = ValidationSettings(max_invoice_age_days=365 * 100)
AGENT = ValidationAgent(None, SETTINGS, None, None, clock=lambda: date(2030, 1, 1))


def validate(invoice: Invoice, item: CorpusInvoice) -> ValidationResult:
    return AGENT.validate(invoice, "", None, prior_findings=item.result.findings)


def valid_invoices() -> list[CorpusInvoice]:
    return [item for item in corpus_invoices() if item.valid]


def test_no_error_on_any_valid_corpus_invoice() -> None:
    false_alarms = [
        (item.name, f.code)
        for item in valid_invoices()
        for f in validate(item.result.invoice, item).findings
        if f.severity == "error"
    ]
    assert len(valid_invoices()) > 200
    assert false_alarms == []


def test_valid_corpus_invoices_carry_few_findings() -> None:
    counts = [len(validate(item.result.invoice, item).findings) for item in valid_invoices()]
    assert sum(counts) / len(counts) < 3.0


def injected_amount_faults(invoice: Invoice) -> Iterator[Invoice]:
    """The invoice with one amount off by 10.00 (a typing slip), for every amount it states."""
    for name in sorted(AMOUNT_FIELDS):
        value = getattr(invoice, name)
        if value is not None:
            yield invoice.model_copy(update={name: value + Decimal("10.00")})
    for index, row in enumerate(invoice.tax_breakdown):
        if row.tax_amount is not None:
            rows = list(invoice.tax_breakdown)
            rows[index] = row.model_copy(update={"tax_amount": row.tax_amount + Decimal("1.00")})
            yield invoice.model_copy(update={"tax_breakdown": rows})


def caught_faults() -> tuple[int, int]:
    caught = total = 0
    for item in valid_invoices():
        for faulty in injected_amount_faults(item.result.invoice):
            total += 1
            caught += any(f.severity == "error" for f in validate(faulty, item).findings)
    return caught, total


def test_nearly_every_injected_amount_fault_is_an_error() -> None:
    caught, total = caught_faults()
    assert total > 1000
    assert caught / total > 0.95
