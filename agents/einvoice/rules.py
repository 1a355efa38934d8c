"""EN 16931 business rules on the document totals (BR-CO-10 to BR-CO-16), as findings.

Each rule compares a stated total with the sum it must equal, rounded to the cent as the official
Schematron does (`round(x * 100) div 100`). A difference of one cent is a `warning` (a rounding
difference, e.g. from gross prices), anything more an `error`. A rule whose inputs the XML does not
carry is skipped: a missing mandatory total is `mandatory.py`'s finding, not an arithmetic one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from agents.einvoice.mandatory import check_mandatory
from agents.einvoice.money import CENT, ZERO, to_cent
from agents.einvoice.profiles import level_of
from agents.einvoice.vat import check_vat
from schemas.finding import Finding, coded
from schemas.invoice import Invoice, LineItem

Rule = Callable[[Invoice], Finding | None]


def check_rules(invoice: Invoice, profile: str | None, *, en16931: bool = True) -> list[Finding]:
    """All business rule findings: totals, per-rate VAT and mandatory fields.

    `en16931=False` (ZUGFeRD 1.0, which predates the norm) keeps the totals chain its own
    specification states, but not the norm's allowance sums, per-category bases or cardinalities:
    ZUGFeRD 1.0 samples sign allowances either way and were valid under their own rules.
    """
    level = level_of(profile)
    rules = TOTAL_RULES if en16931 else ZUGFERD1_RULES
    findings = [finding for rule in rules if (finding := rule(invoice)) is not None]
    findings += check_vat(invoice, per_category=en16931)
    if en16931:
        findings += check_mandatory(invoice, level, has_profile=profile is not None)
    if level == "minimum":
        findings = [_unverifiable_due(f) if f.code == "einvoice.BR-CO-16" else f for f in findings]
    return findings


def counted_lines(invoice: Invoice) -> list[LineItem]:
    """The lines whose net amounts make up BT-106: group, information and UBL sub-lines are not counted."""
    return [line for line in invoice.line_items if not line.informational]


def _mismatch(rule: str, stated: Decimal, computed: Decimal, what: str, fields: list[str]) -> Finding | None:
    difference = abs(to_cent(stated) - to_cent(computed))
    if not difference:
        return None
    return Finding(
        code=coded("einvoice", rule),
        severity="warning" if difference <= CENT else "error",
        message=f"{rule}: {what} is {stated}, but the invoice's own figures give {to_cent(computed)}.",
        fields=fields,
    )


def _unverifiable_due(finding: Finding) -> Finding:
    """MINIMUM carries no prepaid amount (BT-113), so a due amount below the gross total may be right."""
    return finding.model_copy(
        update={
            "severity": "warning",
            "message": f"{finding.message} MINIMUM cannot state a prepaid amount, so this may be one.",
        }
    )


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def line_total_rule(invoice: Invoice) -> Finding | None:
    """BR-CO-10: sum of invoice line net amounts = BT-106."""
    lines = counted_lines(invoice)
    if invoice.line_total is None or not lines or any(line.net_amount is None for line in lines):
        return None
    computed = _sum(line.net_amount for line in lines)
    return _mismatch("BR-CO-10", invoice.line_total, computed, "the sum of line net amounts", ["line_total"])


def allowance_total_rule(invoice: Invoice) -> Finding | None:
    """BR-CO-11: sum of document level allowances = BT-107."""
    allowances = [ac.amount for ac in invoice.allowances_charges if not ac.is_charge]
    if invoice.allowance_total is None or not allowances:
        return None
    return _mismatch(
        "BR-CO-11", invoice.allowance_total, _sum(allowances), "the allowance total", ["allowance_total"]
    )


def charge_total_rule(invoice: Invoice) -> Finding | None:
    """BR-CO-12: sum of document level charges = BT-108."""
    charges = [ac.amount for ac in invoice.allowances_charges if ac.is_charge]
    if invoice.charge_total is None or not charges:
        return None
    return _mismatch("BR-CO-12", invoice.charge_total, _sum(charges), "the charge total", ["charge_total"])


def net_total_rule(invoice: Invoice) -> Finding | None:
    """BR-CO-13: BT-109 = BT-106 - BT-107 + BT-108."""
    if invoice.net_total is None or invoice.line_total is None:
        return None
    computed = invoice.line_total - (invoice.allowance_total or ZERO) + (invoice.charge_total or ZERO)
    return _mismatch("BR-CO-13", invoice.net_total, computed, "the net total", ["net_total"])


def tax_total_rule(invoice: Invoice) -> Finding | None:
    """BR-CO-14: BT-110 = sum of the VAT breakdown's category tax amounts (BT-117)."""
    if invoice.tax_total is None or not invoice.tax_breakdown:
        return None
    computed = _sum(row.tax_amount for row in invoice.tax_breakdown)
    return _mismatch("BR-CO-14", invoice.tax_total, computed, "the VAT total", ["tax_total"])


def gross_total_rule(invoice: Invoice) -> Finding | None:
    """BR-CO-15: BT-112 = BT-109 + BT-110."""
    if invoice.gross_total is None or invoice.net_total is None:
        return None
    computed = invoice.net_total + (invoice.tax_total or ZERO)
    return _mismatch("BR-CO-15", invoice.gross_total, computed, "the gross total", ["gross_total"])


def amount_due_rule(invoice: Invoice) -> Finding | None:
    """BR-CO-16: BT-115 = BT-112 - BT-113 + BT-114."""
    if invoice.amount_due is None or invoice.gross_total is None:
        return None
    computed = invoice.gross_total - (invoice.prepaid_amount or ZERO) + (invoice.rounding_amount or ZERO)
    return _mismatch("BR-CO-16", invoice.amount_due, computed, "the amount due", ["amount_due"])


TOTAL_RULES: tuple[Rule, ...] = (
    line_total_rule,
    allowance_total_rule,
    charge_total_rule,
    net_total_rule,
    tax_total_rule,
    gross_total_rule,
    amount_due_rule,
)
ZUGFERD1_RULES: tuple[Rule, ...] = (
    line_total_rule,
    net_total_rule,
    tax_total_rule,
    gross_total_rule,
    amount_due_rule,
)
