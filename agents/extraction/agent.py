"""The extraction agent: a text-layer invoice PDF in, a canonical invoice with confidence and provenance out.

Rules find every candidate on the page and arithmetic settles what it can; the model is asked only
where candidates for a field remain close, and only to choose among them. No value can appear in
the result that is not printed on the page or computed from printed values by a named rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from agents.base import Backend
from agents.extraction import header, parties
from agents.extraction.addresses import address_near
from agents.extraction.breakdown import (
    adjustment_rows,
    breakdown,
    printed_rate_row,
    row_sums,
    rows_of_totals,
    vat_rows,
)
from agents.extraction.candidates import (
    Candidate,
    labelled_candidates,
    printed_amounts,
    unlabelled_dates,
    with_strength,
)
from agents.extraction.constraints import solve_totals
from agents.extraction.identifiers import find_vat_ids
from agents.extraction.layout import Layout, build_layout
from agents.extraction.lines import extract_line_items
from agents.extraction.payment import account_findings, buyer_block_test
from agents.extraction.record import Record
from agents.extraction.scorer.ranking import Ranker
from agents.extraction.terms import due_from_terms
from schemas.document import ReadResult
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice, LineItem

_TOTAL_FIELDS = (
    "net_total",
    "tax_total",
    "gross_total",
    "amount_due",
    "prepaid_amount",
    "line_total",
    "allowance_total",
    "charge_total",
)


#: Rule evidence of an address read under a name and of a due date computed from terms: on the
#: development corpora these were right about 85 % and 77 % of the time (calibrated to 0.88).
_ADDRESS_EVIDENCE = 0.6
_TERMS_EVIDENCE = 0.6


class ExtractionResult(BaseModel):
    invoice: Invoice
    findings: list[Finding] = Field(default_factory=list)
    #: How many questions the model answered for this document.
    questions: int = 0


@dataclass(frozen=True)
class Us:
    """Who we are (`KONTOR_COMPANY_NAME`, `KONTOR_COMPANY_VAT_ID`): the party on the page that matches
    us is the buyer, whatever block it stands in."""

    name: str | None = None
    vat_id: str | None = None


class ExtractionAgent:
    """Extract one invoice per `ReadResult`; the backend is only asked to choose among page values."""

    def __init__(
        self,
        backend: Backend | None,
        *,
        max_questions: int = 4,
        us: Us | None = None,
        scorer: Ranker | Literal["shipped"] | None = "shipped",
        line_items: bool = True,
    ) -> None:
        """`scorer` ranks header candidates: the shipped model by default, None for rules alone."""
        self._backend = backend
        self._max_questions = max_questions
        self._us = us or Us()
        self._ranker = _shipped() if scorer == "shipped" else scorer
        self._line_items = line_items

    def extract(self, read: ReadResult) -> ExtractionResult:
        """The invoice found on the pages; a page without text gives an empty invoice and `text.missing`."""
        if read.char_count == 0:
            return ExtractionResult(invoice=Invoice(), findings=[_text_missing()])
        layout = build_layout(read)
        record = Record(self._backend, layout, self._max_questions, self._ranker)
        items = _line_items(read) if self._line_items else []
        _identity(layout, record)
        _totals(layout, record, items)
        _parties(layout, record, self._us)
        _accounts(layout, record)
        invoice = record.invoice(items)
        findings = [*value_findings(invoice), *account_findings(layout, invoice)]
        return ExtractionResult(invoice=invoice, findings=findings, questions=record.questions)


def _identity(layout: Layout, record: Record) -> None:
    doc_type = header.document_type(layout)
    record.pick("document_type_code", doc_type)
    if (cur := header.currency(layout)) is not None:
        record.pick("currency", cur)
    numbers = [c for c in labelled_candidates(layout, "invoice_number", "ident") if _plausible_number(c)]
    record.choose_candidate("invoice_number", numbers)
    issue = labelled_candidates(layout, "issue_date", "date")
    if not issue or record.ranked:
        # A ranker weighs unlabelled dates too (weak priors); rules take them only when no label names one.
        issue += [
            with_strength(c, (0.6 if i == 0 else 0.3) if not issue else 0.2)
            for i, c in enumerate(unlabelled_dates(layout, "issue_date"))
        ]
    record.choose_candidate("issue_date", issue)
    issued = record.value("issue_date")
    due = [
        c
        for c in labelled_candidates(layout, "due_date", "date")
        if not isinstance(issued, date) or (isinstance(c.value, date) and c.value >= issued)
    ]
    record.choose_candidate("due_date", due)
    record.choose_candidate("delivery_date", labelled_candidates(layout, "delivery_date", "date"))
    terms = due_from_terms(layout, issued) if isinstance(issued, date) else None
    if record.value("due_date") is None and terms is not None:
        # Terms may count from delivery rather than the invoice date: less sure than a printed date.
        record.computed("due_date", terms.value, terms.rule, _TERMS_EVIDENCE, terms.page, terms.bbox)


def _totals(layout: Layout, record: Record, items: list[LineItem]) -> None:
    options = {field: labelled_candidates(layout, field, "amount") for field in _TOTAL_FIELDS}
    rows = vat_rows(layout)
    for extra in (row_sums(rows, layout), adjustment_rows(layout)):
        for field, cands in extra.items():
            options[field].extend(cands)
    if items_total := _items_total(items, layout):
        options["line_total"].append(items_total)
    options["printed"] = printed_amounts(layout)
    for field, resolved in solve_totals(options).items():
        record.total(field, resolved)
    net, tax = _net(record), record.value("tax_total")
    rows = rows_of_totals(rows, net, tax)
    if not rows and (single := printed_rate_row(layout, net, tax)):
        rows = [single]
    record.set_plain("tax_breakdown", breakdown(rows))


def _net(record: Record) -> object | None:
    """The net total, or gross less tax where only those two were found."""
    net, tax, gross = (record.value(f) for f in ("net_total", "tax_total", "gross_total"))
    if net is None and isinstance(tax, Decimal) and isinstance(gross, Decimal):
        return gross - tax
    return net


def _items_total(items: list[LineItem], layout: Layout) -> Candidate | None:
    """Σ of the line items' net amounts, a candidate for the line total that arithmetic must confirm."""
    amounts = [i.net_amount for i in items if i.net_amount is not None and not i.informational]
    if not amounts:
        return None
    total = sum(amounts, Decimal("0"))
    return Candidate(
        field="line_total",
        value=total,
        text=str(total),
        page=1,
        bbox=(0.0, 0.0, 0.0, 0.0),
        source="rule:sum_of_line_items",
        strength=0.6,
        line=0,
    )


def _parties(layout: Layout, record: Record, us: Us) -> None:
    zones = parties.party_zones(layout)
    vats = find_vat_ids(layout)
    roles = ["buyer" if _ours(v.value, us.vat_id) else parties.role_of(v, zones) for v in vats]
    seller_vat = next((v for v, r in zip(vats, roles, strict=True) if r != "buyer"), None)
    buyer_vat = next(
        (
            v
            for v, r in zip(vats, roles, strict=True)
            if r == "buyer" and v.value != getattr(seller_vat, "value", None)
        ),
        None,
    )
    record.found("seller_vat_id", seller_vat, "rule:vat_outside_buyer_block")
    record.found("buyer_vat_id", buyer_vat, "rule:vat_in_buyer_block")
    buyers = parties.name_candidates(layout, zones, "buyer")
    sellers = parties.name_candidates(layout, zones, "seller")
    if us.name:
        # The party that is us is the buyer: our name is never the seller's, and wins the buyer's field.
        ours = [
            replace(c, strength=1.0, source="rule:our_company")
            for c in [*buyers, *sellers]
            if _is_us(c.text, us.name)
        ]
        sellers = [s for s in sellers if not _is_us(s.text, us.name)]
        buyers = ours[:1] + [b for b in buyers if not _is_us(b.text, us.name)]
    if buyers and buyers[0].strength >= 0.85:
        sellers = [s for s in sellers if _fold(s.text) != _fold(buyers[0].text)]
    record.choose_name("seller_name", sellers)
    seller = _fold(str(record.value("seller_name") or ""))
    record.choose_name("buyer_name", [b for b in buyers if _fold(b.text) != seller])
    _addresses(layout, record)
    _countries(zones, record)
    if (tax_number := header.seller_tax_number(layout)) is not None:
        record.pick("seller_tax_number", tax_number)


def _addresses(layout: Layout, record: Record) -> None:
    """Each party's address, read under (or beside) the words its name was read from."""
    for role in ("seller", "buyer"):
        named = record.source(f"{role}_name")
        if named is None or named.page is None or named.bbox is None:
            continue
        if (found := address_near(layout, named.page, named.bbox)) is not None:
            record.read(
                f"{role}_address",
                found.text,
                f"rule:address_under_{role}_name",
                _ADDRESS_EVIDENCE,
                found.page,
                found.bbox,
            )


def _countries(zones: list[parties.Zone], record: Record) -> None:
    for role in ("seller", "buyer"):
        vat = record.value(f"{role}_vat_id")
        field = f"{role}_country"
        # The address names the party's country (BT-40/BT-55); a VAT ID may be a foreign registration.
        if (code := parties.zone_country(zones, role)) is not None:
            record.derived(field, code, f"rule:{role}_address_country", 0.9)
        elif isinstance(vat, str):
            record.derived(field, _vat_country(vat), f"rule:{role}_vat_prefix", 0.85)
    if record.value("buyer_country") is None and isinstance(country := record.value("seller_country"), str):
        record.derived("buyer_country", country, "rule:domestic_default", 0.5)


def _accounts(layout: Layout, record: Record) -> None:
    payee, payer = header.payment_accounts(layout)
    # An account in the buyer's block is not the one to pay to while the seller prints another.
    in_buyer_block = buyer_block_test(layout)
    sellers = [found for found in payee if not in_buyer_block(found)] or payee
    record.found("iban", sellers[0] if sellers else None, "rule:checksum_valid_iban")
    record.found("payer_iban", payer[0] if payer else None, "rule:iban_beside_direct_debit")
    record.set_plain("ibans", [f.value for f in payee])
    if record.value("seller_country") is None and payee:
        record.derived("seller_country", payee[0].value[:2], "rule:iban_country", 0.6)


def _line_items(read: ReadResult) -> list[LineItem]:
    return list(extract_line_items(read).items)


def value_findings(invoice: Invoice) -> list[Finding]:
    """What the invoice's own values say against it; rerun on a reviewer's corrected invoice.

    Whether the totals add up is validation's to say (`arithmetic.gross_mismatch`, an error, within the
    rounding tolerance); extraction once reported it too, as a warning, and such a stored warning still
    shows until a person corrects one of its totals (`app.review.findings`).
    """
    findings: list[Finding] = []
    if invoice.due_date and invoice.issue_date and invoice.due_date < invoice.issue_date:
        findings.append(
            Finding(
                code=FindingCode.DATES_DUE_BEFORE_ISSUE,
                severity="warning",
                message="The due date lies before the issue date.",
                fields=["due_date", "issue_date"],
            )
        )
    missing = [f for f in ("invoice_number", "issue_date", "gross_total") if getattr(invoice, f) is None]
    if missing:
        findings.append(
            Finding(
                code=FindingCode.EXTRACTION_MISSING_FIELD,
                severity="warning",
                message=f"Not found on the page: {', '.join(missing)}.",
                fields=missing,
            )
        )
    return findings


def _text_missing() -> Finding:
    return Finding(
        code=FindingCode.TEXT_MISSING,
        severity="error",
        message="The PDF has no text layer (a scan or an image); nothing could be read from it.",
    )


def _shipped() -> Ranker | None:
    from agents.extraction.scorer.shipped import shipped_scorer

    return shipped_scorer()


def _plausible_number(cand: Candidate) -> bool:
    """Not a year; a one-character number only under a label that names the invoice number outright."""
    text = str(cand.value)
    shortest = 1 if cand.strength >= 0.9 else 2
    return shortest <= len(text) <= 40 and not (text.isdigit() and len(text) == 4 and text.startswith("20"))


def _ours(vat: str, ours: str | None) -> bool:
    return ours is not None and _compact(vat) == _compact(ours)


def _is_us(text: str, name: str) -> bool:
    return _fold(name) in _fold(text)


def _compact(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())


def _vat_country(vat: str) -> str:
    return "GR" if vat.startswith("EL") else vat[:2]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())
