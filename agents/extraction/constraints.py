"""The totals solver: pick the document totals that add up.

Labels propose several amounts per total (`Nettobetrag` is a column header as well as a total);
arithmetic decides: net + tax = gross (the tax below the net), gross - prepaid = due,
lines - allowances + charges = net.
A total no label names is computed from the others and marked with the rule that computed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import product

from agents.extraction.candidates import Candidate

_TOP = 6
_CONSISTENT_BONUS = 1.0
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Resolved:
    value: Decimal
    candidate: Candidate | None
    #: Name of the rule that computed or confirmed the value.
    rule: str
    #: Rule evidence in [0, 1]: 1 when arithmetic ties it to other printed totals.
    evidence: float


Totals = dict[str, Resolved]


def solve_totals(candidates: Mapping[str, list[Candidate]]) -> Totals:
    """Choose net, tax and gross together, then the totals that hang off them."""
    # Every printed amount stays a candidate: the one that adds up may stand anywhere on the page.
    options = {
        field: _distinct(cands, None if field == "printed" else _TOP) for field, cands in candidates.items()
    }
    totals: Totals = {}
    totals.update(_core(options))
    _gross_from_due(options, totals)
    _payment(options, totals)
    _lines(options, totals)
    return totals


def _distinct(cands: list[Candidate], top: int | None) -> list[Candidate]:
    best: dict[Decimal, Candidate] = {}
    for cand in sorted(cands, key=lambda c: -c.strength):
        assert isinstance(cand.value, Decimal)
        best.setdefault(cand.value, cand)
    return list(best.values())[:top]


def _core(options: Mapping[str, list[Candidate]]) -> Totals:
    nets, taxes, grosses = (options.get(f, []) for f in ("net_total", "tax_total", "gross_total"))
    best: tuple[float, Totals] | None = None
    for net, tax, gross in product(nets, taxes, grosses):
        # No VAT rate reaches 100 %: "MwSt. 19 % | 300,00 | 57,00" puts the base where a tax may stand.
        if _d(net) + _d(tax) == _d(gross) and abs(_d(tax)) <= abs(_d(net)):
            score = net.strength + tax.strength + gross.strength
            if best is None or score > best[0]:
                best = (
                    score,
                    {
                        f: Resolved(_d(c), c, "net+tax=gross", 1.0)
                        for f, c in (("net_total", net), ("tax_total", tax), ("gross_total", gross))
                    },
                )
    if best is not None:
        return best[1]
    printed = options.get("printed", [])
    # No labelled triple adds up: a printed amount that completes two labelled totals is the third
    # ("Rechnungsbeitrag" under no known label). An unlabelled amount that adds up to nothing is no total.
    for field, pair in (
        ("gross_total", nets and taxes),
        ("net_total", taxes and grosses),
        ("tax_total", nets and grosses),
    ):
        if printed and pair:
            found = _core({**options, field: printed, "printed": []})
            if any(r.rule == "net+tax=gross" for r in found.values()):
                return found
    return _core_partial(nets, taxes, grosses)


def _core_partial(nets: list[Candidate], taxes: list[Candidate], grosses: list[Candidate]) -> Totals:
    """No consistent triple: keep each total's strongest reading, compute one that is missing."""
    totals: Totals = {}
    for field, cands in (("net_total", nets), ("tax_total", taxes), ("gross_total", grosses)):
        if cands:
            totals[field] = Resolved(_d(cands[0]), cands[0], "label", 0.5 * cands[0].strength)
    net, tax, gross = (totals.get(f) for f in ("net_total", "tax_total", "gross_total"))
    if net and gross and not tax:
        totals["tax_total"] = Resolved(gross.value - net.value, None, "rule:gross-net", 0.5)
    elif tax and gross and not net:
        totals["net_total"] = Resolved(gross.value - tax.value, None, "rule:gross-tax", 0.5)
    elif net and tax and not gross:
        totals["gross_total"] = Resolved(net.value + tax.value, None, "rule:net+tax", 0.5)
    return totals


def _gross_from_due(options: Mapping[str, list[Candidate]], totals: Totals) -> None:
    """No total is labelled as gross but a net and an amount due are, and nothing was paid in advance: the
    due is the gross ("Subtotal 19.00 / Tax Rate 0% / Amount Due 19.00"); the tax follows from the net.
    Without a net the due may hold an earlier balance as well, so it is not taken for the gross."""
    dues, net = options.get("amount_due", []), totals.get("net_total")
    if "gross_total" in totals or not dues or net is None or options.get("prepaid_amount"):
        return
    due = dues[0]
    if "tax_total" in totals or not ZERO <= _d(due) - net.value <= net.value:
        return
    totals["gross_total"] = Resolved(_d(due), due, "rule:gross=due", 0.5 * due.strength)
    totals["tax_total"] = Resolved(_d(due) - net.value, None, "rule:gross-net", 0.5)


def _payment(options: Mapping[str, list[Candidate]], totals: Totals) -> None:
    gross = totals.get("gross_total")
    dues, prepaids = options.get("amount_due", []), options.get("prepaid_amount", [])
    if gross is None:
        _first(options, totals, ("amount_due", "prepaid_amount"))
        return
    # A prepayment is often printed as a deduction ("Erhaltene Anzahlungen -500,00"): either sign counts.
    for due, prepaid, sign in product(dues, prepaids, (1, -1)):
        if gross.value - sign * _d(prepaid) == _d(due):
            paid = sign * _d(prepaid)
            totals["amount_due"] = Resolved(_d(due), due, "gross-prepaid=due", 1.0)
            totals["prepaid_amount"] = Resolved(paid, prepaid, "gross-prepaid=due", 1.0)
            return
    equal = [d for d in dues if _d(d) == gross.value]
    if equal:
        totals["amount_due"] = Resolved(gross.value, equal[0], "due=gross", 0.9)
        totals["prepaid_amount"] = Resolved(ZERO, None, "rule:due=gross", 0.7)
    elif dues:
        # Only a printed prepayment may explain a due below the gross: inventing one would hide an extra
        # "amount due" line. Validation reports the gap (`arithmetic.due_mismatch`).
        due = dues[0]
        totals["amount_due"] = Resolved(_d(due), due, "label", 0.5 * due.strength)
    else:
        paid = _d(prepaids[0]) if prepaids else ZERO
        totals["amount_due"] = Resolved(gross.value - paid, None, "rule:gross-prepaid", 0.6)
        totals["prepaid_amount"] = Resolved(
            paid, prepaids[0] if prepaids else None, "rule:no_prepayment", 0.5
        )


def _lines(options: Mapping[str, list[Candidate]], totals: Totals) -> None:
    net = totals.get("net_total")
    if net is None:
        _first(options, totals, ("line_total", "allowance_total", "charge_total"))
        return
    sign = Decimal(-1) if net.value < 0 else Decimal(1)
    allowances = [*_signed(options.get("allowance_total", []), sign), _zero_candidate()]
    charges = [*_signed(options.get("charge_total", []), sign), _zero_candidate()]
    lines = options.get("line_total", [])
    best: tuple[float, Candidate | None, Candidate, Candidate] | None = None
    line_options: list[Candidate | None] = [*lines] if lines else [None]
    for line, allow, charge in product(line_options, allowances, charges):
        line_value = _d(line) if line is not None else net.value + _d(allow) - _d(charge)
        if line_value - _d(allow) + _d(charge) != net.value:
            continue
        score = (line.strength + 1.0 if line is not None else 0.0) + allow.strength + charge.strength
        if best is None or score > best[0]:
            best = (score, line, allow, charge)
    if best is None:
        _first(options, totals, ("line_total", "allowance_total", "charge_total"))
        return
    _, line, allow, charge = best
    rule, evidence = (
        ("lines-allowances+charges=net", 1.0) if line is not None else ("rule:net+allowances-charges", 0.6)
    )
    line_value = _d(line) if line is not None else net.value + _d(allow) - _d(charge)
    totals["line_total"] = Resolved(line_value, line, rule, evidence)
    totals["allowance_total"] = Resolved(_d(allow), _real(allow), rule, evidence * 0.9)
    totals["charge_total"] = Resolved(_d(charge), _real(charge), rule, evidence * 0.9)


def _signed(cands: list[Candidate], sign: Decimal) -> list[Candidate]:
    """Allowance and charge totals carry the sign of the invoice (negative on a credit note); try both."""
    out: list[Candidate] = []
    for cand in cands:
        out.append(replace(cand, value=abs(_d(cand)) * sign))
        out.append(replace(cand, value=-abs(_d(cand)) * sign, strength=cand.strength - 0.2))
    return out


def _first(options: Mapping[str, list[Candidate]], totals: Totals, fields: tuple[str, ...]) -> None:
    for field in fields:
        cands = options.get(field, [])
        if cands and field not in totals:
            totals[field] = Resolved(
                abs(_d(cands[0])) if field == "allowance_total" else _d(cands[0]),
                cands[0],
                "label",
                0.5 * cands[0].strength,
            )


_ZERO_SOURCE = "rule:absent=0"


def _zero_candidate() -> Candidate:
    return Candidate(
        field="",
        value=ZERO,
        text="",
        page=0,
        bbox=(0.0, 0.0, 0.0, 0.0),
        source=_ZERO_SOURCE,
        strength=0.0,
        line=-1,
    )


def _real(cand: Candidate) -> Candidate | None:
    return None if cand.source == _ZERO_SOURCE else cand


def _d(cand: Candidate) -> Decimal:
    assert isinstance(cand.value, Decimal)
    return cand.value
