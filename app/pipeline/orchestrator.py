"""The orchestrator: an ordered list of steps and a loop.

`Pipeline.process(document_id)` is idempotent: a finished document is left alone, a document
left in `processing` by a crashed worker is processed again from its immutable original, and
each step's output replaces the last one. Steps run outside any database transaction.

Every claim counts as an attempt; a document claimed `max_attempts` times without finishing (the
worker died under it each time) goes to `failed` with `attempts_exhausted` instead of being tried
again, so one poison document cannot take down a worker after every restart.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope
from app.errors import AttemptsExhaustedError, FailureCode, KontorError
from app.journal.posting import post_booking
from app.models import Document, Status, StepResult
from app.pipeline.lifecycle import set_status
from app.pipeline.run import run_steps
from app.pipeline.state import PipelineState, Step, StepOutput
from app.scans.renditions import processing_copy
from schemas.booking import BookingProposal

log = logging.getLogger(__name__)

ACTOR = "system:pipeline"
FINISHED = frozenset({Status.BOOKED, Status.NEEDS_REVIEW, Status.REJECTED})


#: Processing attempts per document unless the settings say otherwise (`limits.max_attempts`).
MAX_ATTEMPTS = 3


class Pipeline:
    def __init__(
        self, factory: sessionmaker[Session], steps: Sequence[Step], *, max_attempts: int = MAX_ATTEMPTS
    ) -> None:
        self.factory = factory
        self.steps = list(steps)
        self.max_attempts = max_attempts

    def process(self, document_id: int) -> Status | None:
        """Run every applicable step and set the final status; returns it (None: nothing to do)."""
        state = self._claim(document_id)
        if state is None:
            return None
        code = None
        try:
            final, reason = run_steps(self.steps, state, partial(self._save, document_id))
        except KontorError as exc:
            log.warning("document %s failed (%s): %s", document_id, exc.failure_code, exc.message)
            final, reason, code = Status.FAILED, exc.message, exc.failure_code
        proposal = state.booking.proposal if state.booking is not None else None
        self._finish(document_id, final, reason, proposal, failure_code=code)
        return final

    def mark_failed(self, document_id: int, reason: str, code: FailureCode = FailureCode.INTERNAL) -> None:
        """Give up on a document after its last retry, keeping the reason for a person."""
        with session_scope(self.factory) as session:
            document = session.get(Document, document_id)
            if document is not None and document.status == Status.PROCESSING:
                set_status(
                    session, document, Status.FAILED, actor=ACTOR, reason=reason[:2000], failure_code=code
                )

    def _claim(self, document_id: int) -> PipelineState | None:
        with session_scope(self.factory) as session:
            document = session.get(Document, document_id)
            if document is None:
                log.warning("document %s does not exist; nothing to do", document_id)
                return None
            if document.status in FINISHED or document.status == Status.FAILED:
                return None
            if give_up_if_exhausted(session, document, self.max_attempts):
                return None
            if document.status != Status.PROCESSING:
                set_status(session, document, Status.PROCESSING, actor=ACTOR)
            document.attempts += 1
            # An image is read through its PDF copy, pages turned as a reviewer asked.
            media_type, content = processing_copy(session, document)
            return PipelineState(
                document_id=document.id,
                filename=document.filename,
                media_type=media_type,
                content=content,
            )

    def _save(self, document_id: int, step: str, output: StepOutput, seconds: float) -> None:
        findings: list[dict[str, Any]] = [f.model_dump(mode="json") for f in output.findings]
        with session_scope(self.factory) as session:
            session.execute(
                delete(StepResult).where(StepResult.document_id == document_id, StepResult.step == step)
            )
            session.add(
                StepResult(
                    document_id=document_id,
                    step=step,
                    data=output.stored(),
                    findings=findings,
                    seconds=seconds,
                    model_questions=output.model_questions,
                )
            )

    def _finish(
        self,
        document_id: int,
        final: Status,
        reason: str | None,
        proposal: BookingProposal | None = None,
        *,
        failure_code: FailureCode | None = None,
    ) -> None:
        with session_scope(self.factory) as session:
            document = session.get(Document, document_id)
            if document is None or document.status != Status.PROCESSING:
                return  # someone else finished or reset it meanwhile
            if final == Status.BOOKED:
                final, reason = _post(session, document, proposal, reason)
            set_status(session, document, final, actor=ACTOR, reason=reason, failure_code=failure_code)


def give_up_if_exhausted(session: Session, document: Document, max_attempts: int) -> bool:
    """Fail a document that was claimed `max_attempts` times without finishing; True when it was."""
    if document.status != Status.PROCESSING or document.attempts < max_attempts:
        return False
    error = AttemptsExhaustedError(
        f"Processing was interrupted {document.attempts} times (the worker stopped during it); "
        "it is not tried again. Reprocess it once the cause is fixed."
    )
    log.warning("document %s: %s", document.id, error.message)
    set_status(
        session, document, Status.FAILED, actor=ACTOR, reason=error.message, failure_code=error.failure_code
    )
    return True


def _post(
    session: Session, document: Document, proposal: BookingProposal | None, reason: str | None
) -> tuple[Status, str | None]:
    """Post the journal entry in the transaction that sets `booked`; if it is refused, a person looks."""
    if proposal is None:
        return Status.NEEDS_REVIEW, "booking.missing"
    try:
        with session.begin_nested():
            post_booking(session, document, proposal, ACTOR)
    except KontorError as exc:
        log.warning("document %s not posted: %s", document.id, exc.message)
        return Status.NEEDS_REVIEW, "booking.refused"
    return Status.BOOKED, reason
