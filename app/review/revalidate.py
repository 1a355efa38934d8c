"""Findings refreshed after a correction: the validation rules run again on the invoice that counts now."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.config import Settings
from app.db import get_sessionmaker
from app.documents.decisions import results_of
from app.models import Document, StepResult
from app.pipeline.state import StepName
from app.pipeline.steps.validate import ValidateStep, build_validation_agent
from app.pipeline.stored import stored_state
from app.review.findings import prior_findings

VALIDATE_STEP = StepName.VALIDATE.value


def revalidate(session: Session, document: Document, settings: Settings) -> None:
    """Replace the `validate` result's findings, decision and document class; flush only.

    No model runs inside a request; the rules need none (the document class is decided by rules too,
    so a corrected type code can turn a "not an invoice" into an invoice).
    """
    results = {r.step: r for r in document.results}
    factory = get_sessionmaker(settings.resolved_database_url)
    step = ValidateStep(build_validation_agent(settings.validation, None, factory))
    state = stored_state(document.id, results_of(document))
    state.findings = prior_findings(document.results)  # re-evaluated against the corrected invoice
    if not step.applies(state):
        return
    output = step.run(state)
    findings = [f.model_dump(mode="json") for f in output.findings]
    existing = results.get(VALIDATE_STEP)
    if existing is None:
        document.results.append(StepResult(step=VALIDATE_STEP, data=output.stored(), findings=findings))
    else:
        existing.data = {**existing.data, **output.stored()}
        existing.findings = findings
    session.flush()
