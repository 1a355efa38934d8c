"""The scorer's honest figure: leave-one-layout-out on the hand-labelled real layouts, embedded model on.

Every real invoice is extracted by a scorer trained without its layout (real/ only here, to keep the
test short; `python -m bench.scorer lolo` adds synthetic invoices). Floors sit a few points under the
figures measured when they were set; the scorer must not lose to the rules on the same run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.backends import load_backend
from agents.base import Backend
from agents.extraction.agent import ExtractionAgent
from agents.extraction.evaluate import EvalReport, evaluate, read_and_extract, strip_embedded_xml
from agents.extraction.scorer.lolo import corpus_examples, fold_scorers, layouts
from agents.reading import read_pdf
from schemas.document import ReadResult
from tests.corpus import corpus_dir

#: Measured LOLO on real/ (trained on real/ only, embedded model on;
#: `python -m bench.scorer lolo ../shared/corpus/real --model --no-calibration`): header 0.9299,
#: invoice number 0.9535, issue date 0.9535, seller 0.9762 (rules alone: 0.9268, 0.9535, 0.9535, 0.9524);
#: the embedded model asked 0.02 times per invoice (issue date ties only). Gross total 1.0 (0.822 before
#: the totals work; no total is chosen by the scorer).
LOLO_FLOORS = {
    "header": 0.90,
    "invoice_number": 0.92,
    "issue_date": 0.92,
    "seller_name": 0.94,
    "gross_total": 0.95,
}


def _read(path: Path) -> ReadResult:
    return read_pdf(strip_embedded_xml(path.read_bytes()))


@pytest.fixture(scope="module")
def backend() -> Backend:
    return load_backend("llama", n_threads=2)


def _figures(report: EvalReport) -> dict[str, float]:
    fields = report.overall.fields
    figures = {name: fields[name].accuracy for name in LOLO_FLOORS if name in fields}
    figures["header"] = report.overall.header_accuracy or 0.0
    return figures


@pytest.mark.model
def test_leave_one_layout_out_keeps_its_floors_and_ties_or_beats_the_rules(backend: Backend) -> None:
    real = corpus_dir() / "real"
    examples = corpus_examples(real, _read)
    scorers = fold_scorers(examples, layouts(real), calibrate=False)
    lolo = evaluate(
        [real],
        read_and_extract(ExtractionAgent(backend, scorer=None)),
        extract_for=lambda layout: read_and_extract(ExtractionAgent(backend, scorer=scorers[layout])),
    )
    rules = evaluate([real], read_and_extract(ExtractionAgent(backend, scorer=None)))
    assert lolo.errors == {}
    figures = _figures(lolo)
    for name, floor in LOLO_FLOORS.items():
        assert figures[name] >= floor, (name, figures[name])
    assert figures["header"] >= (rules.overall.header_accuracy or 0.0)
