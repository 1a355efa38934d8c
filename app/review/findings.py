"""The findings that hold for a document now: earlier steps' findings re-evaluated against the invoice
that counts (a reviewer's corrections included), then the validation and booking findings.

The pipeline stores each step's findings as it saw the invoice then. After a person corrects a value,
a finding about the old value is stale: the extraction step's value checks (`dates.due_before_issue`
and the like) run again on the corrected invoice, and a finding about a field the person has set (a
page/XML mismatch, a doubtful or missing value, the `arithmetic.gross_mismatch` warning that extraction
stored before validation alone checked the totals) no longer holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from app.models import StepResult
from app.pipeline.stored import current_invoice
from schemas.finding import Finding
from schemas.invoice import Invoice

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
#: Steps whose findings are recomputed on every correction (stored as they are, never re-evaluated here).
RECOMPUTED_STEPS = frozenset({"validate", "book"})
EXTRACT_STEP = "extract"


def prior_findings(results: Sequence[StepResult]) -> list[Finding]:
    """Findings of the steps before validation, as far as they still hold for the current invoice."""
    data = {r.step: r.data for r in results}
    invoice = current_invoice(data)
    corrected = _corrected_by_person(invoice)
    found: list[Finding] = []
    for result in results:
        if result.step in RECOMPUTED_STEPS:
            continue
        stored = [Finding.model_validate(f) for f in result.findings or []]
        fresh: list[Finding] = []
        if result.step == EXTRACT_STEP and corrected and invoice is not None:
            stored, fresh = _rerun_value_checks(stored, result.data, invoice)
        found.extend(f for f in stored if not corrected.intersection(f.fields))
        found.extend(fresh)
    return found


def current_findings(results: Sequence[StepResult]) -> list[Finding]:
    """Every finding that holds now, worst first, each (code, message) once."""
    recomputed = [
        Finding.model_validate(f) for r in results if r.step in RECOMPUTED_STEPS for f in r.findings or []
    ]
    return sorted(_unique([*prior_findings(results), *recomputed]), key=lambda f: SEVERITY_ORDER[f.severity])


def _corrected_by_person(invoice: Invoice | None) -> set[str]:
    if invoice is None:
        return set()
    return {name for name, source in invoice.fields.items() if source.kind == "human"}


def _rerun_value_checks(
    stored: list[Finding], data: dict[str, Any], invoice: Invoice
) -> tuple[list[Finding], list[Finding]]:
    """Stored findings less the extraction's checks of its own invoice; those checks of the current one."""
    from agents.extraction.agent import value_findings  # the extractor loads its rules on demand

    raw = data.get("invoice")
    extracted = Invoice.model_validate(raw) if raw is not None else Invoice()
    then = {(f.code, f.message) for f in value_findings(extracted)}
    return [f for f in stored if (f.code, f.message) not in then], value_findings(invoice)


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for finding in findings:
        if (finding.code, finding.message) not in seen:
            seen.add((finding.code, finding.message))
            unique.append(finding)
    return unique
