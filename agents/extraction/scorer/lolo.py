"""Leave-one-layout-out: every invoice is scored by a scorer trained without any invoice of its layout.

Layouts come from the corpus MANIFEST (`layout`, else `dup_group`, else the file's own id), so two
invoices from one template never sit on both sides of a fold. Extra examples (synthetic invoices,
another corpus) join every fold's training set; they never contain the held-out layout.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from agents.extraction.scorer.examples import Example, examples_from_document
from agents.extraction.scorer.features import FEATURES
from agents.extraction.scorer.model import FieldScorer, train
from schemas.document import ReadResult

Reader = Callable[[Path], ReadResult]
Progress = Callable[[str], None]


def layouts(directory: Path) -> dict[str, str]:
    """Document id → layout, from MANIFEST.csv (each id is its own layout where none is named)."""
    found: dict[str, str] = {}
    manifest = directory / "MANIFEST.csv"
    if manifest.is_file():
        with manifest.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found[row["id"]] = row.get("layout") or row.get("dup_group") or row["id"]
    for pdf in directory.glob("*.pdf"):
        found.setdefault(pdf.stem, pdf.stem)
    return found


def corpus_examples(
    directory: Path, read: Reader, *, cache: Path | None = None, progress: Progress | None = None
) -> dict[str, list[Example]]:
    """Examples per document id for every `<id>.pdf` with a truth `<id>.json`; cached as JSON if asked.

    The cache is keyed by the feature list: a scorer with other features rebuilds it.
    """
    if cache is not None and cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("features") == list(FEATURES):
            return {doc: [Example.from_dict(e) for e in rows] for doc, rows in data["documents"].items()}
    found: dict[str, list[Example]] = {}
    for pdf in sorted(directory.glob("*.pdf")):
        truth_path = pdf.with_suffix(".json")
        if not truth_path.is_file():
            continue
        if progress is not None:
            progress(pdf.name)
        truth: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8"))
        try:
            read_result = read(pdf)
        except Exception as exc:
            if progress is not None:
                progress(f"{pdf.name}: skipped ({exc})")
            continue
        found[pdf.stem] = examples_from_document(read_result, truth, pdf.stem)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "features": list(FEATURES),
            "documents": {d: [e.to_dict() for e in x] for d, x in found.items()},
        }
        cache.write_text(json.dumps(payload), encoding="utf-8")
    return found


def fold_scorers(
    examples: Mapping[str, Sequence[Example]],
    layout_of: Mapping[str, str],
    extra: Sequence[Example] = (),
    *,
    seed: int = 7,
    calibrate: bool = True,
    progress: Progress | None = None,
) -> dict[str, FieldScorer]:
    """Layout → a scorer trained on every other layout's examples plus `extra`."""
    held = sorted({layout_of.get(doc, doc) for doc in examples})
    scorers: dict[str, FieldScorer] = {}
    for layout in held:
        if progress is not None:
            progress(layout)
        training = [e for doc, rows in examples.items() if layout_of.get(doc, doc) != layout for e in rows]
        scorers[layout] = train([*training, *extra], seed, calibrate=calibrate)
    return scorers


def flatten(examples: Mapping[str, Sequence[Example]]) -> list[Example]:
    return [e for doc in sorted(examples) for e in examples[doc]]
