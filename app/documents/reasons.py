"""Why a document waits for a person, in one line: the review queue's and the API's top reason."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Document, StepResult
from app.pipeline.state import StepName


def top_reasons(session: Session, documents: Sequence[Document]) -> dict[int, str | None]:
    """Per document: the validation's first reason, else the first error's code, else the status reason."""
    ids = [d.id for d in documents]
    rows = session.execute(
        select(StepResult.document_id, StepResult.step, StepResult.findings)
        .where(StepResult.document_id.in_(ids))
        .order_by(StepResult.id)
    )
    errors: dict[int, list[str]] = defaultdict(list)
    for document_id, _step, findings in rows:
        errors[document_id] += [str(f.get("code")) for f in findings or [] if f.get("severity") == "error"]
    decisions = session.execute(
        select(StepResult.document_id, StepResult.data).where(
            StepResult.document_id.in_(ids), StepResult.step == StepName.VALIDATE.value
        )
    )
    reasons = {
        document_id: list(data.get("decision", {}).get("reasons", [])) for document_id, data in decisions
    }
    return {d.id: next(iter(reasons.get(d.id, []) + errors[d.id]), d.status_reason) for d in documents}
