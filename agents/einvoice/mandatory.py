"""Mandatory business terms per profile (EN 16931 BR-01 to BR-26 and BR-CO-18, by Factur-X level).

Which term each level requires is data: `mandatory.toml`.
"""

from __future__ import annotations

from typing import NamedTuple

from pydantic import TypeAdapter

from agents.einvoice.profiles import LEVELS, Level, has_lines
from agents.tables import read_table
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice, LineItem


class Term(NamedTuple):
    rule: str
    field: str
    label: str
    #: The smallest level that must carry the term.
    level: Level


_TERMS = TypeAdapter(dict[str, tuple[Term, ...]]).validate_python(
    read_table(__name__.rpartition(".")[0], "mandatory.toml")
)
HEADER_TERMS = _TERMS["header"]
LINE_TERMS = _TERMS["line"]


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
