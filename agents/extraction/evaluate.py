"""Corpus evaluation of the extraction agent on the visual path (`kontor eval DIR...`).

Each `<id>.pdf` with a truth `<id>.json` beside it is stripped of its embedded e-invoice XML first, so
only the page is read. Scoring follows the corpus README: a null truth is not scored, amounts match
to the cent, identifiers without spaces and case, names after folding case and whitespace. Every
score is averaged within a `dup_group` (MANIFEST.csv) first, so one invoice in five profiles counts once.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pikepdf
from pydantic import BaseModel, Field

from agents.extraction.agent import ExtractionAgent
from app.errors import KontorError
from app.pipeline.read import read_pdf
from schemas.invoice import AMOUNT_FIELDS, HEADER_FIELDS, Invoice

_IDS = frozenset(
    {
        "invoice_number",
        "seller_vat_id",
        "buyer_vat_id",
        "seller_tax_number",
        "iban",
        "payer_iban",
        "bic",
        "purchase_order",
    }
)
_NAMES = frozenset({"seller_name", "buyer_name", "payment_terms"})
_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)

Progress = Callable[[str], None]


class FieldAccuracy(BaseModel):
    accuracy: float
    groups: int


class CalibrationBin(BaseModel):
    lower: float
    upper: float
    count: int
    mean_confidence: float
    accuracy: float


class StyleReport(BaseModel):
    documents: int
    groups: int
    header_accuracy: float | None
    totals_accuracy: float | None
    line_items_f1: float | None
    fields: dict[str, FieldAccuracy]
    calibration: list[CalibrationBin]


class Mistake(BaseModel):
    file: str
    field: str
    expected: str
    got: str | None
    confidence: float | None


class EvalReport(BaseModel):
    documents: int
    groups: int
    overall: StyleReport
    styles: dict[str, StyleReport]
    calibration: list[CalibrationBin]
    seconds_median: float
    seconds_mean: float
    model_questions_mean: float
    errors: dict[str, str] = Field(default_factory=dict)
    mistakes: list[Mistake] = Field(default_factory=list)


@dataclass
class _DocScore:
    file: str
    group: str
    style: str
    fields: dict[str, bool]
    confidences: dict[str, float]
    line_f1: float | None


def strip_embedded_xml(data: bytes) -> bytes:
    """The PDF without its e-invoice attachment (`/Root/Names/EmbeddedFiles` and `/AF`)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        if "/Names" in root and "/EmbeddedFiles" in root.Names:
            del root.Names["/EmbeddedFiles"]
        if "/AF" in root:
            del root["/AF"]
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def corpus_files(dirs: Sequence[Path]) -> list[Path]:
    """Every PDF with a truth JSON beside it, in name order."""
    return sorted(p for d in dirs for p in d.glob("*.pdf") if p.with_suffix(".json").is_file())


def evaluate(dirs: Sequence[Path], agent: ExtractionAgent, *, progress: Progress | None = None) -> EvalReport:
    manifest = _manifest(dirs)
    scores: list[_DocScore] = []
    mistakes: list[Mistake] = []
    errors: dict[str, str] = {}
    seconds: list[float] = []
    questions: list[int] = []
    for path in corpus_files(dirs):
        if progress is not None:
            progress(path.name)
        truth: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        started = time.perf_counter()
        try:
            result = agent.extract(read_pdf(strip_embedded_xml(path.read_bytes())))
        except (KontorError, pikepdf.PdfError) as exc:
            errors[path.name] = str(exc)
            continue
        seconds.append(time.perf_counter() - started)
        questions.append(result.questions)
        group, style = manifest.get(path.stem, (path.stem, "unknown"))
        scores.append(_score(path.name, group, style, result.invoice, truth, mistakes))
    return _report(scores, mistakes, errors, seconds, questions)


def _manifest(dirs: Sequence[Path]) -> dict[str, tuple[str, str]]:
    entries: dict[str, tuple[str, str]] = {}
    for directory in dirs:
        path = directory / "MANIFEST.csv"
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    entries[row["id"]] = (
                        row.get("dup_group") or row["id"],
                        row.get("visual_style") or "unknown",
                    )
    return entries


def _score(
    file: str, group: str, style: str, invoice: Invoice, truth: dict[str, Any], mistakes: list[Mistake]
) -> _DocScore:
    fields: dict[str, bool] = {}
    confidences: dict[str, float] = {}
    for field in HEADER_FIELDS:
        expected = truth.get(field)
        if expected is None or expected == "" or expected == []:
            continue
        got = getattr(invoice, field)
        fields[field] = got is not None and _normalise(field, got) == _normalise(field, expected)
        if (source := invoice.fields.get(field)) is not None and got is not None:
            confidences[field] = source.confidence
        if not fields[field]:
            mistakes.append(
                Mistake(
                    file=file,
                    field=field,
                    expected=str(expected),
                    got=None if got is None else str(got),
                    confidence=confidences.get(field),
                )
            )
    return _DocScore(file, group, style, fields, confidences, _line_f1(invoice, truth))


def _normalise(field: str, value: object) -> str:
    if field in AMOUNT_FIELDS:
        try:
            return str(Decimal(str(value)).quantize(Decimal("0.01")))
        except InvalidOperation:
            return str(value)
    text = str(value)
    if field in _IDS:
        return "".join(text.split()).upper()
    if field in _NAMES:
        return " ".join(text.casefold().split())
    return text.strip().upper()


def _line_f1(invoice: Invoice, truth: dict[str, Any]) -> float | None:
    """F1 of line items matched on net amount (to the cent); informational and sub-lines are not scored."""
    expected = [
        _cents(item.get("net_amount"))
        for item in truth.get("line_items") or []
        if not item.get("informational") and not item.get("parent_line_id")
    ]
    if not expected:
        return None
    got = [_cents(item.net_amount) for item in invoice.line_items if not item.informational]
    remaining = list(expected)
    hits = 0
    for value in got:
        if value is not None and value in remaining:
            remaining.remove(value)
            hits += 1
    if hits == 0:
        return 0.0
    precision, recall = hits / len(got), hits / len(expected)
    return 2 * precision * recall / (precision + recall)


def _cents(value: object) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _report(
    scores: list[_DocScore],
    mistakes: list[Mistake],
    errors: dict[str, str],
    seconds: list[float],
    questions: list[int],
) -> EvalReport:
    styles = {
        style: _style([s for s in scores if s.style == style]) for style in sorted({s.style for s in scores})
    }
    return EvalReport(
        documents=len(scores),
        groups=len({s.group for s in scores}),
        overall=_style(scores),
        styles=styles,
        calibration=_calibration(scores),
        seconds_median=round(statistics.median(seconds), 3) if seconds else 0.0,
        seconds_mean=round(statistics.fmean(seconds), 3) if seconds else 0.0,
        model_questions_mean=round(statistics.fmean(questions), 2) if questions else 0.0,
        errors=errors,
        mistakes=mistakes,
    )


def _style(scores: list[_DocScore]) -> StyleReport:
    by_group: dict[str, list[_DocScore]] = defaultdict(list)
    for score in scores:
        by_group[score.group].append(score)
    per_field: dict[str, list[float]] = defaultdict(list)
    for docs in by_group.values():
        for field in HEADER_FIELDS:
            marks = [d.fields[field] for d in docs if field in d.fields]
            if marks:
                per_field[field].append(sum(marks) / len(marks))
    line_f1 = [_mean(f for d in docs if (f := d.line_f1) is not None) for docs in by_group.values()]
    return StyleReport(
        documents=len(scores),
        groups=len(by_group),
        header_accuracy=_pooled(per_field, lambda f: f not in AMOUNT_FIELDS),
        totals_accuracy=_pooled(per_field, lambda f: f in AMOUNT_FIELDS),
        line_items_f1=_mean(f for f in line_f1 if f is not None),
        fields={
            f: FieldAccuracy(accuracy=round(sum(v) / len(v), 4), groups=len(v)) for f, v in per_field.items()
        },
        calibration=_calibration(scores),
    )


def _pooled(per_field: dict[str, list[float]], keep: Callable[[str], bool]) -> float | None:
    values = [v for field, marks in per_field.items() if keep(field) for v in marks]
    return round(sum(values) / len(values), 4) if values else None


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else None


def _calibration(scores: list[_DocScore]) -> list[CalibrationBin]:
    pairs = [(c, s.fields[f]) for s in scores for f, c in s.confidences.items() if f in s.fields]
    bins: list[CalibrationBin] = []
    for lower, upper in itertools.pairwise(_BINS):
        inside = [(c, ok) for c, ok in pairs if lower <= c < upper]
        if inside:
            bins.append(
                CalibrationBin(
                    lower=lower,
                    upper=min(upper, 1.0),
                    count=len(inside),
                    mean_confidence=round(statistics.fmean(c for c, _ in inside), 3),
                    accuracy=round(sum(ok for _, ok in inside) / len(inside), 3),
                )
            )
    return bins
