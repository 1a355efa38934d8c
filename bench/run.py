"""`make bench`: speed on the invoice corpus, on this machine. Numbers, not tests.

1. Visual path end to end (embedded XML stripped): `read_pdf` + the extraction agent with the
   configured model, median seconds per one-page invoice, and the ratio to the floor: the same
   `read_pdf` plus ONE model pass over the document's text (the least any model-reading design costs).
2. The real-layout set (`corpus/real`) end to end on the page path: median and p90 seconds per
   invoice, and where the slowest ones spend their time (`bench/real.py`).
3. E-invoice path: `bench/einvoice.py` (median ms to read an XML).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents.extraction.agent import ExtractionAgent  # noqa: E402
from agents.extraction.evaluate import strip_embedded_xml  # noqa: E402
from agents.llama import LlamaBackend  # noqa: E402
from agents.reading.pdf import read_pdf  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.runtime import backend_from_settings  # noqa: E402
from bench.real import report, time_folder  # noqa: E402
from tests.corpus import corpus_dir  # noqa: E402


def one_page_representatives(limit: int) -> list[tuple[Path, str]]:
    """One PDF per duplicate group with a single page, with its visual style."""
    invoices = corpus_dir() / "invoices"
    with (invoices / "MANIFEST.csv").open(encoding="utf-8") as handle:
        rows = [
            r for r in csv.DictReader(handle) if r["pages"] == "1" and r["group_representative"] == "True"
        ]
    return [(invoices / f"{r['id']}.pdf", r["visual_style"]) for r in rows][:limit]


def timed(call: object) -> float:
    started = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=40, help="documents to time (default 40)")
    parser.add_argument("--real-only", action="store_true", help="time only the real-layout set")
    args = parser.parse_args()
    backend = backend_from_settings(get_settings())
    agent = ExtractionAgent(backend)
    print("\n".join(report(time_folder(agent, corpus_dir() / "real"))))
    if args.real_only:
        return
    files = one_page_representatives(args.limit)
    pdfs = [(strip_embedded_xml(path.read_bytes()), style) for path, style in files]
    agent.extract(read_pdf(pdfs[0][0]))  # load the model and warm the caches, untimed
    end_to_end: dict[str, list[float]] = {}
    floors: list[float] = []
    for data, style in pdfs:
        end_to_end.setdefault(style, []).append(timed(lambda d=data: agent.extract(read_pdf(d))))
        floors.append(timed(lambda d=data: _floor(backend, d)))
    every = [t for times in end_to_end.values() for t in times]
    print(f"model: {backend.name}, {len(every)} one-page invoices (visual path)")
    for style, times in sorted(end_to_end.items()):
        print(f"  {style:20s} median {statistics.median(times):.3f} s  (n={len(times)})")
    median, floor = statistics.median(every), statistics.median(floors)
    print(f"  all                  median {median:.3f} s, p90 {sorted(every)[int(0.9 * len(every))]:.3f} s")
    print(f"  floor (read + one model pass) median {floor:.3f} s; ratio {median / floor:.2f}")
    subprocess.run([sys.executable, str(ROOT / "bench" / "einvoice.py")], check=True)


def _floor(backend: object, data: bytes) -> None:
    read = read_pdf(data)
    text = "\n".join(page.text for page in read.pages)
    if isinstance(backend, LlamaBackend):
        backend.reset()  # a cold pass, as a first question on a new document is
    backend.score(text, ["."])  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
