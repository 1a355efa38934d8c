"""The scan figure of `kontor eval --scan`, guarded on a fixed handful of real pages (issue #13).

Six one-page invoices of `real/` in six languages are made into degraded scans exactly as the scan
evaluation makes them (fixed seed), read by Tesseract and extracted by the real embedded model. The
floor is a few points under the header accuracy measured when it was set: a change to the OCR, its
models or the degradation that loses fields fails here, without the full evaluation's hour.
"""

from __future__ import annotations

import pytest

from agents.backends import load_backend
from agents.extraction.agent import ExtractionAgent
from agents.extraction.evaluate import evaluate
from agents.reading.scan_eval import ScanReader
from agents.reading.scanned import OcrConfig
from tests.corpus import corpus_dir

#: One page each: German (two layouts), Dutch, Czech, Spanish, Polish.
PAGES = (
    "D003_muster_gmbh_vorlage",
    "D015_ionos",
    "D025_eutransport_nl",
    "D027_invoiceprinter_cz",
    "D031_factverifact_es",
    "D044_herbalstore_pl",
)
#: Measured on these scans: header 0.857 (the text layer of the same pages: 0.905); a few points under
#: (two more fields missed of the 42 would fail it).
HEADER_FLOOR = 0.80


@pytest.mark.model
def test_degraded_scans_of_a_fixed_handful_of_pages_keep_their_header_floor() -> None:
    agent = ExtractionAgent(load_backend("llama", n_threads=2))
    reader = ScanReader(OcrConfig(tessdata=None, languages="deu+eng"))
    folder = corpus_dir() / "real"
    report = evaluate(
        [folder],
        lambda data, name: agent.extract(reader(data, name)),
        files=[folder / f"{name}.pdf" for name in PAGES],
    )
    assert report.errors == {}
    assert report.documents == len(PAGES)
    assert report.overall.header_accuracy is not None
    assert report.overall.header_accuracy >= HEADER_FLOOR, report.mistakes
