"""Every e-invoice of the corpus (plain XML and the XML inside the hybrid PDFs), read once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from agents.einvoice import EInvoiceResult, find_xml_in_pdf, read_einvoice
from tests.corpus import corpus_dir


@dataclass(frozen=True)
class CorpusInvoice:
    name: str
    result: EInvoiceResult
    #: The XML passes the EN 16931 rules and the truth's own arithmetic checks hold (or were not made).
    valid: bool


@lru_cache(maxsize=1)
def corpus_invoices() -> tuple[CorpusInvoice, ...]:
    paths = sorted((corpus_dir() / "xml").glob("*.xml")) + sorted((corpus_dir() / "invoices").glob("*.pdf"))
    return tuple(_read(path) for path in paths)


def _read(path: Path) -> CorpusInvoice:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        found = find_xml_in_pdf(data)
        assert found is not None, f"{path.name} carries no XML"
        data = found[1]
    result = read_einvoice(data)
    return CorpusInvoice(path.name, result, _rules_pass(result) and _truth_checks_hold(path))


def _rules_pass(result: EInvoiceResult) -> bool:
    return not any(f.severity == "error" for f in result.findings)


def _truth_checks_hold(path: Path) -> bool:
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    checks = (truth.get("_source") or {}).get("truth_arith_checks") or {}
    return all(value is not False for value in checks.values())
