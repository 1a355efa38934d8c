"""Balanced journal entries from a booking proposal: pure functions on `Decimal` cents.

Per tax group the taxable amount is spread over the lines' accounts in proportion to their net amounts
(document-level charges and rounding included) and the VAT over the same accounts, each to the cent with
the largest-remainder method, so the parts always add up to the invoice's own figures. Rows with a tax
key are then adjusted so that the VAT DATEV derives from each row's gross is the VAT it carries
(`agents.booking.datev_cents`); what cannot be matched is posted as `vat_rounding`. The creditor is
credited the gross amount. `build_postings` SHALL return only entries whose debits equal their credits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from agents.booking.datev_cents import exact_split
from agents.booking.errors import UnbalancedEntryError
from agents.booking.tax_keys import EU_SERVICE_KEY, in_other_eu_country, row_tax_key
from schemas.booking import BookingProposal, Posting, PostingRole, ProposalLine, TaxGroup

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` into parts proportional to `weights` that add up to it exactly, to the cent."""
    if not weights:
        return []
    parts = [cents(w) for w in weights]
    if sum(parts) == 0:
        return [total.quantize(CENT), *([ZERO] * (len(weights) - 1))]
    exact = [Fraction(cents(total) * p, sum(parts)) for p in parts]
    shares = [int(x // 1) for x in exact]
    leftover = cents(total) - sum(shares)
    by_fraction = sorted(range(len(exact)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_fraction[:leftover]:
        shares[i] += 1
    return [(Decimal(s) / 100).quantize(CENT) for s in shares]


def _datev_exact(
    nets: list[Decimal], vats: list[Decimal], rate: Decimal
) -> tuple[list[Decimal], list[Decimal], Decimal]:
    split = exact_split([cents(n) for n in nets], [cents(v) for v in vats], rate)
    return [_euros(n) for n in split.nets], [_euros(v) for v in split.vats], _euros(split.rounding)


def _euros(amount_cents: int) -> Decimal:
    return (Decimal(amount_cents) / 100).quantize(CENT)


class _Part(NamedTuple):
    """A posting with its sign: positive debits, negative credits."""

    amount: Decimal
    role: PostingRole
    account: str
    tax_amount: Decimal = ZERO
    tax_key: str | None = None


def _accounts_of(group_index: int, lines: Sequence[ProposalLine]) -> dict[str, Decimal]:
    """Net amount per account of one tax group, in order of first appearance."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.tax_group == group_index:
            totals[line.account.account] += line.net_amount
    return dict(totals)


def _keys_of(group_index: int, group: TaxGroup, proposal: BookingProposal) -> dict[str, str | None]:
    """The DATEV tax key per account of one tax group (`tax_keys.row_tax_key`)."""
    eu_supplier = in_other_eu_country(proposal.vendor_country, proposal.vendor.vat_id)
    return {
        line.account.account: row_tax_key(
            group.tax_key,
            group.treatment,
            service=line.service,
            eu_supplier=eu_supplier,
            automatic=line.automatic,
        )
        for line in proposal.lines
        if line.tax_group == group_index
    }


def _group_parts(group: TaxGroup, accounts: dict[str, Decimal], keys: dict[str, str | None]) -> list[_Part]:
    """Expenses of one tax group, then its VAT."""
    if not accounts:
        raise UnbalancedEntryError(f"no line carries the {group.rate} % tax group")
    nets = allocate(group.taxable_amount, list(accounts.values()))
    vats = allocate(group.tax_amount, nets)
    rounding = ZERO
    if group.treatment == "standard" and group.tax_key:
        nets, vats, rounding = _datev_exact(nets, vats, group.rate)
    parts: list[_Part] = []
    for account, net, vat in zip(accounts, nets, vats, strict=True):
        if group.treatment == "foreign":
            parts.append(_Part(net + vat, "expense", account))  # VAT of another country is a cost here
        elif group.treatment == "standard":
            parts.append(_Part(net, "expense", account, vat, keys.get(account, group.tax_key)))
        else:
            parts.append(_Part(net, "expense", account, ZERO, keys.get(account, group.tax_key)))
    if group.treatment == "standard" and group.input_vat_account:
        parts.append(_Part(group.tax_amount - rounding, "input_vat", group.input_vat_account))
        parts.append(_Part(rounding, "vat_rounding", group.input_vat_account))
    if group.self_assessed_rate is not None and group.input_vat_account and group.output_vat_account:
        pairs = [(group.input_vat_account, group.output_vat_account)]
        if group.service_input_vat_account and group.service_output_vat_account:
            pairs.append((group.service_input_vat_account, group.service_output_vat_account))
        parts.extend(_self_assessed(group, pairs, dict(zip(accounts, nets, strict=True)), keys))
    return parts


def _self_assessed(
    group: TaxGroup,
    pairs: list[tuple[str, str]],
    nets: dict[str, Decimal],
    keys: dict[str, str | None],
) -> list[_Part]:
    """The VAT the buyer owes and deducts itself, on the accounts DATEV books it to: with a second pair
    (an intra-EU group), its service rows (key 46, § 13b (1) UStG) on the § 13b accounts, the rest on the
    group's own accounts."""
    owed = (group.taxable_amount * (group.self_assessed_rate or ZERO) / 100).quantize(CENT)
    total = sum(nets.values(), ZERO)
    services = sum((n for a, n in nets.items() if keys.get(a) == EU_SERVICE_KEY), ZERO)
    weights = [total] if len(pairs) == 1 else [total - services, services]
    parts: list[_Part] = []
    for (input_account, output_account), share in zip(pairs, allocate(owed, weights), strict=True):
        parts.append(_Part(share, "input_vat", input_account))
        parts.append(_Part(-share, "output_vat", output_account))
    return parts


def _posting(part: _Part, sign: int, text: str) -> Posting:
    signed = part.amount * sign
    return Posting(
        account=part.account,
        side="debit" if signed > 0 else "credit",
        amount=abs(signed),
        role=part.role,
        tax_key=part.tax_key,
        tax_amount=abs(part.tax_amount),
        text=text[:60],
    )


def build_postings(proposal: BookingProposal, creditor_account: str) -> list[Posting]:
    """The entry for `proposal`: expenses and VAT on the debit side, the creditor on the credit side.

    A credit note mirrors it. Raises `UnbalancedEntryError` when the parts do not add up to the gross amount.
    """
    if proposal.gross_amount is None:
        raise UnbalancedEntryError("the invoice has no gross amount")
    parts: list[_Part] = []
    for index, group in enumerate(proposal.taxes):
        parts.extend(
            _group_parts(group, _accounts_of(index, proposal.lines), _keys_of(index, group, proposal))
        )
    parts.append(_Part(-proposal.gross_amount, "payable", creditor_account))
    sign = -1 if proposal.credit_note else 1
    text = _entry_text(proposal)
    postings = [_posting(part, sign, text) for part in parts if part.amount != 0]
    check_balanced(postings)
    return postings


def _entry_text(proposal: BookingProposal) -> str:
    vendor = proposal.vendor.name or proposal.vendor.vat_id or ""
    return f"{vendor} {proposal.document_number or ''}".strip()


def check_balanced(postings: Sequence[Posting]) -> None:
    """Raise `UnbalancedEntryError` unless debits equal credits to the cent (and there are any)."""
    debit = sum((p.amount for p in postings if p.side == "debit"), ZERO)
    credit = sum((p.amount for p in postings if p.side == "credit"), ZERO)
    if not postings or debit != credit:
        raise UnbalancedEntryError(f"the entry does not balance: debit {debit}, credit {credit}")
    if any(p.amount != p.amount.quantize(CENT) for p in postings):
        raise UnbalancedEntryError("every amount is booked in whole cents")


def reversed_postings(postings: Sequence[Posting]) -> list[Posting]:
    """The same postings on the other side: a reversal (Storno) entry."""
    return [p.model_copy(update={"side": "credit" if p.side == "debit" else "debit"}) for p in postings]
