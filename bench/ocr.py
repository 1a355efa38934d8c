"""`make bench`: OCR seconds per page, on one thread. Numbers, not tests.

The first pages of the real corpus (`corpus/real`), made into degraded scans the way `kontor eval
--scan` makes them, are rendered at the OCR resolution; each is then read by `read_image` (deskew,
orientation check, recognition). CPU seconds are this process's own (Tesseract runs on one thread),
so other load on the machine inflates them less than the wall seconds, which are shown too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents.extraction.evaluate import corpus_files, strip_embedded_xml  # noqa: E402
from agents.reading.ocr import OcrEngine, engine_problem, find_tessdata, read_image  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.pipeline.ocr import render_page  # noqa: E402
from app.pipeline.ocr_eval import ScanReader  # noqa: E402
from app.pipeline.steps import ocr_config  # noqa: E402
from tests.corpus import corpus_dir  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=20, help="pages to time (default 20)")
    parser.add_argument("--rotate", type=int, default=0, help="turn the scans 90, 180 or 270 degrees")
    args = parser.parse_args()
    config = ocr_config(get_settings().ocr.model_copy(update={"enabled": True}))
    assert config is not None
    tessdata = find_tessdata(config.tessdata)
    if problem := engine_problem(tessdata, config.languages):
        sys.exit(f"OCR bench skipped: {problem}")
    assert tessdata is not None
    engine = OcrEngine(tessdata, config.languages)
    reader = ScanReader(config, rotate=args.rotate)
    images = []
    for path in corpus_files([corpus_dir() / "real"])[: args.limit]:
        scan = reader.scan(strip_embedded_xml(path.read_bytes()), path.name)
        images.append(render_page(scan, 0, config.dpi))
    read_image(images[0], engine)  # load the models, untimed
    cpu, wall = [], []
    for image in images:
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        read_image(image, engine)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    print(
        f"OCR ({config.languages}, {config.dpi} dpi, rotate {args.rotate}), "
        f"{len(images)} scanned pages, one thread:"
    )
    print(f"  CPU  median {statistics.median(cpu):.2f} s/page, p90 {percentile(cpu, 0.9):.2f} s/page")
    print(f"  wall median {statistics.median(wall):.2f} s/page, p90 {percentile(wall, 0.9):.2f} s/page")


if __name__ == "__main__":
    main()
