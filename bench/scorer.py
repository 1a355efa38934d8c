"""The field scorer's honest figures (issue #11): leave-one-layout-out on the real set, and shipping.

    python -m bench.scorer lolo ../shared/corpus/real [--extra DIR ...] [--model] [--json]
        Every real invoice is extracted with a scorer trained WITHOUT its layout (MANIFEST `layout`),
        plus the examples of each --extra folder (synthetic invoices from `python -m bench.synth`, or
        ../shared/corpus/invoices). Prints header, totals, key fields, per language, the calibration
        table, and how many invoices validation would pass with no review reason (and how many of
        those carry a wrong header field). --model adds the embedded Gemma for the near ties.
    python -m bench.scorer rules ../shared/corpus/real       the same report, rules only (no scorer)
    python -m bench.scorer unseen ../shared/corpus/real --extra DIR ...
        Trained on the --extra folders only: the "never saw real/" figure.
    python -m bench.scorer ship --extra DIR ... [--out PATH]
        Train on every given folder and write the shipped model.

Examples of each folder are cached in `--cache` (default `.cache/scorer/`, keyed by the feature list).
Numbers, not tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents.base import Backend  # noqa: E402
from agents.extraction.agent import ExtractionAgent, ExtractionResult  # noqa: E402
from agents.extraction.evaluate import EvalReport, Extract, evaluate, strip_embedded_xml  # noqa: E402
from agents.extraction.scorer import MODEL_PATH, Example, FieldScorer, train  # noqa: E402
from agents.extraction.scorer.lolo import corpus_examples, flatten, fold_scorers, layouts  # noqa: E402
from agents.extraction.scoring import expected_values, same  # noqa: E402
from agents.reading import read_pdf  # noqa: E402
from agents.validation import ValidationAgent  # noqa: E402
from agents.validation.settings import ValidationSettings  # noqa: E402
from schemas.document import ReadResult  # noqa: E402
from schemas.invoice import HEADER_FIELDS  # noqa: E402

KEY_FIELDS = (
    "invoice_number",
    "issue_date",
    "seller_name",
    "buyer_name",
    "due_date",
    "net_total",
    "tax_total",
    "gross_total",
    "amount_due",
)
SEED = 7


def read(path: Path) -> ReadResult:
    return read_pdf(strip_embedded_xml(path.read_bytes()))


def examples_of(directory: Path, cache_dir: Path) -> dict[str, list[Example]]:
    key = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:12]
    cache = cache_dir / f"{directory.name}-{key}.json"
    return corpus_examples(
        directory, read, cache=cache, progress=lambda n: print(f"  reading {n}", file=sys.stderr)
    )


class Passes:
    """Validation as a new installation runs it (no history, no vendors; invoice age not held against it)."""

    def __init__(self, backend: Backend | None) -> None:
        settings = ValidationSettings(max_invoice_age_days=100_000)
        self.agent = ValidationAgent(backend, settings, None, None)
        self.passed = 0
        self.passed_wrong: list[str] = []
        self.passed_missing: list[str] = []
        self.reasons: dict[str, int] = {}
        #: The words the last result was read from (set by `reading`).
        self.words: ReadResult | None = None

    def reading(self, agent: ExtractionAgent) -> Extract:
        """`agent` after the reading agent, keeping the words for the validation."""

        def extract(data: bytes, _name: str) -> ExtractionResult:
            self.words = read_pdf(data)
            return agent.extract(self.words)

        return extract

    def __call__(self, path: Path, result: ExtractionResult) -> None:
        assert self.words is not None  # set by the extraction that gave `result`
        text = "\n".join(page.text for page in self.words.pages)
        outcome = self.agent.validate(result.invoice, text, None, prior_findings=result.findings)
        if outcome.decision.reasons:
            for reason in outcome.decision.reasons:
                code = str(getattr(reason, "code", reason)).split(":")[0]
                self.reasons[code] = self.reasons.get(code, 0) + 1
            return
        self.passed += 1
        truth: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        expected = expected_values(truth)
        uncertain = set(truth.get("uncertain") or [])
        if "document_type" in uncertain:
            uncertain.add("document_type_code")  # the truth's name for the type, as `mark` reads it
        scored = [name for name in HEADER_FIELDS if name in expected and name not in uncertain]
        # A value that is there and differs would be booked wrong; one that is not there was not
        # found (a small-amount invoice, § 33 UStDV, needs no number or buyer, so it may pass without).
        got = {name: getattr(result.invoice, name, None) for name in scored}
        wrong = [n for n in scored if got[n] is not None and not same(n, got[n], expected[n])]
        missing = [n for n in scored if got[n] is None]
        if wrong:
            self.passed_wrong.append(f"{path.stem}: {', '.join(wrong)}")
        if missing:
            self.passed_missing.append(f"{path.stem}: {', '.join(missing)}")


def summary(report: EvalReport, passes: Passes) -> dict[str, Any]:
    fields = report.overall.fields
    return {
        "documents": report.documents,
        "header": report.overall.header_accuracy,
        "totals": report.overall.totals_accuracy,
        "line_f1": report.overall.line_items_f1,
        "fields": {name: fields[name].accuracy for name in KEY_FIELDS if name in fields},
        "languages": {
            lang: {"header": r.header_accuracy, "gross": _field(r.fields, "gross_total")}
            for lang, r in report.languages.items()
        },
        "calibration": [b.model_dump() for b in report.calibration],
        "model_questions_mean": report.model_questions_mean,
        "validation_passed": passes.passed,
        "validation_passed_with_wrong_header": passes.passed_wrong,
        "validation_passed_with_missing_header": passes.passed_missing,
        "review_reasons": dict(sorted(passes.reasons.items(), key=lambda kv: -kv[1])[:8]),
    }


def _field(fields: dict[str, Any], name: str) -> float | None:
    return fields[name].accuracy if name in fields else None


def run(real: Path, agent_for: Callable[[str], ExtractionAgent], backend: Backend | None) -> dict[str, Any]:
    passes = Passes(None)
    default = passes.reading(agent_for(""))
    report = evaluate(
        [real], default, extract_for=lambda layout: passes.reading(agent_for(layout)), observe=passes
    )
    return summary(report, passes)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scorer", description=__doc__)
    parser.add_argument("command", choices=("lolo", "rules", "unseen", "ship"))
    parser.add_argument("real", type=Path, nargs="?")
    parser.add_argument("--extra", type=Path, action="append", default=[])
    parser.add_argument("--model", action="store_true", help="the embedded Gemma breaks near ties")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "scorer")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--no-calibration", action="store_true", help="folds without calibration (5x faster; raw confidences)"
    )
    args = parser.parse_args()
    backend = _gemma() if args.model else None
    extra = [e for d in args.extra for e in flatten(examples_of(d, args.cache))]
    if args.command == "ship":
        everything = [*extra, *(flatten(examples_of(args.real, args.cache)) if args.real else [])]
        scorer = train(everything, SEED)
        scorer.save(args.out)
        print(f"{args.out}: {args.out.stat().st_size} bytes, {scorer.examples} examples")
        return
    if args.real is None:
        parser.error("the real corpus folder is needed")
    if args.command == "rules":
        result = run(args.real, lambda _layout: ExtractionAgent(backend, scorer=None), backend)
    elif args.command == "unseen":
        unseen = train(extra, SEED)
        result = run(args.real, lambda _layout: ExtractionAgent(backend, scorer=unseen), backend)
    else:
        agents = _lolo_agents(args.real, args.cache, extra, backend, calibrate=not args.no_calibration)
        result = run(args.real, agents, backend)
    print(json.dumps(result, indent=1, ensure_ascii=False))


def _lolo_agents(
    real: Path, cache: Path, extra: list[Example], backend: Backend | None, *, calibrate: bool
) -> Callable[[str], ExtractionAgent]:
    examples = examples_of(real, cache)
    layout_of = layouts(real)
    scorers: dict[str, FieldScorer] = fold_scorers(examples, layout_of, extra, seed=SEED, calibrate=calibrate)
    fallback = train([*flatten(examples), *extra], SEED, calibrate=calibrate)
    return lambda layout: ExtractionAgent(backend, scorer=scorers.get(layout, fallback))


def _gemma() -> Backend:
    from app.config import get_settings
    from app.runtime import backend_from_settings

    return backend_from_settings(get_settings())


if __name__ == "__main__":
    main()
