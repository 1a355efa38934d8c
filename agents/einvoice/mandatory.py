"""Mandatory business terms per profile (EN 16931 BR-01 to BR-26 and BR-CO-18, by Factur-X level)."""

from __future__ import annotations

from typing import NamedTuple

from agents.einvoice.profiles import LEVELS, Level, has_lines
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice, LineItem


class Term(NamedTuple):
    rule: str
    field: str
    label: str
    #: The smallest level that must carry the term.
    level: Level


HEADER_TERMS: tuple[Term, ...] = (
    Term("BR-02", "invoice_number", "invoice number (BT-1)", "minimum"),
    Term("BR-03", "issue_date", "issue date (BT-2)", "minimum"),
    Term("BR-04", "document_type_code", "invoice type code (BT-3)", "minimum"),
    Term("BR-05", "currency", "invoice currency (BT-5)", "minimum"),
    Term("BR-06", "seller_name", "seller name (BT-27)", "minimum"),
    Term("BR-09", "seller_country", "seller country (BT-40)", "minimum"),
    Term("BR-07", "buyer_name", "buyer name (BT-44)", "minimum"),
    Term("BR-13", "net_total", "total without VAT (BT-109)", "minimum"),
    Term("BR-14", "gross_total", "total with VAT (BT-112)", "minimum"),
    Term("BR-15", "amount_due", "amount due (BT-115)", "minimum"),
    Term("BR-11", "buyer_country", "buyer country (BT-55)", "basicwl"),
    Term("BR-12", "line_total", "sum of line net amounts (BT-106)", "basicwl"),
)

LINE_TERMS: tuple[Term, ...] = (
    Term("BR-21", "line_id", "line identifier (BT-126)", "basic"),
    Term("BR-22", "quantity", "invoiced quantity (BT-129)", "basic"),
    Term("BR-23", "unit_code", "unit of measure (BT-130)", "basic"),
    Term("BR-24", "net_amount", "line net amount (BT-131)", "basic"),
    Term("BR-25", "description", "item name (BT-153)", "basic"),
    Term("BR-26", "unit_price", "item net price (BT-146)", "basic"),
    Term("BR-CO-04", "tax_category", "line VAT category (BT-151)", "basic"),
)


def check_mandatory(invoice: Invoice, level: Level, *, has_profile: bool = True) -> list[Finding]:
    """One `einvoice.mandatory_missing` finding per required term the document lacks at its level."""
    findings = [] if has_profile else [_missing("BR-01", "specification identifier (BT-24)", "profile")]
    findings += [
        _missing(term.rule, term.label, term.field)
        for term in HEADER_TERMS
        if _applies(term, level) and getattr(invoice, term.field) in (None, "")
    ]
    if LEVELS.index(level) >= LEVELS.index("basicwl") and not invoice.tax_breakdown:
        findings.append(_missing("BR-CO-18", "VAT breakdown (BG-23)", "tax_breakdown"))
    if has_lines(level):
        findings += _line_findings(invoice.line_items, level)
    return findings


def _applies(term: Term, level: Level) -> bool:
    return LEVELS.index(level) >= LEVELS.index(term.level)


def _line_findings(lines: list[LineItem], level: Level) -> list[Finding]:
    if not lines:
        return [_missing("BR-16", "invoice line (BG-25)", "line_items")]
    # Group, information and sub-lines only detail a line; the norm's line rules bind the counted ones.
    counted = [(i, line) for i, line in enumerate(lines) if not line.informational]
    findings: list[Finding] = []
    for term in LINE_TERMS:
        missing = [
            line.line_id or f"#{i + 1}" for i, line in counted if getattr(line, term.field) in (None, "")
        ]
        if missing and _applies(term, level):
            findings.append(
                _missing(term.rule, f"{term.label} on line(s) {', '.join(missing)}", "line_items")
            )
    return findings


def _missing(rule: str, label: str, field: str) -> Finding:
    return Finding.of(
        FindingCode.EINVOICE_MANDATORY_MISSING,
        "error",
        f"{rule}: the {label} is missing, though this profile requires it.",
        field,
    )
