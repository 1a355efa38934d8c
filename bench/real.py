"""Seconds per invoice on the real-layout set (`corpus/real`), end to end on the page path.

Each PDF is read (`read_pdf`, embedded XML stripped first) and extracted by the agent with the model
the app is configured with, as a page-read upload is. Reported: median and p90 over the invoices,
and the slowest ones split into reading and extracting, so a slow one says where its time goes.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from agents.extraction.agent import ExtractionAgent
from agents.extraction.evaluate import strip_embedded_xml
from agents.reading import read_pdf


@dataclass(frozen=True)
class Timing:
    name: str
    pages: int
    read_s: float
    extract_s: float

    @property
    def total_s(self) -> float:
        return self.read_s + self.extract_s


def time_invoice(agent: ExtractionAgent, path: Path) -> Timing:
    data = strip_embedded_xml(path.read_bytes())
    started = time.perf_counter()
    read = read_pdf(data)
    reading = time.perf_counter() - started
    agent.extract(read)
    return Timing(path.stem, read.page_count, reading, time.perf_counter() - started - reading)


def time_folder(agent: ExtractionAgent, folder: Path) -> list[Timing]:
    paths = sorted(folder.glob("*.pdf"))
    if paths:
        agent.extract(read_pdf(strip_embedded_xml(paths[0].read_bytes())))  # load the model, untimed
    return [time_invoice(agent, path) for path in paths]


def percentile(values: list[float], share: float) -> float:
    """The value `share` of the way up the sorted list (nearest rank, as `bench/run.py` always did)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(timings: list[Timing], slowest: int = 5) -> list[str]:
    totals = [t.total_s for t in timings]
    reads = [t.read_s for t in timings]
    lines = [
        f"real/ end to end ({len(timings)} invoices, page path): median {statistics.median(totals):.3f} s, "
        f"p90 {percentile(totals, 0.9):.3f} s; reading alone median {statistics.median(reads):.3f} s, "
        f"p90 {percentile(reads, 0.9):.3f} s",
    ]
    for timing in sorted(timings, key=lambda t: -t.total_s)[:slowest]:
        lines.append(
            f"  {timing.name:32s} {timing.pages:2d} pages  read {timing.read_s:.3f} s  "
            f"extract {timing.extract_s:.3f} s"
        )
    return lines
