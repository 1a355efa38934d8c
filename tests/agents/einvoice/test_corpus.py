"""Every corpus e-invoice is found, read and reproduces its truth exactly; valid ones raise no errors."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agents.einvoice import EInvoiceResult, find_xml_in_pdf, read_einvoice
from tests.agents.einvoice.files import hybrid_pdfs, plain_xmls
from tests.agents.einvoice.scoring import mismatches
from tests.corpus import truth

ALL_FILES = [*hybrid_pdfs(), *plain_xmls()]


def _truth(path: Path) -> dict[str, Any]:
    return truth(path)


@functools.cache  # several tests look at the same reading
def _read(path: Path) -> EInvoiceResult:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        found = find_xml_in_pdf(data)
        assert found is not None, "no invoice XML found in the PDF"
        data = found[1]
    return read_einvoice(data)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_file_reproduces_truth_exactly(path: Path) -> None:
    result = _read(path)

    assert mismatches(result.invoice, _truth(path)) == []


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_file_syntax_and_profile(path: Path) -> None:
    expected = _truth(path)["_xml"]

    result = _read(path)

    # ZUGFeRD 1.0 ("ZF1" in the truth) is reported as CII: the same UN/CEFACT model, older draft.
    assert result.syntax == {"ZF1": "CII"}.get(expected["syntax"], expected["syntax"])
    assert result.profile == expected["profile"]


@pytest.mark.parametrize("path", hybrid_pdfs(), ids=lambda p: p.stem)
def test_hybrid_pdf_attachment_is_the_invoice_xml(path: Path) -> None:
    expected = _truth(path)["_xml"]

    found = find_xml_in_pdf(path.read_bytes())

    assert found is not None
    assert found[0] == expected["attachment_name"]


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_consistent_corpus_invoice_has_no_error_findings(path: Path) -> None:
    expected = _truth(path)
    if not _truth_arithmetic_passes(expected):
        pytest.skip("the truth itself records an arithmetic inconsistency")

    result = _read(path)

    assert [f.message for f in result.findings if f.severity == "error"] == []


def _truth_arithmetic_passes(expected: dict[str, Any]) -> bool:
    """The truth's own checks for hybrids; for plain XML the same checks on the truth's numbers."""
    source: dict[str, Any] = expected.get("_source") or {}
    checks = source.get("truth_arith_checks")
    if checks is not None:
        return False not in checks.values()
    return all(_computed_checks(expected))


def _computed_checks(expected: dict[str, Any]) -> list[bool]:
    def amount(name: str) -> Decimal:
        return Decimal(str(expected.get(name) or 0))

    breakdown = expected["tax_breakdown"] or []
    lines = [line for line in expected["line_items"] or [] if not line["informational"]]
    return [
        amount("gross_total") == amount("net_total") + amount("tax_total"),
        amount("amount_due") == amount("gross_total") - amount("prepaid_amount"),
        not breakdown or amount("tax_total") == sum(Decimal(str(row["tax_amount"])) for row in breakdown),
        not lines or amount("line_total") == sum(Decimal(str(line["net_amount"])) for line in lines),
    ]
