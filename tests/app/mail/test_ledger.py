"""The ledger's decisions, on both databases (each test rolled back)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.mail import ledger
from app.mail.ledger import Decision, Handled
from app.mail.models import MailMessage, Outcome
from tests.factories import create_document


def _row(session: Session, outcome: Outcome, attempts: int) -> MailMessage:
    row = MailMessage(source="s", message_key=f"<{outcome}-{attempts}@x>", outcome=outcome, attempts=attempts)
    session.add(row)
    session.flush()
    return row


@pytest.mark.parametrize(
    ("outcome", "attempts", "decision"),
    [
        (Outcome.CLAIMED, 1, Decision.PROCESS),
        (Outcome.FAILED, 2, Decision.PROCESS),
        (Outcome.FAILED, 3, Decision.LEAVE),
        (Outcome.CLAIMED, 3, Decision.LEAVE),
        (Outcome.INGESTED, 1, Decision.SETTLE),
        (Outcome.NO_ATTACHMENT, 9, Decision.SETTLE),
    ],
)
def test_what_a_run_does_with_a_message_it_has_seen_before(
    session: Session, outcome: Outcome, attempts: int, decision: Decision
) -> None:
    assert ledger.decide(_row(session, outcome, attempts), retry_limit=3) == decision


def test_a_message_that_kept_crashing_the_run_is_given_up_with_a_reason(session: Session) -> None:
    row = _row(session, Outcome.CLAIMED, 3)

    ledger.leave(row)

    assert row.outcome == Outcome.FAILED
    assert "stopped while handling this message, 3 times" in (row.reason or "")


def test_claiming_counts_attempts_and_recording_links_documents(session: Session) -> None:
    row = ledger.claim(session, "s", "<a@x>")
    document = create_document(session)
    assert ledger.claim(session, "s", "<a@x>") is row

    ledger.record(
        session, row, Handled(Outcome.INGESTED, documents=[document, document], sender={"from": "a"})
    )

    assert (row.attempts, row.outcome, row.document_ids) == (2, Outcome.INGESTED, [document.id])
    assert ledger.mail_origin(session, document.id) == [{"source": "s", "from": "a"}]


def test_one_row_per_source_and_message_id(session: Session) -> None:
    _row(session, Outcome.INGESTED, 1)
    session.add(MailMessage(source="s", message_key="<ingested-1@x>", outcome=Outcome.FAILED, attempts=1))

    with pytest.raises(IntegrityError):
        session.flush()
