"""`evaluate` on a slice of the hand-labelled set: per language and layout, uncertain truth apart."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from agents.extraction.agent import ExtractionAgent
from agents.extraction.evaluate import evaluate, read_and_extract
from tests.corpus import corpus_dir


def _slice(target: Path, count: int) -> list[dict[str, str]]:
    """The first `count` invoices of `real/` that list uncertain fields, with their manifest rows."""
    source = corpus_dir() / "real"
    with (source / "MANIFEST.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if json.loads((source / f"{r['id']}.json").read_text()).get("uncertain")
        ]
    chosen = rows[:count]
    for row in chosen:
        for suffix in (".pdf", ".json"):
            shutil.copy(source / f"{row['id']}{suffix}", target / f"{row['id']}{suffix}")
    with (target / "MANIFEST.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(chosen[0]))
        writer.writeheader()
        writer.writerows(chosen)
    return chosen


def test_report_per_language_and_layout_with_uncertain_fields_apart(tmp_path: Path) -> None:
    rows = _slice(tmp_path, 3)
    report = evaluate([tmp_path], read_and_extract(ExtractionAgent(None)))
    assert report.documents == len(rows)
    assert set(report.languages) == {r["language"] for r in rows}
    assert set(report.layouts) == {r["layout"] for r in rows}
    truths = [json.loads((tmp_path / f"{r['id']}.json").read_text()) for r in rows]
    unsure = {f for t in truths for f in t["uncertain"] if f in report.overall.uncertain}
    assert unsure
    for field in unsure:
        sure = [t for t in truths if field not in t["uncertain"] and t.get(field) is not None]
        expected = len(sure)
        got = report.overall.fields[field].groups if field in report.overall.fields else 0
        assert got == expected, field
