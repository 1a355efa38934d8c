"""What an invoice asks to be booked: its tax groups, the items that carry them, and what blocks posting.

Tax groups come from the invoice's VAT breakdown (BG-23); an invoice without one (the MINIMUM profile) gets
one group from its totals with the rate they imply. Items are the invoice lines plus document-level charges
and allowances; an invoice without lines (MINIMUM, BASIC WL) is one item per tax group.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from agents.booking.chart import Chart
from agents.booking.tax_keys import EXEMPT_CATEGORIES, self_assessed_rate, tax_key, treatment
from schemas.booking import TaxGroup
from schemas.finding import Finding, Severity
from schemas.invoice import Invoice

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: UNTDID 1001 credit note: the entry is mirrored.
CREDIT_NOTE = "381"


@dataclass(frozen=True)
class Item:
    description: str
    net_amount: Decimal
    rate: Decimal | None
    category: str | None
    #: Units of the line (None: not stated), for the net price per unit (§ 6 (2) EStG).
    quantity: Decimal | None = None


def problem(code: str, message: str, *, severity: Severity = "error") -> Finding:
    return Finding(code=code, severity=severity, message=message)


def tax_groups(invoice: Invoice, chart: Chart) -> tuple[list[TaxGroup], list[Finding]]:
    """The invoice's VAT rates, each with its treatment, tax key and accounts."""
    raw, problems = _from_breakdown(invoice) if invoice.tax_breakdown else _from_totals(invoice)
    groups: list[TaxGroup] = []
    for rate, category, taxable, tax in raw:
        group, missing = _group(chart, rate, category, taxable, tax)
        groups.append(group)
        problems.extend(missing)
    return groups, problems


Raw = tuple[Decimal, str | None, Decimal, Decimal]


def _from_breakdown(invoice: Invoice) -> tuple[list[Raw], list[Finding]]:
    raw: list[Raw] = []
    for row in invoice.tax_breakdown:
        if row.taxable_amount is None:
            return [], [problem("booking.tax_incomplete", "A VAT breakdown row has no taxable amount.")]
        rate = row.rate if row.rate is not None else Decimal(0)
        raw.append((rate, row.category, row.taxable_amount, row.tax_amount or ZERO))
    return raw, []


def _from_totals(invoice: Invoice) -> tuple[list[Raw], list[Finding]]:
    tax = invoice.tax_total or ZERO
    net = invoice.net_total
    if net is None and invoice.gross_total is not None:
        net = invoice.gross_total - tax
    if net is None:
        return [], [problem("booking.amounts_missing", "The invoice has neither a net nor a gross total.")]
    rate = implied_rate(net, tax)
    if rate is None:
        message = (
            f"The VAT rate cannot be told from net {net} and VAT {tax}; the invoice has no VAT breakdown."
        )
        return [], [problem("booking.tax_rate_unknown", message)]
    return [(rate, None, net, tax)], []


def implied_rate(net: Decimal, tax: Decimal) -> Decimal | None:
    """The whole-percent rate that turns `net` into `tax` to the cent, if there is one."""
    if tax == 0:
        return Decimal(0)
    if net == 0:
        return None
    rate = (tax / net * 100).quantize(Decimal(1))
    return rate if abs((net * rate / 100).quantize(CENT) - tax) <= CENT else None


def _group(
    chart: Chart, rate: Decimal, category: str | None, taxable: Decimal, tax: Decimal
) -> tuple[TaxGroup, list[Finding]]:
    kind = treatment(rate, category)
    own = self_assessed_rate(kind)
    accounts = {
        "standard": (chart.tax_account("input_vat", rate), None),
        "reverse_charge": (
            chart.tax_account("input_vat_13b", own or rate),
            chart.tax_account("output_vat_13b", own or rate),
        ),
        "intra_eu": (
            chart.tax_account("input_vat_eu", own or rate),
            chart.tax_account("output_vat_eu", own or rate),
        ),
    }.get(kind, (None, None))
    group = TaxGroup(
        rate=rate,
        category=category,
        treatment=kind,
        tax_key=tax_key(kind, rate),
        taxable_amount=taxable,
        tax_amount=tax,
        input_vat_account=accounts[0].number if accounts[0] else None,
        output_vat_account=accounts[1].number if accounts[1] else None,
        self_assessed_rate=own,
        **(_service_accounts(chart, own or rate) if kind == "intra_eu" else {}),
    )
    return group, _group_problems(group, chart)


def _service_accounts(chart: Chart, rate: Decimal) -> dict[str, str | None]:
    """The § 13b accounts the VAT of an intra-EU group's service rows goes to (key 46, not 19)."""
    accounts = (chart.tax_account("input_vat_13b", rate), chart.tax_account("output_vat_13b", rate))
    return {
        "service_input_vat_account": accounts[0].number if accounts[0] else None,
        "service_output_vat_account": accounts[1].number if accounts[1] else None,
    }


def _group_problems(group: TaxGroup, chart: Chart) -> list[Finding]:
    if group.treatment == "foreign":
        message = (
            f"VAT at {group.rate} % is not German input VAT: it is booked as a cost unless a person decides "
            "otherwise (refund procedure)."
        )
        return [problem("booking.foreign_vat", message, severity="warning")]
    needs_input = group.treatment in ("standard", "reverse_charge", "intra_eu") and group.tax_amount != 0
    needs_output = group.treatment in ("reverse_charge", "intra_eu")
    if (needs_input or needs_output) and group.input_vat_account is None:
        return [problem("booking.no_tax_account", f"Chart {chart.name} has no account for this VAT.")]
    if needs_output and group.output_vat_account is None:
        return [problem("booking.no_tax_account", f"Chart {chart.name} has no account for this VAT.")]
    return []


def invoice_items(invoice: Invoice, groups: list[TaxGroup]) -> list[Item]:
    """Lines and document-level charges/allowances; one item per tax group when there are no lines
    (the group's taxable amount already holds the charges and allowances)."""
    items = [
        Item(
            line.description or f"Position {line.line_id or ''}".strip(),
            line.net_amount,
            line.tax_rate,
            line.tax_category,
            line.quantity,
        )
        for line in invoice.line_items
        if not line.informational and line.parent_line_id is None and line.net_amount is not None
    ]
    if not items:
        return [group_item(invoice, g) for g in groups]
    for change in invoice.allowances_charges:
        label = change.reason or ("Zuschlag" if change.is_charge else "Nachlass")
        amount = change.amount if change.is_charge else -change.amount
        items.append(Item(label, amount, change.tax_rate, change.tax_category))
    return items


def group_item(invoice: Invoice, group: TaxGroup) -> Item:
    """The whole of a tax group as one item, named after the seller."""
    return Item(invoice.seller_name or "Rechnung", group.taxable_amount, group.rate, group.category)


def group_of(item: Item, groups: list[TaxGroup]) -> int | None:
    """The tax group an item belongs to: same rate and category, else same rate, else the only group."""
    rate = Decimal(0) if item.rate is None and item.category in EXEMPT_CATEGORIES else item.rate
    for index, group in enumerate(groups):
        if group.rate == rate and (item.category is None or group.category in (None, item.category)):
            return index
    for index, group in enumerate(groups):
        if group.rate == rate:
            return index
    return 0 if len(groups) == 1 else None


def document_problems(invoice: Invoice, groups: list[TaxGroup]) -> list[Finding]:
    """What stops the invoice from being posted as it stands (errors) or asks for a look (warnings)."""
    found: list[Finding] = []
    if invoice.currency is None:
        found.append(
            problem("booking.currency", "The invoice names no currency; euro assumed.", severity="warning")
        )
    if not (invoice.seller_name or invoice.seller_vat_id or invoice.seller_tax_number):
        found.append(
            problem("booking.vendor_missing", "The seller is unknown: no name, VAT ID or tax number.")
        )
    if not invoice.invoice_number:
        found.append(problem("booking.document_number_missing", "The invoice number is missing."))
    if invoice.issue_date is None:
        found.append(problem("booking.document_date_missing", "The invoice date is missing."))
    found.extend(_gross_problems(invoice, groups))
    return found


def _gross_problems(invoice: Invoice, groups: list[TaxGroup]) -> list[Finding]:
    if invoice.gross_total is None:
        return [problem("booking.gross_missing", "The invoice has no gross total.")]
    parts = sum((g.taxable_amount + g.tax_amount for g in groups), ZERO)
    if groups and parts != invoice.gross_total:
        message = f"The VAT breakdown adds up to {parts}, the gross total is {invoice.gross_total}."
        return [problem("booking.gross_mismatch", message)]
    if invoice.gross_total == 0:
        return [problem("booking.zero_amount", "The invoice is for 0.00: there is nothing to book.")]
    return []
