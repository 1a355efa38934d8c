"""A reviewer turns a page: the turn is stored, audited, and the document is read again with it.

The turn is stored as degrees clockwise from the original page (`page_rotations`) and applied as the
page's `/Rotate` in the copy the pipeline reads (`app.scans.renditions.processing_copy`). The reviewer
turns what the page shows, which for an OCR'd page already includes the OCR's own turn; that turn is
folded in, so the page ends up as the reviewer saw it turned.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.deps import UnitOfWork
from app.documents.intake import reprocess
from app.errors import BadRequestError, IllegalTransitionError, NotFoundError
from app.models import AuditEvent, Document, Status, StepResult, utcnow
from app.scans.models import PageRotation
from app.scans.renditions import page_count

#: Clockwise quarter turns a reviewer may ask for (270 is a quarter turn to the left).
TURNS = (90, 180, 270)


def turn_page(uow: UnitOfWork, document: Document, number: int, turn: int, *, actor: str, queue: Any) -> int:
    """Turn page `number` as shown by `turn` degrees clockwise and read the document again.

    Returns the page's new rotation from the original. Only a document waiting for a person (or
    failed) is read again; a booked or rejected one is final.
    """
    if turn % 360 not in TURNS:
        raise BadRequestError(f"A page turns by 90, 180 or 270 degrees, not {turn}.")
    if document.status not in (Status.NEEDS_REVIEW, Status.FAILED):
        raise IllegalTransitionError(f"A {document.status.value} document is not read again.")
    pages = page_count(uow.session, document)
    if not 1 <= number <= pages:
        raise NotFoundError(f"Document {document.id} has no page {number}.")
    row = _row(uow, document.id, number)
    before = row.degrees if row is not None else 0
    after = (before + _ocr_turn(uow, document.id, number) + turn) % 360
    if row is None:
        row = PageRotation(document_id=document.id, page=number, degrees=after, set_by=actor)
        uow.session.add(row)
    row.degrees, row.set_by, row.set_at = after, actor, utcnow()
    uow.session.add(
        AuditEvent(
            actor=actor,
            action="page.rotate",
            document_id=document.id,
            before={"page": number, "degrees": before},
            after={"page": number, "degrees": after, "turn": turn % 360},
        )
    )
    reprocess(uow, document, actor=actor, queue=queue)
    uow.session.flush()
    return after


def _row(uow: UnitOfWork, document_id: int, number: int) -> PageRotation | None:
    return uow.session.scalar(
        select(PageRotation).where(PageRotation.document_id == document_id, PageRotation.page == number)
    )


def _ocr_turn(uow: UnitOfWork, document_id: int, number: int) -> int:
    """Clockwise degrees the OCR turned the page by on its own (its `rotation` is counter-clockwise)."""
    data = uow.session.scalar(
        select(StepResult.data).where(StepResult.document_id == document_id, StepResult.step == "read")
    )
    for page in (data or {}).get("pages", []):
        if int(page.get("number", 0)) == number and page.get("ocr"):
            return -int(page["ocr"].get("rotation") or 0) % 360
    return 0
