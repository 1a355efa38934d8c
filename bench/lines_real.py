"""Line-item F1 of the page path on the hand-labelled real-layout set, per invoice, layout and language.

Run from the repository root: `.venv/bin/python bench/lines_real.py [-v] [--cache FILE] [--only ID]`.
The figure is the one `kontor eval` reports (F1 on net amounts per invoice, averaged per invoice);
a stricter one (description, quantity and price too, `lines_score`) is printed beside it. Layouts
weigh once each in the per-layout mean, so one template with many rows cannot dominate.
"""

from __future__ import annotations

import argparse
import csv
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agents.extraction.evaluate import strip_embedded_xml
from agents.extraction.lines import extract_line_items
from agents.extraction.lines_score import match_line_items, scored_truth
from agents.reading import read_pdf
from schemas.document import ReadResult
from schemas.invoice import LineItem
from tests.corpus import corpus_dir

Counts = tuple[int, int, int]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-v", "--verbose", action="store_true", help="print items of imperfect invoices")
    parser.add_argument("--cache", type=Path, help="pickle of read results, made on first use")
    parser.add_argument("--only", help="score the invoices whose id starts with this")
    args = parser.parse_args()
    folder = corpus_dir() / "real"
    manifest = list(csv.DictReader((folder / "MANIFEST.csv").open(encoding="utf-8")))
    if args.only:
        manifest = [r for r in manifest if r["id"].startswith(args.only)]
    reads = _reads(folder, manifest, args.cache)
    amount_f1: dict[str, float] = {}
    strict: dict[str, Counts] = {}
    for row in manifest:
        truth_json = json.loads((folder / f"{row['id']}.json").read_text(encoding="utf-8"))
        truth = scored_truth([LineItem.model_validate(t) for t in truth_json.get("line_items") or []])
        if not truth:
            continue
        predicted = extract_line_items(reads[row["id"]]).items
        amount_f1[row["id"]] = _amount_f1(predicted, truth)
        strict[row["id"]] = match_line_items(predicted, truth)
        if args.verbose:
            _show(row["id"], predicted, truth, amount_f1[row["id"]])
    _report(manifest, amount_f1, strict)


def _reads(folder: Path, manifest: list[dict[str, str]], cache: Path | None) -> dict[str, ReadResult]:
    if cache is not None and cache.exists():
        loaded: dict[str, ReadResult] = pickle.loads(cache.read_bytes())
        if all(r["id"] in loaded for r in manifest):
            return loaded
    reads = {
        r["id"]: read_pdf(strip_embedded_xml((folder / f"{r['id']}.pdf").read_bytes())) for r in manifest
    }
    if cache is not None:
        cache.write_bytes(pickle.dumps(reads))
    return reads


def _amount_f1(predicted: list[LineItem], truth: list[LineItem]) -> float:
    """`kontor eval`'s line F1: items matched on net amount to the cent."""
    remaining = list(truth)
    hits = 0
    for item in predicted:
        match = next((t for t in remaining if t.net_amount == item.net_amount), None)
        if match is not None and item.net_amount is not None:
            remaining.remove(match)
            hits += 1
    return _f1(hits, len(predicted) - hits, len(truth) - hits)


def _f1(tp: int | float, fp: int | float, fn: int | float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def _show(name: str, predicted: list[LineItem], truth: list[LineItem], f1: float) -> None:
    if f1 == 1.0:
        return
    _say(f"--- {name} amount F1 {f1:.3f} predicted {len(predicted)} truth {len(truth)}")
    for item in predicted:
        _say(f"  P {_item(item)}")
    for item in truth:
        _say(f"  T {_item(item)}")


def _item(item: LineItem) -> str:
    numbers = f"q={item.quantity} u={item.unit_code} p={item.unit_price} n={item.net_amount}"
    return f"{(item.description or '')[:60]!r:64} {numbers}"


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _report(manifest: list[dict[str, str]], amount_f1: dict[str, float], strict: dict[str, Counts]) -> None:
    rows = {r["id"]: r for r in manifest if r["id"] in amount_f1}
    for key in ("language", "layout"):
        groups: dict[str, list[str]] = defaultdict(list)
        for name, row in rows.items():
            groups[row[key]].append(name)
        for group, names in sorted(groups.items()):
            mean = sum(amount_f1[n] for n in names) / len(names)
            tp, fp, fn = (sum(strict[n][i] for n in names) for i in range(3))
            _say(f"{key} {group:32} n={len(names):2} amount F1 {mean:.3f}  strict F1 {_f1(tp, fp, fn):.3f}")
    overall = sum(amount_f1.values()) / len(amount_f1) if amount_f1 else 0.0
    layouts: dict[str, list[float]] = defaultdict(list)
    for name, row in rows.items():
        layouts[row["layout"]].append(amount_f1[name])
    per_layout = sum(sum(v) / len(v) for v in layouts.values()) / max(len(layouts), 1)
    tp, fp, fn = (sum(c[i] for c in strict.values()) for i in range(3))
    _say(
        f"ALL invoices={len(amount_f1)} amount F1 {overall:.4f}  per-layout mean {per_layout:.4f}  "
        f"strict micro F1 {_f1(tp, fp, fn):.4f} (tp={tp} fp={fp} fn={fn})"
    )


if __name__ == "__main__":
    main()
