"""`python bench/learning_curve.py`: what a vendor's corrected invoices teach its next one (page path).

Series of DIFFERENT invoices of one layout each:
- the FNFE `F2022002x`/`F2022003x` series of the hybrid corpus, one profile (its embedded XML
  stripped, so only the page is read; the other profiles are the same invoices and are not used);
- synthetic vendors (`bench.synth`): one seller, locale, layout and font per vendor, and per invoice
  other buyers, items, numbers, dates and amounts.
For every invoice from the fourth of its series on, the installation has reviewed the k invoices
right before it (their truth is what a reviewer approves; it teaches the vendor layout memory) and
extracts this one with the real extraction agent. All k are scored on the same invoices: the header
fields of `agents.extraction.scoring`, uncertain truth apart. Numbers, not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents.base import Backend  # noqa: E402
from agents.extraction.agent import ExtractionAgent, ExtractionResult  # noqa: E402
from agents.extraction.evaluate import strip_embedded_xml  # noqa: E402
from agents.extraction.learned import LearnedAgent  # noqa: E402
from agents.extraction.memory import LayoutMemory, learn  # noqa: E402
from agents.extraction.scoring import mark  # noqa: E402
from agents.reading import read_pdf  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.learning.examples import truth_invoice  # noqa: E402
from app.runtime import backend_from_settings  # noqa: E402
from bench.synth import render  # noqa: E402
from bench.synth.vendor import vendor_invoices  # noqa: E402
from schemas.document import ReadResult  # noqa: E402
from tests.corpus import corpus_dir  # noqa: E402

#: Corrected invoices before the one scored.
STEPS = (0, 1, 3)
FNFE_SERIES = "FX1.0.7__Facture_F2022*-LE_FOURNISSEUR-POUR-LE_CLIENT_{profile}.pdf"


@dataclass(frozen=True)
class Sample:
    name: str
    read: ReadResult
    truth: dict[str, Any]


@dataclass
class Tally:
    right: int = 0
    scored: int = 0
    invoices: int = 0

    def add(self, fields: dict[str, bool]) -> None:
        self.right += sum(fields.values())
        self.scored += len(fields)
        self.invoices += 1

    @property
    def accuracy(self) -> float:
        return self.right / self.scored if self.scored else 0.0


def fnfe_series(profile: str) -> list[Sample]:
    folder = corpus_dir() / "invoices"
    samples = []
    for path in sorted(folder.glob(FNFE_SERIES.format(profile=profile))):
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        samples.append(Sample(path.stem, read_pdf(strip_embedded_xml(path.read_bytes())), truth))
    return samples


def synth_series(vendor: int, count: int) -> list[Sample]:
    return [
        Sample(f"vendor{vendor}-{i}", read_pdf(render(invoice)), invoice.truth())
        for i, invoice in enumerate(vendor_invoices(vendor, count), start=1)
    ]


class _Done:
    """The agent's result for one invoice, computed once and reused for every k."""

    def __init__(self, result: ExtractionResult) -> None:
        self.result = result

    def extract(self, read: ReadResult) -> ExtractionResult:
        return self.result


def curve(series: Iterable[list[Sample]], agent: ExtractionAgent) -> tuple[dict[int, Tally], Counter[str]]:
    """Accuracy per k, and the fields still wrong after the most corrections."""
    tallies = {k: Tally() for k in STEPS}
    wrong: Counter[str] = Counter()
    for samples in series:
        for index in range(max(STEPS), len(samples)):
            target = samples[index]
            base = _Done(agent.extract(target.read))
            for k in STEPS:
                memory = LayoutMemory()
                for earlier in samples[index - k : index]:
                    learn(memory, earlier.read, truth_invoice(earlier.truth))
                invoice = LearnedAgent(base, memory).extract(target.read).invoice
                marks = mark(invoice, target.truth)
                tallies[k].add(marks.fields)
                if k == max(STEPS):
                    wrong.update(name for name, ok in marks.fields.items() if not ok)
    return tallies, wrong


def _backend(use_model: bool) -> Backend | None:
    return backend_from_settings(get_settings()) if use_model else None


def _report(name: str, tallies: dict[int, Tally], wrong: Counter[str]) -> dict[str, Any]:
    return {
        "series": name,
        "invoices_scored": tallies[0].invoices,
        "fields_scored": tallies[0].scored,
        "accuracy": {str(k): round(t.accuracy, 4) for k, t in tallies.items()},
        "still_wrong": dict(wrong.most_common()),
    }


def _print(report: dict[str, Any]) -> None:
    figures = "  ".join(f"after {k}: {100 * v:5.1f} %" for k, v in report["accuracy"].items())
    print(f"{report['series']:28s} {report['invoices_scored']:3d} invoices  {figures}")
    if report["still_wrong"]:
        print(f"{'':28s} still wrong after {max(STEPS)}: {report['still_wrong']}")


def _families(args: argparse.Namespace) -> Iterator[tuple[str, list[list[Sample]]]]:
    yield f"FNFE F2022 series ({args.profile})", [fnfe_series(args.profile)]
    yield (
        f"synthetic vendors ({args.vendors})",
        [synth_series(v, args.invoices) for v in range(1, args.vendors + 1)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profile", default="EN_16931", help="FNFE profile to read (default EN_16931)")
    parser.add_argument("--vendors", type=int, default=8, help="synthetic vendors (default 8)")
    parser.add_argument("--invoices", type=int, default=6, help="invoices per synthetic vendor (default 6)")
    parser.add_argument("--no-model", action="store_true", help="rules only, without the embedded model")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    agent = ExtractionAgent(_backend(not args.no_model))
    reports = []
    total = {k: Tally() for k in STEPS}
    for name, series in _families(args):
        tallies, wrong = curve(series, agent)
        reports.append(_report(name, tallies, wrong))
        for k, tally in tallies.items():
            total[k].right += tally.right
            total[k].scored += tally.scored
            total[k].invoices += tally.invoices
    reports.append(_report("all", total, Counter()))
    if args.json:
        print(json.dumps(reports, indent=2))
        return
    print(f"header-field accuracy on a vendor's next invoice after k corrected ones (k = {STEPS})")
    for report in reports:
        _print(report)


if __name__ == "__main__":
    main()
