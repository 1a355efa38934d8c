"""Median time to read one e-invoice, over the whole corpus: `python bench/einvoice.py [--repeat N]`.

Reports `read_einvoice` on the XML (parse, map, XSD, business rules) for every corpus file, and
separately finding the XML inside the hybrid PDFs. Each file is read once untimed first, so schema
loading (once per process) is not counted.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents.einvoice import find_xml_in_pdf, read_einvoice  # noqa: E402
from tests.corpus import corpus_dir  # noqa: E402


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    call()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _corpus_xml() -> list[tuple[str, bytes, bytes | None]]:
    """(name, xml, pdf or None) for every corpus e-invoice."""
    files: list[tuple[str, bytes, bytes | None]] = []
    for pdf_path in sorted((corpus_dir() / "invoices").glob("*.pdf")):
        pdf = pdf_path.read_bytes()
        found = find_xml_in_pdf(pdf)
        if found is not None:
            files.append((pdf_path.name, found[1], pdf))
    files += [(p.name, p.read_bytes(), None) for p in sorted((corpus_dir() / "xml").glob("*.xml"))]
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="timed reads per file (default 5)")
    args = parser.parse_args()
    files = _corpus_xml()
    reads = [_median_ms(functools.partial(read_einvoice, xml), args.repeat) for _, xml, _ in files]
    finds = [_median_ms(functools.partial(find_xml_in_pdf, pdf), args.repeat) for _, _, pdf in files if pdf]
    slowest = max(zip(reads, (name for name, _, _ in files), strict=True))
    slowest_ms, slowest_name = slowest
    sys.stdout.write(
        f"read_einvoice:   median {statistics.median(reads):.2f} ms per file over {len(reads)} files\n"
        f"                 p95 {statistics.quantiles(reads, n=20)[-1]:.2f} ms, "
        f"slowest {slowest_ms:.2f} ms ({slowest_name})\n"
        f"find_xml_in_pdf: median {statistics.median(finds):.2f} ms per PDF over {len(finds)} PDFs\n"
    )


if __name__ == "__main__":
    main()
