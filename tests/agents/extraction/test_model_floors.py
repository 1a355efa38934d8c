"""Accuracy floors with the real embedded model on both corpora (visual path), a few points under the
figures measured when they were set (see the report in `kontor eval`): a change that loses them fails.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from agents.backends import load_backend
from agents.einvoice import find_xml_in_pdf, read_einvoice
from agents.extraction.agent import ExtractionAgent, ExtractionResult
from agents.extraction.evaluate import EvalReport, evaluate, read_and_extract
from schemas.invoice import Invoice
from tests.corpus import corpus_dir

#: Hand-labelled real layouts (`real/`), measured: header 0.901, totals 0.876, gross total 0.822,
#: invoice number 0.907, seller 0.857, buyer 0.850, line-item F1 0.954 (before this work: 0.624,
#: 0.543, 0.378, 0.488, 0.571, 0.175; line-item F1 0.499 before the multilingual table reading).
#: Totals after the sum-row, spaced-thousands and printed-completion work: totals 1.0, gross total 1.0
#: (the scorer and the model choose no total, so these are the rules' figures on every layout).
REAL_FLOORS = {"header": 0.86, "totals": 0.95, "line_items_f1": 0.92}
REAL_FIELD_FLOORS = {"gross_total": 0.95, "invoice_number": 0.86, "seller_name": 0.81, "buyer_name": 0.80}
#: E-invoice sample layouts (`invoices/`), measured: header 0.9415, totals 0.9623, line F1 0.9462,
#: addresses 0.838.
INVOICES_FLOORS = {"header": 0.92, "totals": 0.94, "line_items_f1": 0.92, "addresses": 0.78}
#: VAT rates read off the page against the embedded XML's breakdown, per file whose XML states rates:
#: measured 0.92 of the pages that state rates have exactly the XML's set, and 0.80 of all such files
#: (0.78 and 0.64 before the single printed rate and the rows that make up the totals).
RATE_FLOORS = {"precision": 0.88, "recall": 0.75}


@pytest.fixture(scope="module")
def agent() -> ExtractionAgent:
    return ExtractionAgent(load_backend("llama", n_threads=2))


def _figures(report: EvalReport) -> dict[str, float]:
    overall = report.overall
    pairs = {
        "header": overall.header_accuracy,
        "totals": overall.totals_accuracy,
        "line_items_f1": overall.line_items_f1,
        "addresses": overall.address_accuracy,
    }
    return {name: value for name, value in pairs.items() if value is not None}


@pytest.mark.model
def test_real_layouts_keep_their_floors(agent: ExtractionAgent) -> None:
    report = evaluate([corpus_dir() / "real"], read_and_extract(agent))
    assert report.errors == {}
    figures = _figures(report)
    for name, floor in REAL_FLOORS.items():
        assert figures[name] >= floor, (name, figures[name])
    for field, floor in REAL_FIELD_FLOORS.items():
        assert report.overall.fields[field].accuracy >= floor, (field, report.overall.fields[field])


def _rates(invoice: Invoice) -> set[Decimal]:
    return {row.rate for row in invoice.tax_breakdown if row.rate is not None}


@pytest.mark.model
def test_invoice_corpus_visual_path_keeps_its_floors(agent: ExtractionAgent) -> None:
    pages: dict[Path, set[Decimal]] = {}

    def observe(path: Path, result: ExtractionResult) -> None:
        pages[path] = _rates(result.invoice)

    report = evaluate([corpus_dir() / "invoices"], read_and_extract(agent), observe=observe)
    figures = _figures(report)
    for name, floor in INVOICES_FLOORS.items():
        assert figures[name] >= floor, (name, figures[name])
    stated = right = known = 0
    for path, page in pages.items():
        found = find_xml_in_pdf(path.read_bytes())
        xml = _rates(read_einvoice(found[1]).invoice) if found else set()
        if xml:
            known += 1
            stated += bool(page)
            right += page == xml
    assert right / stated >= RATE_FLOORS["precision"], (right, stated)
    assert right / known >= RATE_FLOORS["recall"], (right, known)
