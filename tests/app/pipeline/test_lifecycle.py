from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import IllegalTransitionError
from app.models import AuditEvent, Status
from app.pipeline.lifecycle import ALLOWED_TRANSITIONS, set_status
from tests.factories import create_document, text_pdf

ALL_MOVES = [(old, new) for old in Status for new in Status]


def test_every_status_has_a_row() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(Status)


def test_the_documented_lifecycle() -> None:
    assert ALLOWED_TRANSITIONS[Status.RECEIVED] == {Status.PROCESSING}
    assert ALLOWED_TRANSITIONS[Status.PROCESSING] == {
        Status.BOOKED,
        Status.NEEDS_REVIEW,
        Status.REJECTED,
        Status.FAILED,
    }
    assert ALLOWED_TRANSITIONS[Status.NEEDS_REVIEW] == {Status.BOOKED, Status.REJECTED, Status.PROCESSING}
    assert ALLOWED_TRANSITIONS[Status.FAILED] == {Status.PROCESSING}
    assert not ALLOWED_TRANSITIONS[Status.BOOKED]
    assert not ALLOWED_TRANSITIONS[Status.REJECTED]


@pytest.mark.parametrize(("old", "new"), ALL_MOVES, ids=[f"{o.value}->{n.value}" for o, n in ALL_MOVES])
def test_walk_the_table(session: Session, old: Status, new: Status) -> None:
    document = create_document(session, data=text_pdf(f"{old}-{new}"), status=old)
    before = document.status_updated_at
    if new in ALLOWED_TRANSITIONS[old]:
        set_status(session, document, new, actor="test", reason="walk")
        assert document.status == new
        assert document.status_updated_at >= before
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.document_id == document.id, AuditEvent.action == "status")
        ).one()
        assert event.before == {"status": old.value}
        assert event.after is not None
        assert event.after["status"] == new.value
    else:
        with pytest.raises(IllegalTransitionError):
            set_status(session, document, new, actor="test")
        assert document.status == old
