"""Keyword-only factories for booking tests: invoices with consistent totals, documents waiting for review."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from agents.booking import BookingPolicy, load_chart
from app.models import Document, Status, StepResult
from schemas.invoice import Invoice, LineItem, TaxBreakdown
from tests.factories import create_document, text_pdf

#: (description, net amount, VAT rate, UNTDID 5305 category)
Line = tuple[str, str, str, str]
CENT = Decimal("0.01")


def make_invoice(
    *,
    number: str = "R-2026-001",
    seller: str | None = "Papierhaus Nord GmbH",
    vat_id: str | None = "DE111111111",
    issued: date | None = date(2026, 3, 15),
    lines: Sequence[Line] = (("Kopierpapier A4, 5 Pakete", "100.00", "19", "S"),),
    currency: str | None = "EUR",
    type_code: str = "380",
) -> Invoice:
    """An invoice whose VAT breakdown and totals follow from its lines."""
    items = [
        LineItem(line_id=str(i), description=d, net_amount=Decimal(n), tax_rate=Decimal(r), tax_category=c)
        for i, (d, n, r, c) in enumerate(lines, start=1)
    ]
    groups: dict[tuple[Decimal, str], Decimal] = defaultdict(Decimal)
    for _text, amount, rate, category in lines:
        groups[(Decimal(rate), category)] += Decimal(amount)
    breakdown = [
        TaxBreakdown(
            rate=rate, category=cat, taxable_amount=net, tax_amount=(net * rate / 100).quantize(CENT)
        )
        for (rate, cat), net in groups.items()
    ]
    net = sum((b.taxable_amount or Decimal(0) for b in breakdown), Decimal("0.00"))
    tax = sum((b.tax_amount or Decimal(0) for b in breakdown), Decimal("0.00"))
    return Invoice(
        invoice_number=number,
        document_type_code=type_code,
        issue_date=issued,
        currency=currency,
        seller_name=seller,
        seller_vat_id=vat_id,
        seller_country="DE",
        buyer_name="Kontor Test GmbH",
        line_total=net,
        net_total=net,
        tax_total=tax,
        gross_total=net + tax,
        amount_due=net + tax,
        line_items=items,
        tax_breakdown=breakdown,
    )


def create_invoice_document(
    session: Session,
    *,
    invoice: Invoice,
    status: Status = Status.NEEDS_REVIEW,
    step: str = "einvoice",
) -> Document:
    """A document in `status` whose `step` result holds `invoice`."""
    document = create_document(session, data=text_pdf(f"Rechnung {uuid.uuid4().hex}"), status=status)
    session.add(
        StepResult(document_id=document.id, step=step, data={"invoice": invoice.model_dump(mode="json")})
    )
    session.flush()
    session.refresh(document)
    return document


def skr03_policy(threshold: float = 0.8) -> BookingPolicy:
    chart = load_chart("skr03")
    return BookingPolicy(chart=chart, default_account=chart.default, threshold=threshold)
