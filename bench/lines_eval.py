"""Line-item F1 of the visual path on the hybrid-PDF corpus, per `dup_group` and per visual style.

Run from the repository root: `.venv/bin/python bench/lines_eval.py [-v] [--cache FILE]`.
Each group weighs as one invoice: its members' counts are averaged. MINIMUM and BASIC-WL members
(no line items in their XML) are skipped.
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

from agents.extraction.lines import extract_line_items
from agents.extraction.lines_score import match_line_items, scored_truth
from agents.reading.pdf import read_pdf
from schemas.document import ReadResult
from schemas.invoice import LineItem
from tests.corpus import corpus_dir

SKIPPED_PROFILES = {"MINIMUM", "BASIC-WL"}
Counts = tuple[float, float, float]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--cache", type=Path, help="pickle of read results, made on first use")
    args = parser.parse_args()
    folder = corpus_dir() / "invoices"
    manifest = list(csv.DictReader((folder / "MANIFEST.csv").open(encoding="utf-8")))
    reads = _reads(folder, manifest, args.cache)
    groups: dict[str, list[Counts]] = defaultdict(list)
    styles: dict[str, str] = {}
    for row in manifest:
        counts = _score(folder, row, reads, args.verbose)
        if counts is not None:
            groups[row["dup_group"]].append(counts)
            styles[row["dup_group"]] = row["visual_style"]
    _report(groups, styles)


def _reads(folder: Path, manifest: list[dict[str, str]], cache: Path | None) -> dict[str, ReadResult]:
    if cache is not None and cache.exists():
        loaded: dict[str, ReadResult] = pickle.loads(cache.read_bytes())
        return loaded
    reads = {r["id"]: read_pdf((folder / f"{r['id']}.pdf").read_bytes()) for r in manifest}
    if cache is not None:
        cache.write_bytes(pickle.dumps(reads))
    return reads


def _score(folder: Path, row: dict[str, str], reads: dict[str, ReadResult], verbose: bool) -> Counts | None:
    truth_json = json.loads((folder / f"{row['id']}.json").read_text(encoding="utf-8"))
    truth = scored_truth([LineItem.model_validate(t) for t in truth_json.get("line_items") or []])
    if row["profile_class"] in SKIPPED_PROFILES or not truth:
        return None
    result = extract_line_items(reads[row["id"]])
    tp, fp, fn = match_line_items(result.items, truth)
    if verbose and (fp or fn):
        _say(f"--- {row['id']} tp={tp} fp={fp} fn={fn} conf={result.confidence}")
        for item in result.items:
            _say(f"  P {_show(item)}")
        for item in truth:
            _say(f"  T {_show(item)}")
    return float(tp), float(fp), float(fn)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _show(item: LineItem) -> str:
    numbers = (
        f"q={item.quantity} u={item.unit_code} p={item.unit_price} n={item.net_amount} t={item.tax_rate}"
    )
    return f"{item.description!r:.60} {numbers}"


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def _report(groups: dict[str, list[Counts]], styles: dict[str, str]) -> None:
    per_style: dict[str, list[Counts]] = defaultdict(list)
    for group, members in groups.items():
        mean = tuple(sum(m[i] for m in members) / len(members) for i in range(3))
        per_style[styles[group]].append(mean)  # type: ignore[arg-type]
        per_style["all"].append(mean)  # type: ignore[arg-type]
    for style, counts in sorted(per_style.items()):
        tp, fp, fn = (sum(c[i] for c in counts) for i in range(3))
        macro = sum(_f1(*c) for c in counts) / len(counts)
        _say(
            f"{style:18} groups={len(counts):3} tp={tp:6.1f} fp={fp:5.1f} fn={fn:5.1f} "
            f"F1 micro={_f1(tp, fp, fn):.3f} macro={macro:.3f}"
        )


if __name__ == "__main__":
    main()
