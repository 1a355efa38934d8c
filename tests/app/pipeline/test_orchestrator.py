from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import AuditEvent, Document, Status, StepResult, utcnow
from app.ops.triggers import triggers_suspended
from app.pipeline.orchestrator import Pipeline
from app.pipeline.state import PipelineState, StepOutput
from app.pipeline.steps.read import ReadStep
from tests.factories import blank_pdf, create_document, text_pdf


class Counted(BaseModel):
    run: int
    read_pages: int


class CountingStep:
    """A step that records its runs, to check that a rerun replaces its output."""

    name = "count"

    def __init__(self) -> None:
        self.runs = 0

    def applies(self, state: PipelineState) -> bool:
        return True

    def run(self, state: PipelineState) -> StepOutput:
        self.runs += 1
        assert state.read is not None
        return StepOutput(data=Counted(run=self.runs, read_pages=state.read.page_count))


def results(session: Session, document: Document) -> dict[str, dict[str, Any]]:
    rows = session.scalars(select(StepResult).where(StepResult.document_id == document.id))
    return {r.step: r.data for r in rows}


def test_a_text_pdf_is_read_and_waits_for_a_person(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = create_document(session, data=text_pdf("Rechnung 2024-17", pages=2))
    status = Pipeline(session_factory, [ReadStep()]).process(document.id)
    session.refresh(document)
    assert status == Status.NEEDS_REVIEW
    assert document.status == Status.NEEDS_REVIEW
    read = results(session, document)["read"]
    assert read["page_count"] == 2
    assert "Rechnung 2024-17" in read["pages"][0]["text"]
    first_word = read["pages"][0]["words"][0]
    assert first_word["text"] == "Rechnung"
    assert 70 <= first_word["x0"] <= 75  # drawn at x=72pt
    moves = [
        e.after["status"]
        for e in session.scalars(select(AuditEvent).where(AuditEvent.document_id == document.id))
        if e.action == "status" and e.after
    ]
    assert moves == ["processing", "needs_review"]


def test_a_scan_without_text_gets_text_missing(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = create_document(session, data=blank_pdf())
    assert Pipeline(session_factory, [ReadStep(), CountingStep()]).process(document.id) == Status.NEEDS_REVIEW
    session.refresh(document)
    assert document.status_reason == "text.missing"
    rows = session.scalars(select(StepResult).where(StepResult.document_id == document.id)).all()
    assert [r.step for r in rows] == ["read"]  # the pipeline stopped after read
    assert rows[0].findings[0]["code"] == "text.missing"


def test_a_finished_document_is_left_alone(session: Session, session_factory: sessionmaker[Session]) -> None:
    counter = CountingStep()
    pipeline = Pipeline(session_factory, [ReadStep(), counter])
    document = create_document(session)
    pipeline.process(document.id)
    assert pipeline.process(document.id) is None
    assert counter.runs == 1


def test_a_crashed_run_is_redone_and_replaces_partial_results(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = create_document(session, status=Status.PROCESSING)
    session.add(StepResult(document_id=document.id, step="count", data={"run": 0, "partial": True}))
    document.status_updated_at = utcnow() - timedelta(hours=1)
    session.flush()
    counter = CountingStep()
    assert Pipeline(session_factory, [ReadStep(), counter]).process(document.id) == Status.NEEDS_REVIEW
    assert results(session, document)["count"] == {"run": 1, "read_pages": 1}


def test_a_step_error_fails_the_document_with_its_reason(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = create_document(session)
    # Damage the stored original behind the upload check's back (and the database's retention
    # trigger), as a broken disk would.
    with triggers_suspended(session.connection(), "documents"):
        document.content = b"%PDF-1.4 garbage"
        session.flush()
    assert Pipeline(session_factory, [ReadStep()]).process(document.id) == Status.FAILED
    session.refresh(document)
    assert document.status_reason
    assert "cannot be read" in document.status_reason


def test_a_failed_document_can_be_marked_after_the_last_retry(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = create_document(session, status=Status.PROCESSING)
    Pipeline(session_factory, []).mark_failed(document.id, "RuntimeError: model crashed")
    session.refresh(document)
    assert (document.status, document.status_reason) == (Status.FAILED, "RuntimeError: model crashed")
