"""How long scoring takes on the embedded Gemma: one invoice, 20 questions x 5 options.

Run: `.venv/bin/python bench/backend.py [--threads N]`. Prints milliseconds; loads nothing remote.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from agents.llama import LlamaBackend, embedded_model_path

T = TypeVar("T")

INVOICE = "\n".join(
    [
        "RECHNUNG Nr. 2024-0815",
        "Muster Bürobedarf GmbH, Hauptstraße 12, 10115 Berlin, USt-IdNr. DE123456789",
        "Kunde: Beispiel AG, Industrieweg 5, 80331 München",
        "Rechnungsdatum: 15.03.2024   Leistungsdatum: 12.03.2024   Fällig: 14.04.2024",
        "IBAN: DE89 3704 0044 0532 0130 00   BIC: COBADEFFXXX",
    ]
    + [f"Pos. {i}: Artikel {1000 + i} Kopierpapier A4, {i} x {3 + i % 7},{i % 10}9 EUR" for i in range(1, 15)]
    + ["Nettobetrag: 1.234,50 EUR", "USt 19 %: 234,56 EUR", "Gesamtbetrag: 1.469,06 EUR"]
)
CANDIDATES = [" 2024-0815", " DE123456789", " 15.03.2024", " 1.469,06", " Beispiel AG", " 234,56", " 10115"]
QUESTIONS = [f"\n\nFrage {n}: Welcher Wert ist gemeint (Feld {n})?\nAntwort:" for n in range(20)]


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, (time.perf_counter() - start) * 1000


def report(line: str) -> None:
    sys.stdout.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    backend, load_ms = timed(lambda: LlamaBackend(embedded_model_path(), n_threads=args.threads))
    report(f"model load: {load_ms:.0f} ms")

    before = backend.tokens_evaluated
    _, prefix_ms = timed(lambda: backend.score(INVOICE, [" x"]))
    prefix_tokens = backend.tokens_evaluated - before
    rate = prefix_tokens / prefix_ms * 1000
    report(f"prefix eval: {prefix_tokens} tokens in {prefix_ms:.0f} ms = {rate:.0f} tokens/s")

    before = backend.tokens_evaluated
    options = [[CANDIDATES[(q + k) % len(CANDIDATES)] for k in range(5)] for q in range(len(QUESTIONS))]
    _, questions_ms = timed(
        lambda: [backend.score(INVOICE + q, o) for q, o in zip(QUESTIONS, options, strict=True)]
    )
    n_options = sum(map(len, options))
    report(
        f"{len(QUESTIONS)} questions x 5 options: {questions_ms:.0f} ms, "
        f"{questions_ms / len(QUESTIONS):.1f} ms/question, {questions_ms / n_options:.1f} ms/option, "
        f"{backend.tokens_evaluated - before} tokens evaluated"
    )

    _, repeat_ms = timed(lambda: backend.score(INVOICE + QUESTIONS[-1], options[0]))
    report(f"same context again, 5 new options: {repeat_ms:.1f} ms")
    backend.reset()
    _, cold_ms = timed(lambda: backend.score(INVOICE + QUESTIONS[0], options[0]))
    report(f"one question cold (no cache): {cold_ms:.0f} ms")


if __name__ == "__main__":
    main()
