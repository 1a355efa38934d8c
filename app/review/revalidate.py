"""Findings refreshed after a correction: the validation rules run again on the invoice that counts now."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.config import Settings
from app.decisions import results_of
from app.models import Document, StepResult
from app.pipeline.steps import StepContext
from app.pipeline.validate import ValidateStep, build_validation_agent
from app.review.findings import prior_findings

VALIDATE_STEP = ValidateStep.name


def revalidate(session: Session, document: Document, settings: Settings) -> None:
    """Replace the `validate` result's findings, decision and document class; flush only.

    No model runs inside a request; the rules need none (the document class is decided by rules too,
    so a corrected type code can turn a "not an invoice" into an invoice).
    """
    results = {r.step: r for r in document.results}
    step = ValidateStep(build_validation_agent(settings, None))
    data = results_of(document)
    prior = prior_findings(document.results)  # re-evaluated against the corrected invoice
    ctx = StepContext(document.id, document.filename, document.media_type, b"", results=data, findings=prior)
    if not step.applies(ctx):
        return
    output = step.run(ctx)
    findings = [f.model_dump(mode="json") for f in output.findings]
    existing = results.get(VALIDATE_STEP)
    if existing is None:
        document.results.append(StepResult(step=VALIDATE_STEP, data=output.data, findings=findings))
    else:
        existing.data = {**existing.data, **output.data}
        existing.findings = findings
    session.flush()
