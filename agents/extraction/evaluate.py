"""Corpus evaluation of the extraction agent on the visual path (`kontor eval DIR...`).

Each `<id>.pdf` with a truth `<id>.json` beside it is stripped of its embedded e-invoice XML first, so
only the page is read. Scoring is `agents.extraction.scoring`. Every score is averaged within a
`dup_group` (MANIFEST.csv) first, so one invoice in five profiles counts once; the report is broken
down per style (`visual_style`, or `layout` in the hand-labelled set), per language and per layout.
Addresses and delivery dates are not in the hybrid set's truth JSON: their truth is the embedded XML.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pydantic import BaseModel, Field

from agents.einvoice import find_xml_in_pdf, read_einvoice
from agents.extraction.agent import ExtractionAgent
from agents.extraction.report import CalibrationBin, StyleReport, calibration, summarise
from agents.extraction.scoring import STATUTORY_FIELDS, Marks, line_f1, mark
from app.errors import KontorError
from app.pipeline.read import read_pdf
from schemas.document import ReadResult

Progress = Callable[[str], None]
#: How a corpus PDF (embedded XML already stripped) becomes pages: the text layer, or a scan of it.
Reader = Callable[[bytes, str], ReadResult]


def read_text_layer(data: bytes, name: str) -> ReadResult:
    return read_pdf(data)


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
    languages: dict[str, StyleReport] = Field(default_factory=dict)
    layouts: dict[str, StyleReport] = Field(default_factory=dict)
    calibration: list[CalibrationBin]
    seconds_median: float
    seconds_mean: float
    model_questions_mean: float
    errors: dict[str, str] = Field(default_factory=dict)
    mistakes: list[Mistake] = Field(default_factory=list)


@dataclass(frozen=True)
class _Meta:
    group: str
    style: str
    language: str
    layout: str


@dataclass
class DocScore:
    file: str
    meta: _Meta
    marks: Marks
    line_f1: float | None
    line_f1_described: float | None


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


def evaluate(
    dirs: Sequence[Path],
    agent: ExtractionAgent,
    *,
    progress: Progress | None = None,
    read: Reader = read_text_layer,
    files: Sequence[Path] | None = None,
) -> EvalReport:
    """Score `files` (default: the whole corpus of `dirs`), each read by `read`."""
    manifest = _manifest(dirs)
    scores: list[DocScore] = []
    errors: dict[str, str] = {}
    seconds: list[float] = []
    questions: list[int] = []
    for path in corpus_files(dirs) if files is None else files:
        if progress is not None:
            progress(path.name)
        data = path.read_bytes()
        truth = _truth(path, data)
        started = time.perf_counter()
        try:
            result = agent.extract(read(strip_embedded_xml(data), path.name))
        except (KontorError, pikepdf.PdfError) as exc:
            errors[path.name] = str(exc)
            continue
        seconds.append(time.perf_counter() - started)
        questions.append(result.questions)
        meta = manifest.get(path.stem, _Meta(path.stem, "unknown", "unknown", path.stem))
        invoice = result.invoice
        scores.append(
            DocScore(
                path.name,
                meta,
                mark(invoice, truth),
                line_f1(invoice, truth),
                line_f1(invoice, truth, described=True),
            )
        )
    return _report(scores, errors, seconds, questions)


def _truth(path: Path, data: bytes) -> dict[str, Any]:
    """The truth JSON, with addresses and delivery date from the embedded XML where the JSON lacks them."""
    truth: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    missing = [name for name in STATUTORY_FIELDS if name not in truth]
    if missing and (found := find_xml_in_pdf(data)):
        try:
            xml_invoice = read_einvoice(found[1]).invoice
        except KontorError:
            return truth
        for name in missing:
            value = getattr(xml_invoice, name)
            truth[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return truth


def _manifest(dirs: Sequence[Path]) -> dict[str, _Meta]:
    entries: dict[str, _Meta] = {}
    for directory in dirs:
        path = directory / "MANIFEST.csv"
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    entries[row["id"]] = _Meta(
                        group=row.get("dup_group") or row["id"],
                        style=row.get("visual_style") or row.get("layout") or "unknown",
                        language=row.get("language") or "unknown",
                        layout=row.get("layout") or row.get("dup_group") or row["id"],
                    )
    return entries


def _report(
    scores: list[DocScore], errors: dict[str, str], seconds: list[float], questions: list[int]
) -> EvalReport:
    def by(key: Callable[[DocScore], str]) -> dict[str, StyleReport]:
        keys = sorted({key(s) for s in scores})
        return {k: summarise(_rows([s for s in scores if key(s) == k])) for k in keys}

    return EvalReport(
        documents=len(scores),
        groups=len({s.meta.group for s in scores}),
        overall=summarise(_rows(scores)),
        styles=by(lambda s: s.meta.style),
        languages=by(lambda s: s.meta.language),
        layouts=by(lambda s: s.meta.layout),
        calibration=calibration(_rows(scores)),
        seconds_median=round(statistics.median(seconds), 3) if seconds else 0.0,
        seconds_mean=round(statistics.fmean(seconds), 3) if seconds else 0.0,
        model_questions_mean=round(statistics.fmean(questions), 2) if questions else 0.0,
        errors=errors,
        mistakes=[
            Mistake(
                file=s.file,
                field=name,
                expected=expected,
                got=got,
                confidence=s.marks.confidences.get(name),
            )
            for s in scores
            for name, (expected, got) in s.marks.wrong.items()
        ],
    )


def _rows(scores: list[DocScore]) -> list[tuple[str, Marks, float | None, float | None]]:
    return [(s.meta.group, s.marks, s.line_f1, s.line_f1_described) for s in scores]
