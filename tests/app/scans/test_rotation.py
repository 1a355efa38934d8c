"""Turning a page through the API: stored, audited, composed with earlier turns, and read again."""

from __future__ import annotations

import io

import pikepdf
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Document, Status, StepResult
from app.scans.models import PageRotation
from app.scans.renditions import processing_copy
from app.worker import Queue
from tests.factories import create_document, text_pdf


def _turn(client: TestClient, headers: dict[str, str], document_id: int, turn: int, page: int = 1) -> int:
    url = f"/v1/documents/{document_id}/pages/{page}/rotate"
    return client.post(url, headers=headers, json={"turn": turn}).status_code


def _rotate_of(session: Session, document: Document) -> list[int]:
    _media, pdf = processing_copy(session, document)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return [int(page.obj.get("/Rotate", 0)) for page in opened.pages]


def test_turns_compose_are_audited_and_send_the_document_through_again(
    client: TestClient, reviewer: dict[str, str], session: Session, memory_queue: Queue
) -> None:
    document = create_document(session, data=text_pdf("Rechnung quer", pages=2), status=Status.NEEDS_REVIEW)

    assert _turn(client, reviewer, document.id, 90, page=2) == 202
    session.expire_all()
    assert document.status == Status.PROCESSING
    assert memory_queue.huey.pending_count() == 1
    for _ in range(2):
        document.status = Status.NEEDS_REVIEW  # read again, and back with a person
        session.flush()
        assert _turn(client, reviewer, document.id, 270, page=2) == 202
        session.expire_all()

    session.expire_all()
    row = session.scalar(select(PageRotation).where(PageRotation.document_id == document.id))
    assert row is not None
    assert (row.page, row.degrees) == (2, 270)
    assert _rotate_of(session, document) == [0, 270]
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.document_id == document.id, AuditEvent.action == "page.rotate")
    ).all()
    assert (events[0].before, events[0].after) == (
        {"page": 2, "degrees": 0},
        {"page": 2, "degrees": 90, "turn": 90},
    )
    assert len(events) == 3


def test_a_turn_of_an_ocr_page_counts_from_what_the_reviewer_sees(
    client: TestClient, reviewer: dict[str, str], session: Session
) -> None:
    document = create_document(session, data=text_pdf("Rechnung Kopf"), status=Status.NEEDS_REVIEW)
    # The OCR stood the page upright by turning it 90 degrees counter-clockwise.
    ocr_page = {
        "number": 1,
        "width": 842,
        "height": 595,
        "text": "",
        "ocr": {"dpi": 300, "rotation": 90, "languages": "deu"},
    }
    session.add(
        StepResult(
            document_id=document.id, step="read", data={"kind": "pdf", "page_count": 1, "pages": [ocr_page]}
        )
    )
    session.flush()

    assert _turn(client, reviewer, document.id, 90) == 202

    row = session.scalar(select(PageRotation).where(PageRotation.document_id == document.id))
    assert row is not None
    assert row.degrees == 0  # the OCR's quarter turn left, then the reviewer's right: as scanned


def test_what_cannot_be_turned_is_refused_with_a_reason(
    client: TestClient, reviewer: dict[str, str], uploader: dict[str, str], session: Session
) -> None:
    waiting = create_document(session, data=text_pdf("Rechnung wartet"), status=Status.NEEDS_REVIEW)
    booked = create_document(session, data=text_pdf("Rechnung gebucht"), status=Status.BOOKED)

    assert _turn(client, reviewer, waiting.id, 45) == 400
    assert _turn(client, reviewer, waiting.id, 90, page=2) == 404
    assert _turn(client, reviewer, booked.id, 90) == 409
    assert _turn(client, uploader, waiting.id, 90) == 403
    assert session.scalar(select(PageRotation)) is None
