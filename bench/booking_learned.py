"""The learned line classifier in the proposal chain, measured only on lines it was not trained on.

Run: `.venv/bin/python -m bench.booking_learned [--write]`.

- cross-set: trained on one labelled set (`tests/data/booking_labels.json` or `booking_labels_real.json`),
  the chain scored on the other;
- grouped k-fold: both sets together, split by vendor (no vendor's lines on both sides; the placeholder
  vendors of the category set are one vendor), each fold scored with a classifier trained on the others;
- leave one vendor out: the same with one fold per vendor.
Each prints the chain's accuracy and its accuracy among the lines it books without review, beside the chain
without the classifier on the same lines. `--write` writes both sets' lines to `agents/booking/lines.json`,
the lines the shipped classifier is trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from agents.booking import AccountModel, load_chart
from agents.booking.learned import examples_for, train
from agents.booking.propose import BookingPolicy
from bench.booking import MemoModel, _backend
from bench.booking_labels import ACCOUNT_LABELS, Miss, Score, account_rows, category_rows, score

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "agents" / "booking" / "lines.json"
FOLDS = 5
Rows = list[dict[str, Any]]


def report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def by(row: dict[str, Any]) -> str:
    return "category" if "category" in row else "account"


def held_out(
    rows: Rows,
    policy: BookingPolicy,
    fold_of: Callable[[dict[str, Any]], int],
    model: AccountModel | None = None,
    misses: list[Miss] | None = None,
) -> dict[str, Score]:
    """Per label kind ("category", "account"), the chain with each fold's classifier trained on the others
    (and the embedded model when given); `misses` collects the wrong lines."""
    found: dict[str, Score] = {}
    for fold in sorted({fold_of(r) for r in rows}):
        test = [r for r in rows if fold_of(r) == fold]
        trained = replace(
            policy, classifier=train(examples_for(policy.chart, [r for r in rows if fold_of(r) != fold]))
        )
        for kind in {by(r) for r in test}:
            part = [r for r in test if by(r) == kind]
            found[kind] = _add(found.get(kind), score(part, trained, model, by=kind, misses=misses))
    return found


def _add(a: Score | None, b: Score) -> Score:
    if a is None:
        return b
    return Score(a.lines + b.lines, a.right + b.right, a.sure + b.sure, a.sure_right + b.sure_right)


def grouped(row: dict[str, Any]) -> int:
    return zlib.crc32(row["vendor"].encode("utf-8")) % FOLDS


def with_model(policy: BookingPolicy, rows: Rows, model: AccountModel, *, misses: bool) -> None:
    """The whole chain with the embedded model, grouped folds only (the model answers each line once)."""
    wrong: list[Miss] = []
    found = held_out(rows, policy, grouped, model, wrong)
    both = _add(found["category"], found["account"])
    report(f"with the embedded model, grouped {FOLDS}-fold by vendor: {both}")
    report(f"  category lines: {found['category']}")
    report(f"  real lines: {found['account']}")
    for miss in wrong if misses else []:
        report(f"    miss: {miss}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write agents/booking/lines.json")
    parser.add_argument("--model", action="store_true", help="with the embedded model (slow)")
    parser.add_argument("--misses", action="store_true", help="list the wrong lines of the grouped folds")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    chart = load_chart("skr03")
    policy = BookingPolicy(chart, chart.default)
    categories, real = category_rows(), account_rows()
    if args.write:
        source = json.loads(ACCOUNT_LABELS.read_text(encoding="utf-8"))
        lines = [{"description": r["description"], "category": r["category"]} for r in categories]
        lines += [{"description": r["description"], "account": r["account"]} for r in real]
        shipped = {
            "source": "booking_labels.json and booking_labels_real.json (bench.booking_learned --write)",
            "chart": source["chart"],
            "lines": lines,
        }
        SHIPPED.write_text(json.dumps(shipped, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        report(f"wrote {len(lines)} lines to {SHIPPED.relative_to(ROOT)}")
    if args.model:
        with_model(policy, categories + real, MemoModel(_backend(args.threads)), misses=args.misses)
        return
    for name, train_rows, test_rows in (
        ("category lines -> real lines", categories, real),
        ("real lines -> category lines", real, categories),
    ):
        classifier = train(examples_for(chart, train_rows))
        kind = by(test_rows[0])
        report(f"{name}: {score(test_rows, replace(policy, classifier=classifier), None, by=kind)}")
        report(f"  without the classifier: {score(test_rows, policy, None, by=kind)}")
    both = categories + real
    vendors = sorted({r["vendor"] for r in both})
    for name, fold_of in (
        (f"grouped {FOLDS}-fold by vendor", grouped),
        (f"leave one vendor out ({len(vendors)} vendors)", lambda r: vendors.index(r["vendor"])),
    ):
        misses: list[Miss] = []
        found = held_out(both, policy, fold_of, misses=misses)
        report(f"{name}: {_add(found['category'], found['account'])}")
        if args.misses and fold_of is grouped:
            for miss in misses:
                report(f"    miss: {miss}")
        for label, kind, rows in (
            ("category lines", "category", categories),
            ("real lines", "account", real),
        ):
            report(f"  {label}: {found[kind]}")
            report(f"    without the classifier: {score(rows, policy, None, by=kind)}")


if __name__ == "__main__":
    main()
