"""Booking figures on the invoice corpus: account-proposal accuracy and the share booked without review.

Run: `.venv/bin/python -m bench.booking [--no-model] [--skip-corpus] [--threads N]`.

1. Accuracy on `tests/data/booking_labels.json` (hand-labelled categories of corpus line descriptions):
   keywords alone, the model alone, and the cascade the booking step runs (no vendor history); then the
   cascade on both sets, `tests/data/booking_labels_real.json` holding SKR03 accounts labelled by
   judgement, each also by halves (even and odd positions), so that rules can be developed against one
   half and checked on the other, and with each line's vendor history taken from the vendor's other
   labelled lines (leave-one-out: how the chain does on a vendor seen before).
2. Share of corpus e-invoices (every XML and every hybrid PDF's embedded XML) the booking step books
   without review under the default settings, assuming validation found them ready: cold (empty
   journal), and in corpus order with each automatically booked invoice added to its vendor's history.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from agents.base import Backend
from agents.booking import Account, AccountModel, VendorHistory, decision, load_chart, propose, vendor_of
from agents.booking.accounts import keyword_matches
from agents.booking.propose import BookingPolicy
from agents.einvoice import find_xml_in_pdf, read_einvoice
from app.config import Settings
from app.errors import KontorError
from bench.booking_labels import account_rows, category_rows, halves, score
from schemas.invoice import Invoice, LineItem, TaxBreakdown

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "booking_labels.json"
CORPUS = ROOT.parent / "shared" / "corpus"


def report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class MemoModel(AccountModel):
    """Asks the model once per vendor, line and candidate set (the bench proposes each invoice twice)."""

    def __init__(self, backend: Backend) -> None:
        super().__init__(backend)
        self.memo: dict[tuple[str, str, tuple[str, ...]], tuple[Account, float]] = {}

    def choose(self, vendor: str, text: str, accounts: Sequence[Account]) -> tuple[Account, float]:
        key = (vendor, text, tuple(a.number for a in accounts))
        if key not in self.memo:
            self.memo[key] = super().choose(vendor, text, accounts)
        return self.memo[key]


#: The labelled lines the model's prompt and scaling were tuned on (every second of the first 80).
TUNING = frozenset(range(0, 80, 2))


def accuracy(policy: BookingPolicy, model: AccountModel | None) -> None:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    chart = policy.chart
    hits: Counter[str] = Counter()
    keyword_answers = 0
    for index, row in enumerate(labels):
        matches = keyword_matches(row["description"], chart)
        if len(matches) == 1:
            keyword_answers += 1
            hits["keyword"] += matches[0][0].category == row["category"]
        if model is not None:
            account, _p = model.choose(row["vendor"], row["description"], chart.model_choices)
            hits["model"] += account.category == row["category"]
            if index not in TUNING:
                hits["model_held_out"] += account.category == row["category"]
        proposal = propose(_one_line(row), policy, model=model)
        choice = proposal.lines[0].account
        right = chart.get(choice.account).category == row["category"]  # type: ignore[union-attr]
        sure = choice.confidence >= policy.threshold
        hits["cascade"] += right
        hits["cascade_sure"] += sure
        hits["cascade_sure_right"] += sure and right
    n = len(labels)
    report(f"labelled lines: {n}")
    report(f"  keywords: answer {keyword_answers}/{n}, right {hits['keyword']}/{keyword_answers}")
    if model is not None:
        report(f"  model alone: right {hits['model']}/{n} ({hits['model'] / n:.0%})")
        held_out = n - len(TUNING)
        report(f"  model alone, lines not used for tuning: right {hits['model_held_out']}/{held_out}")
    report(f"  cascade: right {hits['cascade']}/{n} ({hits['cascade'] / n:.0%})")
    sure, sure_right = hits["cascade_sure"], hits["cascade_sure_right"]
    report(f"  cascade, sure enough to book: {sure}/{n}, of them right {sure_right}")


def _one_line(row: dict[str, str]) -> Invoice:
    return Invoice(
        invoice_number="1",
        issue_date=date(2026, 1, 1),
        currency="EUR",
        seller_name=row["vendor"],
        gross_total=Decimal("119.00"),
        line_items=[LineItem(description=row["description"], net_amount=Decimal(100), tax_rate=Decimal(19))],
        tax_breakdown=[
            TaxBreakdown(rate=Decimal(19), category="S", taxable_amount=Decimal(100), tax_amount=Decimal(19))
        ],
    )


def corpus_invoices() -> list[tuple[str, Invoice]]:
    found: list[tuple[str, Invoice]] = []
    paths = sorted((CORPUS / "xml").glob("*.xml")) + sorted((CORPUS / "invoices").glob("*.pdf"))
    for path in paths:
        data = path.read_bytes()
        if path.suffix == ".pdf":
            embedded = find_xml_in_pdf(data)
            if embedded is None:
                continue
            data = embedded[1]
        try:
            found.append((path.name, read_einvoice(data).invoice))
        except KontorError:
            continue
    return found


def booked_share(policy: BookingPolicy, model: AccountModel | None) -> None:
    invoices = corpus_invoices()
    reasons: Counter[str] = Counter()
    learned: dict[str, Counter[str]] = defaultdict(Counter)
    entries: Counter[str] = Counter()
    cold = warm = 0
    for _name, invoice in invoices:
        key = _vendor_key(invoice)
        status = decision(propose(invoice, policy, model=model))
        cold += status.status == "booked"
        reasons[status.reason] += 1
        history = VendorHistory(accounts=dict(learned[key]), entries=entries[key])
        proposal = propose(invoice, policy, history=history, model=model)
        if decision(proposal).status == "booked":
            warm += 1
            entries[key] += 1
            learned[key].update({line.account.account for line in proposal.lines})
    n = len(invoices)
    report(f"corpus e-invoices: {n}")
    report(f"  booked without review, empty journal: {cold}/{n} ({cold / n:.0%})")
    report(f"  booked without review, in corpus order with history: {warm}/{n} ({warm / n:.0%})")
    report("  reasons (empty journal): " + ", ".join(f"{r} {c}" for r, c in reasons.most_common()))


def _vendor_key(invoice: Invoice) -> str:
    vendor = vendor_of(invoice)
    return (vendor.vat_id or vendor.name or "").replace(" ", "").upper()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args()
    settings = Settings(_env_file=None)
    chart = load_chart(settings.booking.chart)
    policy = BookingPolicy(chart, chart.default, settings.booking.confidence_threshold)
    model = None if args.no_model else MemoModel(_backend(args.threads))
    start = time.perf_counter()
    accuracy(policy, model)
    for name, rows, by in (
        ("category lines", category_rows(), "category"),
        ("real lines, SKR03 account as labelled", account_rows(), "account"),
    ):
        report(f"{name}: {score(rows, policy, model, by=by)}")
        for half, part in zip(("even", "odd"), halves(rows), strict=True):
            report(f"  {half} half: {score(part, policy, model, by=by)}")
        history = score(rows, policy, model, by=by, with_history=True)
        report(f"  vendor's other lines as posted history (leave-one-out): {history}")
    if not args.skip_corpus:
        booked_share(policy, model)
    report(f"({time.perf_counter() - start:.0f} s)")


def _backend(threads: int | None) -> Backend:
    from agents.llama import LlamaBackend, embedded_model_path

    return LlamaBackend(embedded_model_path(), n_threads=threads)


if __name__ == "__main__":
    main()
